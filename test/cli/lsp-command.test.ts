/**
 * `ukc lsp` as the README documents it, started as editors start it (`node bin/ukc.js lsp --stdio`), and
 * the two `ukc check` failures that used to be internal errors (issue 15, items 19 to 21).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ExitCode } from '../../src/cli/cli-io.js';
import { LspClient } from '../language/lsp/lsp-client.js';
import { ROOT, runUkc as ukc, temporaryFolders } from './run-ukc.js';

const makeFolder = temporaryFolders('ukc-lsp-cli-');

function ukcProcess(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/ukc.js'), ...args], { input, encoding: 'utf8', timeout: 20_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('ukc lsp', () => {
    let client: LspClient;
    beforeAll(async () => { client = await LspClient.start(); });
    afterAll(() => client.stop());

    test('--stdio serves the protocol', async () => {
        expect(client.initializeResult?.capabilities).toHaveProperty('hoverProvider', true);
        const published = await client.open('a.uk', 'const A: u32 = true\n');
        expect(published.diagnostics.map(d => d.message)).toEqual(["The value of constant 'A' must be u32, not bool."]);
    });

    test('without a transport: a usage error, not an internal error', () => {
        expect(ukcProcess(['lsp'])).toEqual({ status: ExitCode.Usage, stdout: '', stderr: 'ukc: lsp needs a transport: --stdio, --node-ipc or --socket=PORT\n' });
    });

    test('two transports, a bad port, --node-ipc without a channel: usage errors', () => {
        expect(ukcProcess(['lsp', '--stdio', '--socket=5007'])).toMatchObject({ status: ExitCode.Usage, stderr: 'ukc: lsp takes one transport, not --stdio and --socket\n' });
        expect(ukcProcess(['lsp', '--socket=http'])).toMatchObject({ status: ExitCode.Usage, stderr: "ukc: --socket needs a port number from 1 to 65535, not 'http'\n" });
        expect(ukcProcess(['lsp', '--node-ipc'])).toMatchObject({ status: ExitCode.Usage, stderr: 'ukc: --node-ipc needs a parent process that started ukc with an IPC channel\n' });
    });

    test("VS Code's --clientProcessId is accepted; the server ends when its input does", () => {
        const run = ukcProcess(['lsp', '--stdio', `--clientProcessId=${process.pid}`]);
        expect(run.stderr).toBe('');
        expect(run.status).toBe(1); // input closed without a shutdown request, as vscode-languageserver exits
    });
});

describe('ukc check on what used to fail inside ukc', () => {
    test('a text that made the recovering parser throw is a syntax error at a position', async () => {
        const folder = makeFolder();
        writeFileSync(path.join(folder, 'bad.uk'), 'program{main(q,=/*');
        const run = await ukc(['check', 'bad.uk'], folder);
        expect(run.code).toBe(ExitCode.Diagnostics);
        expect(run.stdout.split('\n')[0]).toBe("bad.uk:1:8: error: Expected a name, but found '{'.");
        expect(run.stderr).not.toContain('internal error');
    });

    test('a name declared in two files of one package is reported in both', async () => {
        const folder = makeFolder();
        mkdirSync(path.join(folder, 'pipeline'));
        for (const name of ['types.uk', 'pipeline.uk']) {
            writeFileSync(path.join(folder, 'pipeline', name), readFileSync(path.join(ROOT, 'examples/pipeline', name), 'utf8'));
        }
        writeFileSync(path.join(folder, 'pipeline', 'batching.uk'), 'package pipeline\n\nconst BATCH = 16\n');
        const run = await ukc(['check', 'pipeline'], folder);
        expect(run).toEqual({
            code: ExitCode.Diagnostics,
            stdout: [
                "pipeline/batching.uk:3:7: error: 'BATCH' is also declared in types.uk (line 4), another file of package pipeline.",
                "pipeline/types.uk:4:7: error: 'BATCH' is also declared in batching.uk (line 3), another file of package pipeline.",
                ''
            ].join('\n'),
            stderr: '2 errors, 0 warnings in 3 files\n'
        });
    });
});
