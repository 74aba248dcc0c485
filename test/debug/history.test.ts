/**
 * The spacing of periodic snapshots adapts to what they cost against the run: it doubles (up to four
 * intervals) while a snapshot costs more than 5% of the time run since the one before, and halves back to
 * the interval when it costs far less. A clock the test moves stands for time: a participant moves it
 * while a snapshot is taken (its cost), the host's slice callback while the system runs.
 */
import { describe, expect, it } from 'vitest';
import { SystemDebugger } from '../../src/debug/index.js';
import { MemoryFileSystem, Session, URI, bootRunnable } from '../../src/session/index.js';

/** 1,000 calls, about 50,000 instructions. */
const PING_PONG = `
interface Pinger { ping(n: u32) -> u32 }
server Ponger implements Pinger {
    on ping(n) { reply n + 1 }
}
program Client {
    uses pinger: Pinger
    main {
        var n: u32 = 0
        for i in 0..1000 { n = pinger.ping(n) }
    }
}
system PingPong {
    instance ponger: Ponger { priority: 100 }
    instance client: Client { priority: 50 }
    connect client.pinger -> ponger badge 1
}
`;

describe('periodic snapshot spacing', () => {
    it('widens while snapshots cost more than 5% of the run, up to four intervals, and narrows back when they cost little', async () => {
        const memory = new MemoryFileSystem();
        memory.write('memory:///main.uk', PING_PONG);
        const result = await new Session(memory).compile({ uri: URI.parse('memory:///main.uk'), shownAs: 'main.uk' });
        if (result.kind !== 'compiled') throw new Error('not compiled');
        let now = 0;
        let snapshotCost = 10;
        const debug = new SystemDebugger(bootRunnable(result.system), {
            onSlice: () => { now += 1; },
            history: { interval: 1_000, clock: () => now, participants: [() => { now += snapshotCost; return () => {}; }] }
        });
        const history = debug.history;
        if (!history) throw new Error('no history');
        debug.setSourceBreakpoints('main.uk', [{ line: 4, condition: 'n == 500' }]);
        expect((await debug.continue()).kind).toBe('stopped');
        // 10 ms a snapshot against 1 ms of run: 1,000 instructions apart, 2,000, 4,000, then 4,000 on.
        expect(history.periodicSpacing).toBe(4_000);
        const snapshots = history.count;
        // Free snapshots against 1 ms of run: back to every 1,000 instructions.
        snapshotCost = 0;
        debug.setSourceBreakpoints('main.uk', []);
        expect((await debug.continue()).kind).toBe('ended');
        expect(history.periodicSpacing).toBe(1_000);
        expect(history.count).toBeGreaterThan(snapshots + 10);
    });
});
