/**
 * End to end: every example through the `ukc run` command line, with its typed trace, against golden
 * files in test/fixtures/traces (reviewed by hand when they were written; regenerate them with
 * `node bin/ukc.js run examples/X/Y.uk --trace > test/fixtures/traces/X.txt` after a change that is meant
 * to alter them, and review the diff).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const EXAMPLES: readonly { readonly name: string; readonly file: string; readonly input?: string }[] = [
    { name: 'calculator', file: 'calculator/calculator.uk' },
    { name: 'compare-models', file: 'compare-models/models.uk' },
    { name: 'event-aggregator', file: 'event-aggregator/aggregator.uk' },
    { name: 'kv-store', file: 'kv-store/kv.uk' },
    { name: 'name-server', file: 'name-server/names.uk' },
    { name: 'pipeline', file: 'pipeline/pipeline.uk' },
    { name: 'sensor-events', file: 'sensor-events/sensor.uk' },
    { name: 'supervised-restart', file: 'supervised-restart/supervised.uk' },
    { name: 'uart-driver', file: 'uart-driver/uart.uk', input: 'hello, microkernel world\n' }
];

describe('every example, end to end', () => {
    for (const example of EXAMPLES) {
        it(`${example.name}: output, typed trace and exit code`, async () => {
            const run = await runUkc(['run', path.join(ROOT, 'examples', example.file), '--trace'], ROOT, example.input);
            expect(run.code).toBe(0);
            expect(run.stderr).toMatch(/^system \w+ finished at cycle \d+\n$/);
            expect(run.stdout).toBe(readFileSync(path.join(ROOT, 'test/fixtures/traces', `${example.name}.txt`), 'utf8'));
        });
    }
});
