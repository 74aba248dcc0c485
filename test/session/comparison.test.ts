/**
 * The comparison's sentences about behaviour that differed, from measurements made by hand: an outcome of
 * another kind (a deadlock under one model), console output cut short, and none of that when runs agree.
 */
import { describe, expect, it } from 'vitest';
import { compareRuns, comparisonText, type RunMeasurement } from '../../src/session/index.js';

const figures = (messages: number, refused = 0): RunMeasurement['figures'] => {
    const row = {
        calls: messages / 2, replies: messages / 2, messages, bytesCopied: 0, contextSwitches: messages, kernelEntries: messages, roundTripCycles: 700 * messages / 2,
        cyclesPerRoundTrip: 700, fastpath: messages, refused, registerOnly: true
    };
    return { methods: [{ method: 'Echo.ping', ...row }], total: { method: 'total', ...row } };
};

const finished: RunMeasurement = {
    kernel: 'sel4', console: 'one\ntwo\n', figures: figures(4), notable: [],
    outcome: { kind: 'finished', cycle: 5000, exitStatus: 0, lines: ['system Echo finished at cycle 5000'] }
};
const deadlocked: RunMeasurement = {
    kernel: 'qnx', console: 'one\n', figures: figures(2), notable: [{ kind: 'priority-change', count: 2, what: 'priority changes (priority inheritance)' }],
    outcome: {
        kind: 'deadlock', cycle: 3000, exitStatus: 4,
        lines: ['deadlock at cycle 3000: a thread waits for what can never happen:', '  client waits for the reply from echo at echo.uk:9:5']
    }
};

describe('compareRuns', () => {
    it('says where the outcome and the console output differed', () => {
        const comparison = compareRuns('Echo', [finished, deadlocked]);
        expect(comparison.differences).toEqual([
            'outcome: sel4 finished at cycle 5000 (exit 0); qnx deadlock at cycle 3000 (exit 4)',
            'console output: qnx differs from sel4 at line 2: sel4 printed "two", qnx ""'
        ]);
        expect(comparisonText(comparison).slice(-8)).toEqual([
            '',
            'outcome: sel4 finished at cycle 5000 (exit 0); qnx deadlock at cycle 3000 (exit 4)',
            'console output: qnx differs from sel4 at line 2: sel4 printed "two", qnx ""',
            '  qnx: deadlock at cycle 3000: a thread waits for what can never happen:',
            '  qnx:   client waits for the reply from echo at echo.uk:9:5',
            'notable events:',
            '  sel4  no notable events',
            '  qnx   2 priority changes (priority inheritance)'
        ]);
    });

    it('says nothing differed when the runs agree', () => {
        const comparison = compareRuns('Echo', [finished, { ...finished, kernel: 'qnx', outcome: { ...finished.outcome, cycle: 6000 } }]);
        expect(comparison.differences).toEqual([]);
        expect(comparisonText(comparison).slice(-5)).toEqual([
            'outcome: the same under every personality, finished (sel4 at cycle 5000, qnx at cycle 6000)',
            'console output: the same under every personality (2 lines)',
            'notable events:',
            '  sel4  no notable events',
            '  qnx   no notable events'
        ]);
        // No run had a message refused: no row for refusals.
        expect(comparisonText(comparison).some(line => line.includes('refused'))).toBe(false);
    });

    it('shows a row of refused messages, after messages, only when some run had one refused', () => {
        const refusing: RunMeasurement = {
            ...finished, kernel: 'rc4000', figures: figures(4, 3),
            notable: [{ kind: 'pool-exhausted', count: 3, what: 'sends refused (every message buffer in use)' }]
        };
        const comparison = compareRuns('Echo', [finished, refusing]);
        expect(comparison.total.figures).toEqual({
            sel4: { messages: 4, bytesCopied: 0, contextSwitches: 4, kernelEntries: 4, cyclesPerRoundTrip: 700, refused: 0 },
            rc4000: { messages: 4, bytesCopied: 0, contextSwitches: 4, kernelEntries: 4, cyclesPerRoundTrip: 700, refused: 3 }
        });
        expect(comparisonText(comparison)).toEqual([
            'system Echo under sel4, rc4000',
            '',
            'method     figure             sel4  rc4000',
            'Echo.ping  messages              4       4',
            '           refused               0       3',
            '           bytes copied          0       0',
            '           context switches      4       4',
            '           kernel entries        4       4',
            '           cycles/round trip   700     700',
            'total      messages              4       4',
            '           refused               0       3',
            '           bytes copied          0       0',
            '           context switches      4       4',
            '           kernel entries        4       4',
            '           cycles/round trip   700     700',
            '',
            'outcome: the same under every personality, finished (sel4 at cycle 5000, rc4000 at cycle 5000)',
            'console output: the same under every personality (2 lines)',
            'notable events:',
            '  sel4    no notable events',
            '  rc4000  3 sends refused (every message buffer in use)'
        ]);
    });
});
