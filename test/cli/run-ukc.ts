/** Helpers for the CLI tests: the `ukc` command line run in-process, and temporary folders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { runCli } from '../../src/cli/main.js';

export const ROOT = path.resolve(__dirname, '../..');

export interface CliRun {
    code: number;
    stdout: string;
    stderr: string;
}

export async function runUkc(args: readonly string[], cwd = ROOT, stdin?: string): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const readStdin = async () => new TextEncoder().encode(stdin ?? '');
    const code = await runCli(args, { cwd, stdout: text => { stdout += text; }, stderr: text => { stderr += text; }, readStdin });
    return { code, stdout, stderr };
}

/**
 * Returns a function that makes temporary folders (named `prefix` and a random suffix), all removed after
 * the calling test file's tests. Call it at the top level of a test file.
 */
export function temporaryFolders(prefix: string): () => string {
    const made: string[] = [];
    afterAll(() => made.forEach(folder => rmSync(folder, { recursive: true, force: true })));
    return () => {
        const folder = mkdtempSync(path.join(tmpdir(), prefix));
        made.push(folder);
        return folder;
    };
}
