/**
 * `ukc fmt` as a user types it: `node bin/ukc.js fmt ...` run as a child process in a folder of files,
 * with the exact output, exit code and file contents afterwards. `npm test` builds bin/'s bundle first.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, temporaryFolders } from './run-ukc.js';

const makeFolder = temporaryFolders('ukc-fmt-');

const CLEAN = 'const LIMIT = 4\n';
const MESSY_SERVER = 'interface Counter { next() -> u32 }\nserver C implements Counter {\n  var n:u32=0\n  on next(){ n+=1  reply n }\n}\n';
const FORMATTED_SERVER = 'interface Counter { next() -> u32 }\nserver C implements Counter {\n    var n: u32 = 0\n    on next() {\n        n += 1\n        reply n\n    }\n}\n';
const MESSY_ENUM = 'enum Mode:u8{Off=0,On=1}\n';
const BROKEN = 'struct Key {\n  hi: u32,\n';

function folderWith(files: Record<string, string>): string {
    const folder = makeFolder();
    for (const [name, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
        writeFileSync(path.join(folder, name), text);
    }
    return folder;
}

function ukc(args: readonly string[], cwd: string) {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/ukc.js'), ...args], { cwd, encoding: 'utf8' });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const read = (folder: string, name: string) => readFileSync(path.join(folder, name), 'utf8');

describe('ukc fmt', () => {
    test('--check lists the files that are not formatted, changes nothing, and exits 1', () => {
        const folder = folderWith({ 'src/clean.uk': CLEAN, 'src/server.uk': MESSY_SERVER, 'src/sub/enum.uk': MESSY_ENUM, 'README.md': '# not uk\n' });
        expect(ukc(['fmt', '--check', 'src'], folder)).toEqual({
            code: 1,
            stdout: 'src/server.uk\nsrc/sub/enum.uk\n',
            stderr: '2 files are not formatted; `ukc fmt` rewrites them\n'
        });
        expect(read(folder, 'src/server.uk')).toBe(MESSY_SERVER);
        expect(ukc(['fmt', '--check', 'src/sub/enum.uk'], folder)).toEqual({
            code: 1, stdout: 'src/sub/enum.uk\n', stderr: '1 file is not formatted; `ukc fmt` rewrites it\n'
        });
    });

    test('rewrites the files in place and lists them; a second run has nothing to do', () => {
        const folder = folderWith({ 'src/clean.uk': CLEAN, 'src/server.uk': MESSY_SERVER, 'src/sub/enum.uk': MESSY_ENUM });
        expect(ukc(['fmt', 'src'], folder)).toEqual({ code: 0, stdout: 'src/server.uk\nsrc/sub/enum.uk\n', stderr: '' });
        expect(read(folder, 'src/server.uk')).toBe(FORMATTED_SERVER);
        expect(read(folder, 'src/sub/enum.uk')).toBe('enum Mode : u8 { Off = 0, On = 1 }\n');
        expect(read(folder, 'src/clean.uk')).toBe(CLEAN);
        expect(ukc(['fmt', 'src'], folder)).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(ukc(['fmt', '--check', 'src'], folder)).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    test('a file with a syntax error is reported with its position and never rewritten; the others are formatted', () => {
        const folder = folderWith({ 'broken.uk': BROKEN, 'server.uk': MESSY_SERVER });
        expect(ukc(['fmt', '.'], folder)).toEqual({
            code: 1,
            stdout: 'server.uk\n',
            stderr: "broken.uk:2:11: error: Expected '}', but found the end of the file.\n"
        });
        expect(read(folder, 'broken.uk')).toBe(BROKEN);
        // The same message, at the same place, as `ukc check` gives.
        expect(ukc(['check', 'broken.uk'], folder).stdout).toBe("broken.uk:2:11: error: Expected '}', but found the end of the file.\n");
        expect(read(folder, 'server.uk')).toBe(FORMATTED_SERVER);
        expect(ukc(['fmt', '--check', 'broken.uk'], folder)).toEqual({
            code: 1, stdout: '', stderr: "broken.uk:2:11: error: Expected '}', but found the end of the file.\n"
        });
    });

    test('bad inputs: a missing file, a file that is not .uk, no files in a folder', () => {
        const folder = folderWith({ 'notes.txt': 'hello\n', 'empty/README.md': '# nothing\n' });
        expect(ukc(['fmt', 'missing.uk'], folder)).toEqual({ code: 2, stdout: '', stderr: "ukc: cannot read 'missing.uk': no such file or folder\n" });
        expect(ukc(['fmt', 'notes.txt'], folder)).toEqual({ code: 2, stdout: '', stderr: "ukc: 'notes.txt' is not a .uk file\n" });
        expect(ukc(['fmt', '--check', 'empty'], folder)).toEqual({ code: 2, stdout: '', stderr: "ukc: no .uk files in folder 'empty'\n" });
    });

    test('the examples are formatted', () => {
        expect(ukc(['fmt', '--check', 'examples'], ROOT)).toEqual({ code: 0, stdout: '', stderr: '' });
    });
});
