import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ExitCode } from '../../src/cli/cli-io.js';
import { ROOT, runUkc as ukc, temporaryFolders } from './run-ukc.js';

const makeFolder = temporaryFolders('ukc-cli-');

function tempFolder(files: Record<string, string | Buffer>): string {
    const folder = makeFolder();
    for (const [name, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
        writeFileSync(path.join(folder, name), content);
    }
    return folder;
}

describe('ukc check', () => {
    test('the examples check cleanly', async () => {
        const run = await ukc(['check', 'examples']);
        expect(run).toEqual({ code: ExitCode.Ok, stdout: '', stderr: '0 errors, 0 warnings in 10 files\n' });
    });

    test('a folder of broken files gives file:line:col diagnostics and exit code 1', async () => {
        const run = await ukc(['check', 'test/fixtures/broken']);
        expect(run.code).toBe(ExitCode.Diagnostics);
        expect(run.stdout.split('\n')).toEqual([
            "test/fixtures/broken/syntax.uk:2:30: error: Expected '}', but found the end of the file.",
            "test/fixtures/broken/system.uk:10:38: error: 'priority' must be between 0 and 255 (the scheduling priority; 0 is the lowest), not 400.",
            'test/fixtures/broken/system.uk:12:29: error: log implements Log, but client.store needs Store.',
            'test/fixtures/broken/types.uk:8:21: error: Constant 300 does not fit u8 (0..255).',
            'test/fixtures/broken/types.uk:10:12: error: A condition must be bool, not u32.',
            "test/fixtures/broken/types.uk:11:15: error: 'get' replies with 2 values (status, value), but 1 value is given.",
            "test/fixtures/broken/types.uk:13:18: error: Method 'clear' is oneway: there is no caller waiting for a reply.",
            ''
        ]);
        expect(run.stderr).toBe('7 errors, 0 warnings in 3 files\n');
    });

    test('--json gives positions, ranges, severities and stable codes', async () => {
        const run = await ukc(['check', '--json', 'test/fixtures/broken/types.uk']);
        expect(run.code).toBe(ExitCode.Diagnostics);
        expect(run.stderr).toBe('');
        const report = JSON.parse(run.stdout) as { files: number; diagnostics: unknown[] };
        expect(report.files).toBe(1);
        expect(report.diagnostics[0]).toEqual({
            file: 'test/fixtures/broken/types.uk', line: 8, column: 21, endLine: 8, endColumn: 24,
            severity: 'error', code: 'constant-out-of-range', message: 'Constant 300 does not fit u8 (0..255).'
        });
        expect(report.diagnostics).toHaveLength(4);
    });

    test('warnings alone exit 0', async () => {
        const folder = tempFolder({ 'w.uk': 'interface Empty { }' });
        const run = await ukc(['check', 'w.uk'], folder);
        expect(run).toEqual({ code: ExitCode.Ok, stdout: "w.uk:1:11: warning: Interface 'Empty' has no methods.\n", stderr: '0 errors, 1 warning in 1 file\n' });
    });

    test('a named file pulls in its imports but reports only its own diagnostics', async () => {
        const folder = tempFolder({
            'main.uk': 'import "lib/types.uk"\nstruct User { k: Key }',
            'lib/types.uk': 'struct Key { hi: Missing }'
        });
        const run = await ukc(['check', 'main.uk'], folder);
        expect(run).toEqual({ code: ExitCode.Ok, stdout: '', stderr: '0 errors, 0 warnings in 1 file\n' });
        const both = await ukc(['check', '.'], folder);
        expect(both.stdout).toBe("lib/types.uk:1:18: error: Unknown type 'Missing'.\n");
    });

    test('an import that points nowhere is reported at the import', async () => {
        const folder = tempFolder({ 'main.uk': 'import "gone.uk"\n' });
        const run = await ukc(['check', 'main.uk'], folder);
        expect(run.code).toBe(ExitCode.Diagnostics);
        expect(run.stdout).toBe(`main.uk:1:8: error: Cannot find the file 'gone.uk' (looked for ${path.join(folder, 'gone.uk')}).\n`);
    });
});

describe('bad input', () => {
    test('a missing file', async () => {
        expect(await ukc(['check', 'nope.uk'])).toEqual({ code: ExitCode.Usage, stdout: '', stderr: "ukc: cannot read 'nope.uk': no such file or folder\n" });
    });

    test('a folder without .uk files', async () => {
        const folder = tempFolder({ 'readme.txt': 'hello' });
        expect(await ukc(['check', '.'], folder)).toEqual({ code: ExitCode.Usage, stdout: '', stderr: "ukc: no .uk files in folder '.'\n" });
    });

    test('a binary file', async () => {
        const folder = tempFolder({ 'blob.uk': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]) });
        expect(await ukc(['check', 'blob.uk'], folder)).toEqual({ code: ExitCode.Usage, stdout: '', stderr: "ukc: 'blob.uk' is not a text file (it contains NUL bytes)\n" });
    });

    test('a named file that is not a .uk file', async () => {
        expect(await ukc(['check', 'README.md'])).toEqual({ code: ExitCode.Usage, stdout: '', stderr: "ukc: 'README.md' is not a .uk file\n" });
        expect(await ukc(['layout', '/dev/null'])).toEqual({ code: ExitCode.Usage, stdout: '', stderr: "ukc: '/dev/null' is not a .uk file\n" });
    });

    test('a file that is not UTF-8', async () => {
        const folder = tempFolder({ 'latin1.uk': Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x20, 0xe9]) });
        expect(await ukc(['check', 'latin1.uk'], folder)).toEqual({ code: ExitCode.Usage, stdout: '', stderr: "ukc: 'latin1.uk' is not valid UTF-8 text\n" });
    });

    test('no paths, an unknown command, an unknown option', async () => {
        expect(await ukc(['check'])).toEqual({ code: ExitCode.Usage, stdout: '', stderr: "error: missing required argument 'paths'\n" });
        const unknown = await ukc(['chek', 'x.uk']);
        expect(unknown.code).toBe(ExitCode.Usage);
        expect(unknown.stderr).toBe("error: unknown command 'chek'\n(Did you mean check?)\n");
        expect((await ukc(['check', '--jsn', 'x.uk'])).stderr).toBe("error: unknown option '--jsn'\n(Did you mean --json?)\n");
    });

    test('--help and --version', async () => {
        const help = await ukc(['--help']);
        expect(help.code).toBe(ExitCode.Ok);
        expect(help.stdout).toContain('check [options] <paths...>');
        expect(help.stdout).toContain('2   bad command line or unreadable input');
        expect(await ukc(['--version'])).toEqual({ code: ExitCode.Ok, stdout: '0.1.0\n', stderr: '' });
    });
});

describe('the built binary', () => {
    test('bin/ukc.js runs the bundled command with the same results and exit codes', () => {
        const ok = spawnSync(process.execPath, ['bin/ukc.js', 'check', 'examples'], { cwd: ROOT, encoding: 'utf8' });
        expect(ok.status).toBe(0);
        expect(ok.stderr).toBe('0 errors, 0 warnings in 10 files\n');
        const broken = spawnSync(process.execPath, ['bin/ukc.js', 'check', 'test/fixtures/broken'], { cwd: ROOT, encoding: 'utf8' });
        expect(broken.status).toBe(1);
        expect(broken.stdout.split('\n')).toHaveLength(8);
        const missing = spawnSync(process.execPath, ['bin/ukc.js', 'check', 'nope.uk'], { cwd: ROOT, encoding: 'utf8' });
        expect(missing.status).toBe(2);
        expect(missing.stderr).toBe("ukc: cannot read 'nope.uk': no such file or folder\n");
        expect(execFileSync(process.execPath, ['bin/ukc.js', '--version'], { cwd: ROOT, encoding: 'utf8' })).toBe('0.1.0\n');
    });

    test('a syntax error next to a grammar ambiguity prints the diagnostic and nothing from the parser generator', () => {
        // `len(b) as` starts both a builtin call and a name: the recovering parser's lookahead analysis of
        // that decision printed Chevrotain's "Ambiguous Alternatives Detected" to the user (on stdout).
        const folder = tempFolder({
            'broken.uk': 'interface I { m(b: vec[u8; 4]) -> u32 }\nserver S implements I { on m(b) { reply len(b) as u32 } }\nprogram C { uses i: I main { print "{}", 1 } }\n'
        });
        const run = spawnSync(process.execPath, ['bin/ukc.js', 'check', path.join(folder, 'broken.uk')], { cwd: ROOT, encoding: 'utf8' });
        expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
            status: ExitCode.Diagnostics,
            stdout: `${path.join(folder, 'broken.uk')}:3:36: error: Expected '(', but found '"{}"'.\n`,
            stderr: '1 error, 0 warnings in 1 file\n'
        });
    });
});
