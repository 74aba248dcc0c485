/**
 * `ukc compare` as users type it: the bundled command (bin/ukc.js, so that its worker threads start from
 * dist/chunks/compare-worker.js as they do for a user; `npm run build` first), against golden files for the
 * example made for it (reviewed by hand; regenerate with `node bin/ukc.js compare
 * examples/compare-models/models.uk --kernel sel4,qnx [--json] > test/fixtures/compare/compare-models.txt|json`
 * after a change meant to alter them), a system whose console output differs between the models, the
 * `kernel:` line and `--kernel` over it, and bad input.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNEL_PERSONALITIES } from '../../runtime/contract/index.js';
import { ROOT, runUkc, temporaryFolders } from './run-ukc.js';

const MODELS = 'examples/compare-models/models.uk';
const INVERSION = 'test/fixtures/compare/inversion.uk';
const FLOOD = 'test/fixtures/compare/flood.uk';
const temporary = temporaryFolders('ukc-compare-');

function ukc(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, ['bin/ukc.js', ...args], { cwd: ROOT, encoding: 'utf8' });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const golden = (name: string) => readFileSync(path.join(ROOT, 'test/fixtures/compare', name), 'utf8');

describe('ukc compare', () => {
    it('prints the table of figures per method and in total, and where behaviour differed', () => {
        expect(ukc(['compare', MODELS, '--kernel', 'sel4,qnx'])).toEqual({ code: 0, stdout: golden('compare-models.txt'), stderr: '' });
    }, 60_000);

    it('--json gives the same comparison as JSON', () => {
        const run = ukc(['compare', MODELS, '--kernel', 'sel4,qnx', '--json']);
        expect(run).toEqual({ code: 0, stdout: golden('compare-models.json'), stderr: '' });
        const comparison = JSON.parse(run.stdout) as { kernels: string[]; console: Record<string, string>; total: { figures: Record<string, { messages: number }> } };
        expect(comparison.kernels).toEqual(['sel4', 'qnx']);
        expect(comparison.console.qnx).toBe(comparison.console.sel4);
        expect(comparison.total.figures.qnx.messages).toBe(22);
    }, 60_000);

    it('shows the personalities in the order listed, and where console output differed', () => {
        expect(ukc(['compare', INVERSION, '--kernel', 'qnx,sel4'])).toEqual({
            code: 0,
            stderr: '',
            stdout: [
                'system Inversion under qnx, sel4',
                '',
                'method       figure              qnx  sel4',
                'Work.step    messages              4     4',
                '             bytes copied         16     0',
                '             context switches      3     3',
                '             kernel entries        9     9',
                '             cycles/round trip  2802  3494',
                '(no method)  messages              0     0',
                '             bytes copied          0     0',
                '             context switches      4     4',
                '             kernel entries        8     8',
                '             cycles/round trip     -     -',
                'total        messages              4     4',
                '             bytes copied         16     0',
                '             context switches      7     7',
                '             kernel entries       17    17',
                '             cycles/round trip  2802  3494',
                '',
                'outcome: the same under every personality, finished (qnx at cycle 11564, sel4 at cycle 9942)',
                'console output: sel4 differs from qnx at line 2: qnx printed "served 2", sel4 "middle ran"',
                'notable events:',
                '  qnx   4 priority changes (priority inheritance), 1 pulse (queued one by one, not merged)',
                '  sel4  no notable events',
                ''
            ].join('\n')
        });
    }, 60_000);

    it('counts the messages a kernel refused under their method, and names the refusal among the notable events', () => {
        expect(ukc(['compare', FLOOD, '--kernel', 'sel4,rc4000'])).toEqual({
            code: 0,
            stderr: '',
            stdout: [
                'system Flood under sel4, rc4000',
                '',
                'method       figure             sel4  rc4000',
                'Log.note     messages             10       8',
                '             refused               0       1',
                '             bytes copied          0      64',
                '             context switches      9       0',
                '             kernel entries       10       8',
                '             cycles/round trip     -       -',
                '(no method)  messages              0       0',
                '             refused               0       0',
                '             bytes copied          0       0',
                '             context switches     13       2',
                '             kernel entries       14      12',
                '             cycles/round trip     -       -',
                'total        messages             10       8',
                '             refused               0       1',
                '             bytes copied          0      64',
                '             context switches     22       2',
                '             kernel entries       24      20',
                '             cycles/round trip     -       -',
                '',
                'outcome: sel4 finished at cycle 22313 (exit 0); rc4000 fault at cycle 12731 (exit 3)',
                'console output: rc4000 differs from sel4 at line 1: sel4 printed "sent 10", rc4000 "ipc failed"',
                '  rc4000: fault: producer: ipc-failed at flood.uk:19:13',
                '  rc4000: system Flood stopped at cycle 12731 after a fault',
                'notable events:',
                '  sel4    no notable events',
                '  rc4000  8 of 32 message buffers in use at peak, 1 send refused (its sender held its claim of 8 buffers)',
                ''
            ].join('\n')
        });
    }, 60_000);

    it('refuses a personality that does not exist, naming those that do', async () => {
        expect(await runUkc(['compare', MODELS, '--kernel', 'sel4,minix'])).toEqual({
            code: 2, stdout: '', stderr: `ukc: --kernel must list personalities among ${KERNEL_PERSONALITIES.join(', ')}, not 'minix'\n`
        });
        expect(await runUkc(['compare', MODELS, '--max-cycles', '0'])).toEqual({ code: 2, stdout: '', stderr: "ukc: --max-cycles needs a positive whole number, not '0'\n" });
        expect(await runUkc(['compare', 'nope.uk'])).toMatchObject({ code: 2, stdout: '' });
    });
});

describe('the kernel: line', () => {
    it('chooses the personality a run uses, and --kernel overrides it', async () => {
        const byLine = await runUkc(['run', INVERSION, '--trace']);
        expect(byLine.code).toBe(0);
        expect(byLine.stdout.split('\n')[0]).toBe('[      3036] urgent -> slow  Work.step(n=1)  MsgSend 4 bytes');
        expect(byLine.stdout.split('\n').filter(line => !line.startsWith('['))).toEqual(['served 1', 'served 2', 'middle ran', '']);
        expect(await runUkc(['run', INVERSION])).toEqual({ code: 0, stdout: 'served 1\nserved 2\nmiddle ran\n', stderr: 'system Inversion finished at cycle 11564\n' });
        expect(await runUkc(['run', INVERSION, '--kernel', 'sel4'])).toEqual({ code: 0, stdout: 'served 1\nmiddle ran\nserved 2\n', stderr: 'system Inversion finished at cycle 9942\n' });
    });

    it('travels in the image directory: a compiled system runs under its personality', async () => {
        const folder = temporary();
        expect((await runUkc(['compile', path.join(ROOT, INVERSION), '-o', 'inversion.image'], folder)).code).toBe(0);
        const manifest = JSON.parse(readFileSync(path.join(folder, 'inversion.image/manifest.json'), 'utf8')) as { kernel?: string };
        expect(manifest.kernel).toBe('qnx');
        expect(await runUkc(['run', 'inversion.image', '--stats'], folder)).toEqual({
            code: 0,
            stdout: 'served 1\nserved 2\nmiddle ran\n',
            stderr: [
                'system Inversion finished at cycle 11564',
                'method       calls  messages  bytes  switches  entries  cycles/rt  registers  fastpath',
                'Work.step        2         4     16         3        9       2802        yes        0%',
                '(no method)      0         0      0         4        8          -                    -',
                'total            2         4     16         7       17       2802                   0%',
                'kernel qnx: 4 priority changes (priority inheritance), 1 pulse (queued one by one, not merged)',
                ''
            ].join('\n')
        });
    });
});
