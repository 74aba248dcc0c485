import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';

const ROOT = path.resolve(__dirname, '../..');

async function ukc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { cwd: ROOT, stdout: text => { stdout += text; }, stderr: text => { stderr += text; } });
    return { code, stdout, stderr };
}

describe('ukc diff', () => {
    test('lists breaking and compatible changes and exits 1 when anything breaks', async () => {
        const run = await ukc(['diff', 'test/fixtures/diff/v1.uk', 'test/fixtures/diff/v2.uk']);
        expect(run.stdout.split('\n')).toEqual([
            "breaking: store.Store.get request: 'key' moved from MR0 bits 0..31 to MR1 bits 0..31",
            "compatible: store.Store.put request: 'flags' was renamed to 'options' in place",
            'breaking: store.Store.put changed its errors from {Full=1} to {Full=1, ReadOnly=2}',
            "breaking: store.Store.stat request: 'id' changed from u16 to u32",
            'breaking: store.Store.drop (ordinal 4) was removed',
            'breaking: store.Store.count was renumbered from ordinal 5 to 4; pin it with @ordinal(5)',
            'compatible: store.Store.scan was added with the fresh ordinal 9',
            'breaking: interface store.Legacy was removed',
            'compatible: interface store.Fresh was added',
            ''
        ]);
        expect(run.stderr).toBe('6 breaking, 3 compatible changes on ukvm32\n');
        expect(run.code).toBe(1);
    });

    test('renames in place and methods with fresh ordinals are compatible', async () => {
        expect(await ukc(['diff', 'test/fixtures/diff/v1.uk', 'test/fixtures/diff/v2-compatible.uk'])).toEqual({
            code: 0,
            stdout: [
                "compatible: store.Store.get reply: 'value' was renamed to 'data' in place",
                "compatible: store.Store.get reply: 'status' was renamed to 'result' in place",
                'compatible: store.Store.watch was added with the fresh ordinal 20',
                ''
            ].join('\n'),
            stderr: '0 breaking, 3 compatible changes on ukvm32\n'
        });
    });

    test('a file compared with itself has no changes', async () => {
        expect(await ukc(['diff', 'test/fixtures/diff/v1.uk', 'test/fixtures/diff/v1.uk'])).toEqual({
            code: 0, stdout: '', stderr: '0 breaking, 0 compatible changes on ukvm32\n'
        });
    });

    test('an enum whose members change breaks the fields of that type', async () => {
        const run = await ukc(['diff', 'test/fixtures/diff/enum-v1.uk', 'test/fixtures/diff/enum-v2.uk']);
        expect(run.stdout).toBe("breaking: Mode.Set request: 'mode' changed from Level to Level (its members changed)\n");
        expect(run.code).toBe(1);
    });

    test('sources with errors are reported and nothing is compared', async () => {
        expect(await ukc(['diff', 'test/fixtures/diff/v1.uk', 'test/fixtures/broken/syntax.uk'])).toEqual({
            code: 1, stdout: '', stderr: "test/fixtures/broken/syntax.uk:2:30: error: Expected '}', but found the end of the file.\n"
        });
    });
});
