/**
 * runtime/ must also run in a browser: no Node built-ins, no Node globals, and no imports from src/ (what
 * the compiler and the runtime share is runtime/contract; test/architecture checks the rest of the rule).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test } from 'vitest';

const RUNTIME = path.resolve(__dirname, '../../runtime');

function sources(folder: string): string[] {
    return readdirSync(folder).flatMap(entry => {
        const full = path.join(folder, entry);
        return statSync(full).isDirectory() ? sources(full) : entry.endsWith('.ts') ? [full] : [];
    });
}

test('runtime/ uses no Node-only API', () => {
    const offences: string[] = [];
    for (const file of sources(RUNTIME)) {
        // Comments may mention processes and buffers; only code counts.
        const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, match => match.replace(/[^\n]/g, ' '));
        const lines = text.split('\n');
        lines.forEach((line, i) => {
            const where = `${path.relative(RUNTIME, file)}:${i + 1}`;
            if (/from\s+['"](node:|fs|path|os|child_process|worker_threads|crypto|buffer|process)['"/]/.test(line)) offences.push(`${where} imports a Node module`);
            if (/\brequire\(/.test(line)) offences.push(`${where} calls require`);
            if (/\b(process|Buffer|__dirname|__filename)\b/.test(line.replace(/\/\/.*$/, '').replace(/'[^']*'|"[^"]*"|`[^`]*`/g, ''))) {
                offences.push(`${where} uses a Node global`);
            }
            const fromSrc = /from\s+['"](\.\.\/)+src\/([^'"]+)['"]/.exec(line);
            if (fromSrc) offences.push(`${where} imports src/${fromSrc[2]}`);
        });
    }
    expect(offences).toEqual([]);
    expect(sources(RUNTIME).length).toBeGreaterThan(5);
});
