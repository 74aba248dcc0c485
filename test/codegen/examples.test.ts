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

describe('pipeline', () => {
    it('calls with struct, bitfield and 64-bit values, a oneway message, and a notification between programs', async () => {
        const read = (name: string) => readFileSync(path.join(EXAMPLES, 'pipeline', name), 'utf8');
        const run = await compileAndRun({ 'pipeline.uk': read('pipeline.uk'), 'types.uk': read('types.uk') });
        expect(run.output).toBe('batch signal 1: 8 samples, sum 2000\nbatch signal 1: 16 samples, sum 4000\nbatch signal 1: 24 samples, sum 6000\n');
        const calls = run.events.flatMap(event => (event.kind === 'ipc' && event.operation !== 'reply' ? [`${event.from}:${event.label}`] : []));
        // 24 pushes (label 1) from the producer, 3 stats (label 3) and one drain (label 2) from the monitor.
        expect(calls.filter(call => call === 'producer:1')).toHaveLength(24);
        expect(calls.filter(call => call.startsWith('monitor:'))).toEqual(['monitor:3', 'monitor:3', 'monitor:3', 'monitor:2']);
        expect(run.events.filter(event => event.kind === 'signal')).toHaveLength(3);
        expect(run.result.reason).toBe('idle');
    });
});
