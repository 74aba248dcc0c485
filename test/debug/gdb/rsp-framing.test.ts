/**
 * The remote protocol's framing: packets split across reads, checksums acknowledged or refused, noise,
 * interrupts, oversized packets and no-ack mode — nothing the other side sends makes the reader throw.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PACKET_SIZE, RspReader, encodePacket, escapeBinary, unescapeBinary, type RspInput } from '../../../src/debug/gdb/index.js';

const bytes = (text: string) => Uint8Array.from(text, character => character.charCodeAt(0));
const text = (data: Uint8Array) => String.fromCharCode(...data);

function reader(): { reader: RspReader; acks: string[] } {
    const acks: string[] = [];
    return { reader: new RspReader(ack => acks.push(ack)), acks };
}

describe('RspReader', () => {
    it('reads a packet split across reads and acknowledges it once', () => {
        const { reader: rsp, acks } = reader();
        expect(rsp.read(bytes('$qSupp'))).toEqual([]);
        expect(rsp.read(bytes('orted#3'))).toEqual([]);
        expect(rsp.read(bytes('7'))).toEqual([{ kind: 'packet', payload: 'qSupported' }]);
        expect(acks).toEqual(['+']);
    });

    it('reads several packets, an interrupt and a resend request from one read, skipping noise', () => {
        const { reader: rsp, acks } = reader();
        const found = rsp.read(bytes('junk+$g#67\x03-$?#3f'));
        expect(found).toEqual<RspInput[]>([{ kind: 'packet', payload: 'g' }, { kind: 'interrupt' }, { kind: 'resend' }, { kind: 'packet', payload: '?' }]);
        expect(acks).toEqual(['+', '+']);
    });

    it('refuses a wrong or malformed checksum with - and delivers nothing', () => {
        const { reader: rsp, acks } = reader();
        expect(rsp.read(bytes('$g#00$g#zz$g#6'))).toEqual([]);
        expect(acks).toEqual(['-', '-']);
        expect(rsp.read(bytes('7'))).toEqual([{ kind: 'packet', payload: 'g' }]);
        expect(acks).toEqual(['-', '-', '+']);
    });

    it('starts over when a packet is cut short by a new one', () => {
        const { reader: rsp } = reader();
        expect(rsp.read(bytes('$m100$g#67'))).toEqual([{ kind: 'packet', payload: 'g' }]);
    });

    it('drops a packet longer than the announced size with - and reads the next one', () => {
        const { reader: rsp, acks } = reader();
        expect(rsp.read(bytes('$' + 'a'.repeat(MAX_PACKET_SIZE + 10) + '#00'))).toEqual([]);
        expect(acks).toEqual(['-']);
        expect(rsp.read(bytes('$g#67'))).toEqual([{ kind: 'packet', payload: 'g' }]);
    });

    it('in no-ack mode sends no acknowledgements and does not check checksums', () => {
        const { reader: rsp, acks } = reader();
        rsp.stopAcknowledging();
        expect(rsp.read(bytes('$g#00-+'))).toEqual([{ kind: 'packet', payload: 'g' }]);
        expect(acks).toEqual([]);
    });

    it('survives every byte value in any position', () => {
        const { reader: rsp } = reader();
        const all = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff);
        expect(() => rsp.read(all)).not.toThrow();
        expect(rsp.read(bytes('#00$OK#9a'))).toEqual([{ kind: 'packet', payload: 'OK' }]);
    });
});

describe('packets and binary data', () => {
    it('frames a payload with its modulo-256 checksum', () => {
        expect(text(encodePacket('OK'))).toBe('$OK#9a');
        expect(text(encodePacket(''))).toBe('$#00');
        // As GDB framed it in a logged session.
        expect(text(encodePacket('vCont?'))).toBe('$vCont?#49');
    });

    it('escapes #, $, } and * in binary data and reads them back', () => {
        const data = 'a#b$c}d*e';
        expect(escapeBinary(data)).toBe('a}\x03b}\x04c}]d}\x0ae');
        expect(String.fromCharCode(...unescapeBinary(escapeBinary(data)))).toBe(data);
        expect(unescapeBinary('ab}')).toEqual([0x61, 0x62]);
    });
});
