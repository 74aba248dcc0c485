/**
 * Saved reply capabilities (CNodeSaveCaller, docs/ABI.md "Deferred replies"): a server moves the reply
 * capability of the Call it received into a slot, serves other calls, and answers the first later with a
 * Send on that slot; deleting the slot unused answers the caller with ServerFailed.
 */
import { describe, expect, it } from 'vitest';
import { Invocation, KernelError, SERVER_FAILED_LABEL, Syscall, messageInfo } from '../../../runtime/contract/index.js';
import { waitForGraph } from '../../../runtime/kernel/index.js';
import { bootTest, invoke, ipcLines, syscall } from './harness.js';

const SAVED = 30;

/** Two clients (priority order: a calls first) and a server that runs `serve` after receiving a's call. */
function system(serve: string) {
    return bootTest({
        objects: [{ name: 'ep', kind: 'endpoint' }],
        components: [
            {
                name: 'server', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, cnode: 'server' }],
                source: `
_start:
${syscall(Syscall.Recv, { a0: 1 })}
${serve}
    j park
`
            },
            { name: 'a', priority: 120, caps: [{ slot: 1, endpoint: 'ep', rights: 'w', badge: 1 }], source: `
_start:
${syscall(Syscall.Call, { a0: 1, a1: messageInfo(7, 1), mrs: [11] })}
    mv s1, a1
    mv s2, a2
    mv s3, a6
    j park
` },
            { name: 'b', priority: 110, caps: [{ slot: 1, endpoint: 'ep', rights: 'w', badge: 2 }], source: `
_start:
${syscall(Syscall.Call, { a0: 1, a1: messageInfo(8, 1), mrs: [22] })}
    mv s1, a1
    mv s2, a2
    j park
` }
        ]
    });
}

describe('saved reply capabilities', () => {
    it('answers a saved call after serving a later one, and spends the capability', () => {
        const run = system(`
${invoke(2, Invocation.CNodeSaveCaller, [SAVED])}
    mv s1, a6
${syscall(Syscall.ReplyRecv, { a0: 1, a1: messageInfo(0, 0) })}
${syscall(Syscall.Reply, { a1: messageInfo(0, 1), mrs: [200] })}
${syscall(Syscall.Send, { a0: SAVED, a1: messageInfo(0, 1), mrs: [100] })}
    mv s2, a6
${syscall(Syscall.Send, { a0: SAVED, a1: messageInfo(0, 1), mrs: [101] })}
    mv s3, a6`);
        run.run();
        // The ReplyRecv right after saving has no reply to send: the saved call stays unanswered.
        expect(ipcLines(run.events)).toEqual([
            'call a->server label=7 words=[11] badge=1',
            'call b->server label=8 words=[22] badge=2',
            'reply server->b label=0 words=[200] badge=0',
            'reply server->a label=0 words=[100] badge=0'
        ]);
        expect(run.reg('server', 's1')).toBe(KernelError.NoError);
        expect(run.reg('server', 's2')).toBe(KernelError.NoError);
        // Used once, the slot is empty.
        expect(run.reg('server', 's3')).toBe(KernelError.FailedLookup);
        expect(run.reg('a', 's2')).toBe(100);
        expect(run.reg('a', 's3')).toBe(KernelError.NoError);
        expect(run.reg('b', 's2')).toBe(200);
        expect(run.threads.get('server')?.cspace.slotAt(SAVED)?.cap).toBeUndefined();
    });

    it('answers the caller with ServerFailed when the saved capability is deleted', () => {
        const run = system(`
${invoke(2, Invocation.CNodeSaveCaller, [SAVED])}
${invoke(2, Invocation.CNodeDelete, [SAVED])}`);
        run.run();
        expect(ipcLines(run.events).slice(0, 2)).toEqual([
            'call a->server label=7 words=[11] badge=1',
            `reply server->a label=${SERVER_FAILED_LABEL} words=[] badge=0`
        ]);
        expect(run.reg('a', 's1')).toBe(messageInfo(SERVER_FAILED_LABEL, 0) >>> 0);
    });

    it('refuses to save into an occupied slot or to copy a reply capability, and saves nothing without a caller', () => {
        const run = system(`
${invoke(2, Invocation.CNodeSaveCaller, [SAVED])}
${invoke(2, Invocation.CNodeSaveCaller, [1])}
    mv s1, a6
${invoke(2, Invocation.CNodeCopy, [SAVED + 1, SAVED, 7])}
    mv s2, a6
${invoke(2, Invocation.CNodeSaveCaller, [SAVED + 2])}
    mv s3, a6
${invoke(2, Invocation.CNodeSaveCaller, [5000])}
    mv s4, a6`);
        run.run();
        expect([run.reg('server', 's1'), run.reg('server', 's2'), run.reg('server', 's3'), run.reg('server', 's4')]).toEqual([
            KernelError.DeleteFirst, KernelError.IllegalOperation, KernelError.NoError, KernelError.FailedLookup
        ]);
        const cspace = run.threads.get('server')?.cspace;
        expect(cspace?.slotAt(SAVED)?.cap?.type).toBe(8);
        expect(cspace?.slotAt(SAVED + 1)?.cap).toBeUndefined();
        expect(cspace?.slotAt(SAVED + 2)?.cap).toBeUndefined();
    });

    it('names the holder of a saved reply in the wait-for graph', () => {
        const run = system(`${invoke(2, Invocation.CNodeSaveCaller, [SAVED])}`);
        run.run();
        const graph = waitForGraph(run.kernel);
        expect(graph.edges.find(edge => edge.thread === 'a')).toMatchObject({ state: 'blocked-on-reply', on: 'reply', waitsFor: ['server'] });
    });
});
