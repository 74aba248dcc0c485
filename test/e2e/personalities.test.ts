/**
 * End to end: `ukc run --kernel` as users type it. Every example prints the same console output under
 * every personality as under seL4 (only the emulated cycles in the outcome line differ: the models cost
 * differently, docs/ABI.md); the trace names each model's operations and the bytes the kernel copied;
 * RC 4000's pool size is set with --buffers, and a program that empties it stops with a clean fault;
 * Mach queues one-way messages up to its port queue limit; an
 * unknown personality is a usage error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PERSONALITY, KERNEL_PERSONALITIES } from '../../src/session/index.js';
import { ROOT, runUkc, temporaryFolders } from '../cli/run-ukc.js';

const EXAMPLES: readonly { readonly name: string; readonly file: string; readonly input?: string }[] = [
    { name: 'calculator', file: 'calculator/calculator.uk' },
    { name: 'compare-models', file: 'compare-models/models.uk' },
    { name: 'event-aggregator', file: 'event-aggregator/aggregator.uk' },
    { name: 'kv-store', file: 'kv-store/kv.uk' },
    { name: 'name-server', file: 'name-server/names.uk' },
    { name: 'pipeline', file: 'pipeline/pipeline.uk' },
    { name: 'sensor-events', file: 'sensor-events/sensor.uk' },
    { name: 'supervised-restart', file: 'supervised-restart/supervised.uk' },
    { name: 'uart-driver', file: 'uart-driver/uart.uk', input: 'hello, microkernel world\n' }
];

const finished = (stderr: string) => /^system \w+ finished at cycle (\d+)\n$/.exec(stderr);

describe.each(KERNEL_PERSONALITIES.filter(name => name !== DEFAULT_PERSONALITY))('ukc run --kernel %s', personality => {
    for (const example of EXAMPLES) {
        it(`${example.name}: the same console output as under seL4`, async () => {
            const file = path.join(ROOT, 'examples', example.file);
            const sel4 = await runUkc(['run', file], ROOT, example.input);
            const other = await runUkc(['run', file, '--kernel', personality], ROOT, example.input);
            expect(other.code).toBe(0);
            expect(other.stdout).toBe(sel4.stdout);
            expect(finished(other.stderr)).not.toBeNull();
            expect(finished(sel4.stderr)).not.toBeNull();
        });
    }
});

describe('ukc run --kernel qnx', () => {

    it('names MsgSend and MsgReply with the bytes copied in the trace, and prints the figures with --stats', async () => {
        const run = await runUkc(['run', path.join(ROOT, 'examples/calculator/calculator.uk'), '--kernel', 'qnx', '--trace', '--stats']);
        expect(run.code).toBe(0);
        const lines = run.stdout.split('\n');
        expect(lines.slice(0, 3)).toEqual([
            '[      2237] client -> calc  Calculator.add(a=40, b=2)  MsgSend 8 bytes',
            '[      3073] client <- calc  Calculator.add = 42  MsgReply 4 bytes, 836 cycles',
            '40 + 2 = 42'
        ]);
        expect(lines).toContain('[     10408] client <- calc  Calculator.div = error CalcError.DivideByZero  MsgReply 0 bytes, 800 cycles');
        // 18 messages: the trace's nine MsgSend and nine MsgReply lines, whose bytes add up to 80.
        expect(run.stderr.split('\n').slice(1)).toEqual([
            'method             calls  messages  bytes  switches  entries  cycles/rt  registers  fastpath',
            'Calculator.add         2         4     20         4        4        830        yes        0%',
            'Calculator.div         2         4     24         4        4        813        yes        0%',
            'Calculator.square      5        10     36        10       10        808        yes        0%',
            '(no method)            0         0      0         2       21          -                    -',
            'total                  9        18     80        20       39        814                   0%',
            'kernel qnx: 18 priority changes (priority inheritance)',
            ''
        ]);
    });

    it('runs under seL4 when told so, as without the option', async () => {
        const file = path.join(ROOT, 'examples/calculator/calculator.uk');
        expect(await runUkc(['run', file, '--kernel', 'sel4', '--trace'])).toEqual(await runUkc(['run', file, '--trace']));
    });

    it('refuses a personality that does not exist, naming those that do', async () => {
        const run = await runUkc(['run', path.join(ROOT, 'examples/calculator/calculator.uk'), '--kernel', 'vms']);
        expect(run).toEqual({ code: 2, stdout: '', stderr: "ukc: --kernel must be one of sel4, qnx, rc4000, mach, not 'vms'\n" });
    });
});

/** Five one-way notes to a server of lower priority, then a call: under RC 4000 the notes wait in buffers. */
const BURST = `package burst

interface Log {
    oneway note(n: u32)
    total() -> u32
}

server Logger implements Log {
    var sum: u32 = 0
    on note(n) { sum += n }
    on total() { reply sum }
}

program Producer {
    uses log: Log

    main {
        for i in 1..6 {
            log.note(i)
            print("sent {}", i)
        }
        print("total {}", log.total())
    }
}

system Burst {
    instance logger: Logger { priority: 50 }
    instance producer: Producer { priority: 100 }
    connect producer.log -> logger
}
`;

/** Two servers that call each other from a handler: a deadlock under every model. */
const DEADLOCK = `package dl

interface Ping {
    ping() -> u32
}

server Echo implements Ping {
    uses other: Ping
    on ping() { reply other.ping() }
}

program Main {
    uses first: Ping
    main {
        print("got {}", first.ping())
    }
}

system Deadlock {
    instance a: Echo { priority: 100 }
    instance b: Echo { priority: 100 }
    instance m: Main { priority: 50 }
    connect m.first -> a
    connect a.other -> b
    connect b.other -> a
}
`;

describe('ukc run --kernel rc4000', () => {
    const folder = temporaryFolders('ukc-rc4000-');

    function burstFile(): string {
        const file = path.join(folder(), 'burst.uk');
        writeFileSync(file, BURST);
        return file;
    }

    it('names send message and send answer with the bytes copied into and out of the buffer, and prints the figures with --stats', async () => {
        const run = await runUkc(['run', path.join(ROOT, 'examples/calculator/calculator.uk'), '--kernel', 'rc4000', '--trace', '--stats']);
        expect(run.code).toBe(0);
        expect(run.stdout.split('\n').slice(0, 3)).toEqual([
            '[      2203] client -> calc  Calculator.add(a=40, b=2)  send message 16 bytes',
            '[      2837] client <- calc  Calculator.add = 42  send answer 8 bytes, 634 cycles',
            '40 + 2 = 42'
        ]);
        // 18 messages, whose bytes (each word copied into the buffer and out of it) add up to 160.
        expect(run.stderr.split('\n').slice(-3)).toEqual([
            'total                  9        18    160        20       39        610                   0%',
            'kernel rc4000: 1 of 32 message buffers in use at peak',
            ''
        ]);
    });

    it('buffers one-way messages: the five notes and the call wait in six buffers at once, and --buffers sets the size of the pool', async () => {
        const file = burstFile();
        const run = await runUkc(['run', file, '--kernel', 'rc4000', '--stats']);
        expect(run.code).toBe(0);
        expect(run.stdout).toBe('sent 1\nsent 2\nsent 3\nsent 4\nsent 5\ntotal 15\n');
        expect(run.stderr.split('\n').slice(-3)).toEqual([
            'total            6         7     48         3       32       5145                   0%',
            'kernel rc4000: 6 of 32 message buffers in use at peak',
            ''
        ]);
        const larger = await runUkc(['run', file, '--kernel', 'rc4000', '--buffers', '100', '--stats']);
        expect(larger.stderr.split('\n')).toContain('kernel rc4000: 6 of 100 message buffers in use at peak');
    });

    it('stops a sender that empties the pool with a clean fault at its call, and counts the refused note under its method', async () => {
        const run = await runUkc(['run', burstFile(), '--kernel', 'rc4000', '--buffers', '3']);
        expect(run).toEqual({
            code: 3,
            stdout: 'sent 1\nsent 2\nsent 3\nipc failed\n',
            stderr: 'fault: producer: ipc-failed at burst.uk:19:13\nsystem Burst stopped at cycle 8834 after a fault\n'
        });
        const stats = await runUkc(['run', burstFile(), '--kernel', 'rc4000', '--buffers', '3', '--stats']);
        expect(stats.stderr.split('\n').slice(2)).toEqual([
            'method       calls  refused  messages  bytes  switches  entries  cycles/rt  registers  fastpath',
            'Log.note         3        1         3     24         0        3          -        yes        0%',
            '(no method)      0        0         0      0         2       16          -                    -',
            'total            3        1         3     24         2       19          -                   0%',
            'kernel rc4000: 3 of 3 message buffers in use at peak, 1 send refused (every message buffer in use)',
            ''
        ]);
    });

    it('reports a deadlock as seL4 does: a call whose message waits in a queue waits for who could receive it', async () => {
        const file = path.join(folder(), 'dl.uk');
        writeFileSync(file, DEADLOCK);
        const sel4 = await runUkc(['run', file]);
        const rc4000 = await runUkc(['run', file, '--kernel', 'rc4000']);
        expect(rc4000.code).toBe(4);
        expect(rc4000.stderr.split('\n').slice(1)).toEqual([
            '  a waits for the reply from b at dl.uk:9:17',
            '  b waits for a to receive on a.endpoint at dl.uk:9:17',
            '  m waits for the reply from a at dl.uk:15:9',
            ''
        ]);
        expect(rc4000.stderr.split('\n').slice(1)).toEqual(sel4.stderr.split('\n').slice(1));
    });

    it('takes --buffers for a system whose kernel: line names rc4000', async () => {
        const file = path.join(folder(), 'calc.uk');
        writeFileSync(file, readFileSync(path.join(ROOT, 'examples/calculator/calculator.uk'), 'utf8').replace('system Demo {', 'system Demo {\n    kernel: rc4000'));
        const run = await runUkc(['run', file, '--buffers', '3', '--stats']);
        expect(run.code).toBe(0);
        expect(run.stderr.split('\n')).toContain('kernel rc4000: 1 of 3 message buffers in use at peak');
    });

    it('refuses --buffers without rc4000, and a number of buffers that is not a whole number from 1 to 4096', async () => {
        const file = path.join(ROOT, 'examples/calculator/calculator.uk');
        const refused = { code: 2, stdout: '', stderr: 'ukc: --buffers applies only to the rc4000 personality (--kernel rc4000, or a `kernel: rc4000` line in the system)\n' };
        expect(await runUkc(['run', file, '--buffers', '8'])).toEqual(refused);
        expect(await runUkc(['run', file, '--kernel', 'qnx', '--buffers', '8'])).toEqual(refused);
        for (const bad of ['0', '2.5', '4097', 'many']) {
            expect(await runUkc(['run', file, '--kernel', 'rc4000', '--buffers', bad]))
                .toEqual({ code: 2, stdout: '', stderr: `ukc: --buffers needs a whole number from 1 to 4096, not '${bad}'\n` });
        }
    });
});

describe('ukc run --kernel mach', () => {
    const folder = temporaryFolders('ukc-mach-');

    it('names the mach_msg RPC and its reply with the bytes copied in and out in the trace, and prints the figures with --stats', async () => {
        const run = await runUkc(['run', path.join(ROOT, 'examples/calculator/calculator.uk'), '--kernel', 'mach', '--trace', '--stats']);
        expect(run.code).toBe(0);
        expect(run.stdout.split('\n').slice(0, 3)).toEqual([
            '[      4153] client -> calc  Calculator.add(a=40, b=2)  mach_msg RPC 16 bytes',
            '[      5537] client <- calc  Calculator.add = 42  mach_msg reply 8 bytes, 1384 cycles',
            '40 + 2 = 42'
        ]);
        // 18 messages, each word copied into a kernel message and out of it: twice QNX's 80 bytes.
        const stats = run.stderr.split('\n');
        expect(stats).toContain('total                  9        18    160        20       39       1360                   0%');
        expect(stats).toContain('kernel mach: no notable events');
    });

    it('queues one-way messages at the port: the producer sends all five notes before the logger receives one', async () => {
        const file = path.join(folder(), 'burst.uk');
        writeFileSync(file, BURST);
        const run = await runUkc(['run', file, '--kernel', 'mach', '--trace']);
        expect(run.code).toBe(0);
        const lines = run.stdout.split('\n');
        // Every "sent" line comes before the first note is delivered (under seL4 each note waits for the logger).
        expect(lines.findIndex(line => line.includes('mach_msg send'))).toBeGreaterThan(lines.indexOf('sent 5'));
        expect(lines.filter(line => line.startsWith('sent ') || line.startsWith('total '))).toEqual(['sent 1', 'sent 2', 'sent 3', 'sent 4', 'sent 5', 'total 15']);
    });

    it('reports the sends that met a full port queue as a notable event with --stats', async () => {
        const run = await runUkc(['run', path.join(ROOT, 'examples/compare-models/models.uk'), '--kernel', 'mach', '--stats']);
        expect(run.code).toBe(0);
        expect(run.stderr.split('\n')).toContain('kernel mach: 2 sends found their port queue full (waited, or refused without blocking)');
    });

    it('reports a deadlock as seL4 does: a call whose message waits in a port queue waits for who could receive it', async () => {
        const file = path.join(folder(), 'dl.uk');
        writeFileSync(file, DEADLOCK);
        const sel4 = await runUkc(['run', file]);
        const mach = await runUkc(['run', file, '--kernel', 'mach']);
        expect(mach.code).toBe(4);
        expect(mach.stderr.split('\n').slice(1)).toEqual(sel4.stderr.split('\n').slice(1));
    });
});
