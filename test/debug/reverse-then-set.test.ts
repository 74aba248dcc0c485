/**
 * Going back and then changing a value by hand: the snapshots of the future the run no longer has are
 * forgotten, and going forward executes with the new value instead of replaying the old path.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { ConsoleLog, SystemDebugger } from '../../src/debug/index.js';
import { MemoryFileSystem, Session, URI, bootRunnable } from '../../src/session/index.js';
import { ROOT } from '../cli/run-ukc.js';

const CALCULATOR = readFileSync(path.join(ROOT, 'examples/calculator/calculator.uk'), 'utf8');

it('a value set after going back changes what happens next, and the later snapshots are gone', async () => {
    const memory = new MemoryFileSystem();
    memory.write('memory:///main.uk', CALCULATOR);
    const compiled = await new Session(memory).compile({ uri: URI.parse('memory:///main.uk'), shownAs: 'main.uk' });
    if (compiled.kind !== 'compiled') throw new Error('not compiled');
    const log = new ConsoleLog();
    const debug = new SystemDebugger(bootRunnable(compiled.system, { console: log }), { history: { interval: 2_000, participants: [log.participant] } });
    const history = debug.history;
    if (!history) throw new Error('no history');

    // `on square(x)`: x is 2, 4, 16 at the first three hits.
    debug.setSourceBreakpoints('main.uk', [{ line: 34 }]);
    const argument = () => debug.scopes('calc', 0).find(scope => scope.name === 'Arguments')?.variables.find(variable => variable.name === 'x');
    for (let i = 0; i < 3; i++) await debug.continue();
    expect(argument()?.value).toBe('16');
    const latest = Math.max(...history.cycles());

    expect((await debug.reverseContinue()).kind).toBe('stopped');
    expect(argument()?.value).toBe('4');
    const now = debug.run.cycle;
    expect(latest).toBeGreaterThan(now);
    expect(argument()?.set?.('5').value).toBe('5');
    expect(history.cycles().filter(cycle => cycle > now)).toEqual([]);

    // Forward: the square of 5 comes back, not the 16 of the first time, and the loop ends at 390,625
    // without the overflow the first run printed (square(65536)).
    await debug.continue();
    expect(argument()?.value).toBe('25');
    debug.setSourceBreakpoints('main.uk', []);
    expect((await debug.continue()).kind).toBe('ended');
    expect(log.text()).toBe('40 + 2 = 42\n17 / 5 = 3 rem 2\n1 / 0 -> DivideByZero\nI32_MAX + 1 -> Overflow\n');
});
