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

describe('supervision', () => {
    it('supervised-restart: the supervisor restarts the faulting server with fresh state, and the interrupted call is answered', async () => {
        const run = await compileAndRun({ 'supervised.uk': readFileSync(path.join(EXAMPLES, 'supervised-restart/supervised.uk'), 'utf8') });
        const round = (n: number) => [
            `round ${n} increment(1) -> 1`, `round ${n} increment(2) -> 3`, `round ${n} increment(3) -> 6`, `round ${n} increment(4) -> 10`,
            'index out of bounds (length 4) at supervised.uk:17:9',
            `supervisor: counter faulted; restarting it (restarts left: ${2 - n})`,
            `round ${n} increment(5) -> 5`, `round ${n} increment(6) -> 11`
        ];
        expect(run.output).toBe([...round(0), ...round(1), ...round(2), ''].join('\n'));
        expect(run.result.reason).toBe('idle');
        expect(run.events.filter(event => event.kind === 'fault').map(event => event.kind === 'fault' && event.handler)).toEqual([
            'supervisor.faults', 'supervisor.faults', 'supervisor.faults'
        ]);
    });

    it('leaves the server stopped after the restart limit; its client is then stuck, and says so', async () => {
        const source = readFileSync(path.join(EXAMPLES, 'supervised-restart/supervised.uk'), 'utf8').replace('restart 3', 'restart 1');
        const run = await compileAndRun({ 'supervised.uk': source });
        expect(run.output.split('\n').slice(-4)).toEqual([
            'round 1 increment(4) -> 10',
            'index out of bounds (length 4) at supervised.uk:17:9',
            'supervisor: counter faulted; restart limit (1) reached, leaving it stopped',
            ''
        ]);
        expect(run.result.waitFor?.edges.map(edge => `${edge.thread} ${edge.state} ${edge.on}`)).toEqual([
            'driver blocked-on-send counter.endpoint',
            'supervisor blocked-on-receive supervisor.faults'
        ]);
    });
});
