/**
 * End to end: `ukc run --kernel` as users type it. Every example prints the same console output under
 * the QNX personality as under seL4 (only the emulated cycles in the outcome line differ: the models
 * cost differently, docs/ABI.md); the trace names QNX's operations and the bytes the kernel copied; an
 * unknown personality is a usage error.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const EXAMPLES: readonly { readonly name: string; readonly file: string; readonly input?: string }[] = [
    { name: 'calculator', file: 'calculator/calculator.uk' },
    { name: 'compare-models', file: 'compare-models/models.uk' },
    { name: 'kv-store', file: 'kv-store/kv.uk' },
    { name: 'name-server', file: 'name-server/names.uk' },
    { name: 'pipeline', file: 'pipeline/pipeline.uk' },
    { name: 'supervised-restart', file: 'supervised-restart/supervised.uk' },
    { name: 'uart-driver', file: 'uart-driver/uart.uk', input: 'hello, microkernel world\n' }
];

const finished = (stderr: string) => /^system \w+ finished at cycle (\d+)\n$/.exec(stderr);

describe('ukc run --kernel qnx', () => {
    for (const example of EXAMPLES) {
        it(`${example.name}: the same console output as under seL4`, async () => {
            const file = path.join(ROOT, 'examples', example.file);
            const sel4 = await runUkc(['run', file], ROOT, example.input);
            const qnx = await runUkc(['run', file, '--kernel', 'qnx'], ROOT, example.input);
            expect(qnx.code).toBe(0);
            expect(qnx.stdout).toBe(sel4.stdout);
            expect(finished(qnx.stderr)).not.toBeNull();
            expect(finished(sel4.stderr)).not.toBeNull();
        });
    }

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
        const run = await runUkc(['run', path.join(ROOT, 'examples/calculator/calculator.uk'), '--kernel', 'mach']);
        expect(run).toEqual({ code: 2, stdout: '', stderr: "ukc: --kernel must be one of sel4, qnx, not 'mach'\n" });
    });
});
