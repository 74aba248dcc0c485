/**
 * Flags types through real runs on the machine: random sets of flags combined with `|` by a client arrive
 * equal at the server, which tests membership with `&` and answers a changed set; each travels packed to
 * its base's bits, and the trace decoder shows the sets as `Read|Exec`; `print` shows a set as the trace
 * decoder does, also with bits no member names and at bit 31.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TypedTrace } from '../../runtime/trace/typed-trace.js';
import { formatTraceLine } from '../../runtime/trace/text-writer.js';
import { formatScalar } from '../../runtime/trace/message-decoder.js';
import { compileSource, runCompiled } from './compile-helper.js';

const MEMBERS = [['Read', 0], ['Write', 1], ['Exec', 4], ['Sticky', 6]] as const;
const DECLARATIONS = `flags Perm : u7 { Read, Write, Exec at 4, Sticky at 6 }
enum Kind : u3 { File = 1, Dir = 5 }
interface Guard { check(p: Perm, k: Kind) -> (p: Perm, exec: bool) }`;

const expression = (set: readonly boolean[]) => {
    const named = MEMBERS.filter((_, i) => set[i]).map(([name]) => `Perm.${name}`);
    return named.length === 0 ? '0 as Perm' : named.join(' | ');
};
const shown = (set: readonly boolean[]) => {
    const named = MEMBERS.filter((_, i) => set[i]).map(([name]) => name);
    return named.length === 0 ? '0' : named.join('|');
};
const valueOf = (set: readonly boolean[]) => MEMBERS.reduce((sum, [, bit], i) => sum + (set[i] ? 1 << bit : 0), 0);

describe('flags end to end', () => {
    it('random sets arrive equal, membership and combination work on both sides, and the trace shows the names', async () => {
        const sets = fc.sample(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), { numRuns: 16, seed: 18 });
        const outcome = await compileSource({ 'main.uk': `${DECLARATIONS}
server S implements Guard {
    on check(p, k) {
        print("server {} {}", p as u32, p & Perm.Exec == Perm.Exec)
        reply (p | Perm.Write, p & Perm.Exec != 0 as Perm)
    }
}
program P { uses s: Guard main {
${sets.map((set, i) => `    let (p${i}, x${i}) = s.check(${expression(set)}, Kind.Dir) catch e { return }
    print("client {} {}", p${i} as u32, x${i})`).join('\n')}
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.s -> s badge 1 }` });
        expect(outcome.problems).toEqual([]);
        if (!outcome.compiled) throw new Error('does not compile');
        const result = runCompiled(outcome.compiled);
        expect(result.output).toBe(sets.map(set => {
            const value = valueOf(set);
            return `server ${value} ${set[2]}\nclient ${value | 2} ${set[2]}\n`;
        }).join(''));
        // The request: 7 bits of flags at bits 0..6 of MR0, the 3-bit enum above them.
        const requests = result.events.flatMap(event => (event.kind === 'ipc' && event.operation === 'call' ? [event.words[0] >>> 0] : []));
        expect(requests).toEqual(sets.map(set => valueOf(set) | 5 << 7));

        const trace = new TypedTrace(outcome.compiled.trace);
        const lines = result.events.flatMap(event => {
            const typed = trace.translate(event);
            if (typed?.kind !== 'call' && typed?.kind !== 'reply') return [];
            const line = formatTraceLine(typed).replace(/^\[ *\d+\] /, '');
            return [line.slice(0, line.lastIndexOf('  '))];
        });
        expect(lines).toEqual(sets.flatMap(set => [
            `p -> s  Guard.check(p=${shown(set)}, k=Kind.Dir)`,
            `p <- s  Guard.check = (p=${shown([set[0], true, set[2], set[3]])}, exec=${set[2]})`
        ]));
    });

    it('print shows a set as the trace decoder shows it, for random sets, their complements, unnamed bits and bit 31', async () => {
        const members = [['A', 0], ['B', 3], ['C', 17], ['Top', 31]] as const;
        const sets = fc.sample(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), { numRuns: 12, seed: 1818 });
        const valueOfSet = (set: readonly boolean[]) => members.reduce((sum, [, bit], i) => sum + (set[i] ? 2 ** bit : 0), 0);
        const literal = (set: readonly boolean[]) => members.filter((_, i) => set[i]).map(([name]) => `Wide.${name}`).join(' | ') || '0 as Wide';
        const outcome = await compileSource({ 'main.uk': `flags Wide : u32 { A, B at 3, C at 17, Top at 31 }
program P { main {
${sets.map(set => `    print("{} {}", ${literal(set)}, ~(${literal(set)}))`).join('\n')}
    print("{}", 0x40 as Wide)
} }
system Y { instance p: P { priority: 1 } }` });
        expect(outcome.problems).toEqual([]);
        if (!outcome.compiled) throw new Error('does not compile');
        const type = { kind: 'enum', name: 'Wide', bits: 32, flags: true, members: members.map(([name, bit]) => ({ name, value: 1n << BigInt(bit) })) } as const;
        const decoded = (value: number) => formatScalar(type, BigInt(value >>> 0));
        expect(runCompiled(outcome.compiled).output).toBe([
            ...sets.map(set => `${decoded(valueOfSet(set))} ${decoded(~valueOfSet(set))}`),
            '0x40', ''
        ].join('\n'));
        expect(decoded(~valueOfSet([true, false, true, false]))).toBe('B|Top|0x7ffdfff6');
    });
});
