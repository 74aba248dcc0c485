/**
 * Broken input must give diagnostics, never an exception inside ukc. Every example is cut short and has
 * characters deleted at many places; Langium turns an exception in a check or in linking into a diagnostic
 * that starts "An error occurred", so none of those may appear.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildFiles } from '../helpers.js';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const VARIANTS_PER_FILE = 120;

function exampleFiles(folder = EXAMPLES): string[] {
    return readdirSync(folder).sort().flatMap(entry => {
        const full = path.join(folder, entry);
        if (statSync(full).isDirectory()) return exampleFiles(full);
        return entry.endsWith('.uk') ? [full] : [];
    });
}

/** A small deterministic generator, so that a failure can be reproduced. */
function lcg(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state / 2 ** 32;
    };
}

async function internalErrors(text: string): Promise<string[]> {
    const [document] = await buildFiles({ 'broken.uk': text });
    return (document.diagnostics ?? []).map(d => String(d.message)).filter(message => message.startsWith('An error occurred'));
}

describe('robustness on broken input', () => {
    for (const file of exampleFiles()) {
        const name = path.relative(EXAMPLES, file);
        const text = readFileSync(file, 'utf8');

        test(`${name}: cut short anywhere`, async () => {
            for (let i = 1; i <= VARIANTS_PER_FILE; i++) {
                const cut = Math.floor(text.length * i / (VARIANTS_PER_FILE + 1));
                expect(await internalErrors(text.slice(0, cut)), `cut at ${cut}`).toEqual([]);
            }
        });

        test(`${name}: a few characters deleted`, async () => {
            const random = lcg(text.length);
            for (let i = 0; i < VARIANTS_PER_FILE; i++) {
                const at = Math.floor(random() * text.length);
                const length = 1 + Math.floor(random() * 6);
                expect(await internalErrors(text.slice(0, at) + text.slice(at + length)), `deleted ${length} at ${at}`).toEqual([]);
            }
        });
    }
});

describe('broken statements that once broke the checker', () => {
    test('a for loop or a catch that lost its name', async () => {
        for (const body of ['for in 0..5 { let y = x }', 'let v = s.m() catch { let y = x  return }']) {
            const text = `interface I { m() -> u8 }\nprogram P {\n    uses s: I\n    main {\n        let x = 1\n        ${body}\n    }\n}\n`;
            expect(await internalErrors(text), body).toEqual([]);
        }
    });
});
