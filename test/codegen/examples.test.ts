import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileAndRun } from './compile-helper.js';

const EXAMPLES = path.resolve(__dirname, '../../examples');

describe('examples', () => {
    it('calculator: errors raised by the server are caught by the client', async () => {
        const run = await compileAndRun({ 'calculator.uk': readFileSync(path.join(EXAMPLES, 'calculator/calculator.uk'), 'utf8') });
        expect(run.output).toBe([
            '40 + 2 = 42',
            '17 / 5 = 3 rem 2',
            '1 / 0 -> DivideByZero',
            'I32_MAX + 1 -> Overflow',
            'square(65536) -> Overflow',
            ''
        ].join('\n'));
        expect(run.result.reason).toBe('idle');
    });
});
