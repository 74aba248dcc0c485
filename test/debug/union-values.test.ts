/**
 * A union or optional variable in the debugger: read from its packed words in memory (low word first,
 * as compiled code keeps it) and shown as the source writes it; it cannot be set from the debugger.
 */
import { describe, expect, test } from 'vitest';
import { viewValue, type ValueAccess } from '../../src/debug/values.js';
import type { UnionKind } from '../../runtime/contract/index.js';

const SHAPE: UnionKind = {
    kind: 'union', name: 'Shape', bits: 34, tagBits: 2, variants: [
        { name: 'circle', payload: { kind: 'leaf', lo: 2, type: { kind: 'int', signed: false, bits: 32 } } },
        { name: 'empty' }
    ]
};

/** Memory holding the given little-endian words from address 0x1000. */
function memory(words: readonly number[]): ValueAccess {
    const bytes = new Map<number, number>();
    words.forEach((word, i) => { for (let b = 0; b < 4; b++) bytes.set(0x1000 + 4 * i + b, (word >>> (8 * b)) & 0xff); });
    return { read: (address, count) => Array.from({ length: count }, (_, i) => bytes.get(address + i)), write: () => true, register: () => 0, writeRegister: () => undefined };
}

describe('unions in the debugger', () => {
    test('a 34-bit union spans two words and shows its variant and payload', () => {
        // Shape.circle(0xffffffff): tag 0, the payload at bits 2..33.
        const value = viewValue('s', SHAPE, { kind: 'memory', address: 0x1000 }, memory([0xffff_fffc, 3]));
        expect([value.name, value.type, value.value]).toEqual(['s', 'Shape', 'Shape.circle(4294967295)']);
        expect(viewValue('s', SHAPE, { kind: 'memory', address: 0x1000 }, memory([1, 0])).value).toBe('Shape.empty');
        expect(() => value.set?.('Shape.empty')).toThrow(/^a Shape value cannot be set from the debugger; assign it in the program$/);
    });
});
