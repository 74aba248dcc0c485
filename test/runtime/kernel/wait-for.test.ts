import { describe, expect, it } from 'vitest';
import { Syscall, messageInfo } from '../../../runtime/kernel/index.js';
import { bootTest, syscall } from './harness.js';

describe('the wait-for graph', () => {
    it('reports two servers calling each other as a deadlock, with the pc of each blocked call', () => {
        const caller = `
_start:
    li a1, ${messageInfo(1, 0)}
    li a0, 1
    li a7, ${Syscall.Call}
call_site:
    ecall
    j park
`;
        const system = bootTest({
            objects: [{ name: 'to-a', kind: 'endpoint' }, { name: 'to-b', kind: 'endpoint' }],
            components: [
                { name: 'a', caps: [{ slot: 1, endpoint: 'to-b', rights: 'w' }, { slot: 2, endpoint: 'to-a', rights: 'r' }], source: caller },
                { name: 'b', caps: [{ slot: 1, endpoint: 'to-a', rights: 'w' }, { slot: 2, endpoint: 'to-b', rights: 'r' }], source: caller }
            ]
        });
        const result = system.run();
        expect(result.reason).toBe('idle');
        expect(result.waitFor).toEqual({
            deadlock: true,
            edges: [
                { thread: 'a', state: 'blocked-on-send', on: 'to-b', pc: 0x1_000c, waitsFor: ['b'], interrupts: [] },
                { thread: 'b', state: 'blocked-on-send', on: 'to-a', pc: 0x1_000c, waitsFor: ['a'], interrupts: [] }
            ]
        });
    });

    it('names the holder of the reply a caller waits for, and parked threads wait for nobody', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }], source: `
_start:
${syscall(Syscall.Recv, { a0: 1 })}
    j park
` },
                { name: 'client', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }], source: `
_start:
${syscall(Syscall.Call, { a0: 1, a1: 0 })}
    j park
` }
            ]
        });
        const graph = system.run().waitFor;
        expect(graph?.edges.map(edge => [edge.thread, edge.on, edge.waitsFor])).toEqual([
            ['server', 'park', []],
            ['client', 'reply', ['server']]
        ]);
    });

    it('gives a thread waiting for its fault handler the pc of the faulting instruction', () => {
        const system = bootTest({
            objects: [{ name: 'faults', kind: 'endpoint' }],
            components: [
                { name: 'handler', priority: 200, caps: [{ slot: 1, endpoint: 'faults', rights: 'r' }], source: `
_start:
${syscall(Syscall.Recv, { a0: 1 })}
    j park
` },
                { name: 'worker', caps: [{ slot: 1, endpoint: 'faults', rights: 'w' }], threads: [{ name: 'worker', priority: 100, faultEndpoint: 1 }], source: `
_start:
    li t0, 1
    .word 0
` }
            ]
        });
        const graph = system.run().waitFor;
        expect(graph?.edges.find(edge => edge.thread === 'worker')).toEqual({
            thread: 'worker', state: 'blocked-on-reply', on: 'reply', pc: 0x1_0004, waitsFor: ['handler'], interrupts: []
        });
    });
});
