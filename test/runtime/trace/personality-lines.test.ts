/** The readable trace's lines for what a kernel personality other than seL4 reports: its operations, pulses and priority changes. */
import { describe, expect, it } from 'vitest';
import { formatTraceLine } from '../../../runtime/trace/index.js';

describe('trace lines of a personality', () => {
    it('names a pulse by its primitive and value, and a signal as before', () => {
        expect(formatTraceLine({ kind: 'other', cycle: 120, event: { kind: 'signal', cycle: 120, from: 'timer', notification: 'ticks', bits: 4, woke: 'driver', primitive: 'MsgSendPulse' } }))
            .toBe('[       120] timer MsgSendPulse ticks (value 0x4), wakes driver');
        expect(formatTraceLine({ kind: 'other', cycle: 120, event: { kind: 'signal', cycle: 120, from: 'timer', notification: 'ticks', bits: 4 } }))
            .toBe('[       120] timer signals ticks (bits 0x4)');
    });

    it('says whose priority a thread inherited, and when it is back at its own', () => {
        expect(formatTraceLine({ kind: 'other', cycle: 7, event: { kind: 'priority', cycle: 7, thread: 's', priority: 200, reason: 'inherit', from: 'h' } }))
            .toBe('[         7] s runs at priority 200 (inherited from h)');
        expect(formatTraceLine({ kind: 'other', cycle: 9, event: { kind: 'priority', cycle: 9, thread: 's', priority: 10, reason: 'restore' } }))
            .toBe('[         9] s runs at priority 10 (its own)');
    });

    it('names an RC 4000 call and answer by the nucleus primitives, with the bytes copied into and out of the buffer', () => {
        expect(formatTraceLine({ kind: 'call', cycle: 2203, from: 'client', to: 'calc', interface: 'Calculator', method: 'add', args: [], fastpath: false, badge: 0, primitive: 'send message', bytesCopied: 16 }))
            .toBe('[      2203] client -> calc  Calculator.add()  send message 16 bytes');
        expect(formatTraceLine({ kind: 'reply', cycle: 2837, from: 'calc', to: 'client', interface: 'Calculator', method: 'add', results: [], fastpath: false, elapsed: 634, primitive: 'send answer', bytesCopied: 8 }))
            .toBe('[      2837] client <- calc  Calculator.add = done  send answer 8 bytes, 634 cycles');
    });
});
