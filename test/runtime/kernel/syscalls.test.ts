import { describe, expect, it } from 'vitest';
import { KernelControl } from '../../../runtime/kernel/index.js';
import { KernelError, Syscall, messageInfo } from '../../../runtime/contract/index.js';
import { bootTest, ipcLines, syscall } from './harness.js';

describe('system calls', () => {
    it('DebugWrite prints readable bytes and refuses long or unreadable ranges', () => {
        const system = bootTest({
            components: [{
                name: 'solo', source: `
_start:
    la s0, text
${syscall(Syscall.DebugWrite, { a1: 6 }).replace('    li a7', '    mv a0, s0\n    li a7')}
    mv s1, a6
${syscall(Syscall.DebugWrite, { a0: 0x1_0000, a1: 4097 })}
    mv s2, a6
${syscall(Syscall.DebugWrite, { a0: 0x6000_0000, a1: 1 })}
    mv s3, a6
${syscall(-99)}
    mv s4, a6
    j park
.data
text:
    .ascii "hello\\n"
`
            }]
        });
        system.run();
        expect(system.console()).toBe('hello\n');
        expect(['s1', 's2', 's3', 's4'].map(reg => system.reg('solo', reg))).toEqual([
            KernelError.NoError, KernelError.RangeError, KernelError.InvalidArgument, KernelError.IllegalOperation
        ]);
        expect(system.events.find(event => event.kind === 'console')).toMatchObject({ thread: 'solo', text: 'hello\n' });
    });

    it('Send blocks until a receiver takes the message; Reply answers a Call; ReplyRecv checks its capability first', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'sender', priority: 200, caps: [{ slot: 1, endpoint: 'ep', rights: 'w', badge: 2 }], source: `
_start:
${syscall(Syscall.Send, { a0: 1, a1: messageInfo(9, 1), mrs: [5] })}
    mv s1, a6
${syscall(Syscall.Call, { a0: 1, a1: messageInfo(10, 0) })}
    mv s2, a2
    j park
` },
                { name: 'server', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 2, endpoint: 'ep', rights: 'w' }], source: `
_start:
${syscall(Syscall.Recv, { a0: 1 })}
    mv s1, a2
${syscall(Syscall.Recv, { a0: 1 })}
${syscall(Syscall.ReplyRecv, { a0: 2, a1: messageInfo(0, 1), mrs: [1] })}
    mv s2, a6
${syscall(Syscall.Recv, { a0: 2 })}
    mv s3, a6
${syscall(Syscall.Reply, { a1: messageInfo(0, 1), mrs: [44] })}
    mv s4, a6
${syscall(Syscall.Reply, { a1: messageInfo(0, 1), mrs: [45] })}
    mv s5, a6
    j park
` }
            ]
        });
        system.run();
        expect(system.reg('server', 's1')).toBe(5);
        expect(system.reg('sender', 's1')).toBe(KernelError.NoError);
        expect(system.reg('server', 's2')).toBe(KernelError.InvalidCapability);
        expect(system.reg('server', 's3')).toBe(KernelError.InvalidCapability);
        expect(system.reg('server', 's4')).toBe(KernelError.NoError);
        expect(system.reg('server', 's5')).toBe(KernelError.NoError);
        expect(system.reg('sender', 's2')).toBe(44);
        expect(ipcLines(system.events)).toEqual([
            'send sender->server label=9 words=[5] badge=2',
            'call sender->server label=10 words=[] badge=2',
            'reply server->sender label=0 words=[44] badge=0'
        ]);
    });

    it('serves queued senders by priority, first come first served within a priority', () => {
        const client = (tag: number) => `
_start:
${syscall(Syscall.Send, { a0: 1, a1: messageInfo(tag, 0) })}
    j park
`;
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'late', priority: 60, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }], source: client(1) },
                { name: 'low', priority: 40, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }], source: client(2) },
                { name: 'high', priority: 90, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }], source: client(3) },
                { name: 'early', priority: 60, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }], source: client(4) },
                { name: 'server', priority: 10, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }], source: `
_start:
${syscall(Syscall.Recv, { a0: 1 })}
    j _start
` }
            ]
        });
        system.run();
        // All four block before the server (lowest priority) runs: 'late' ran before 'early' (manifest order).
        expect(ipcLines(system.events).map(line => line.split(' ')[1])).toEqual(['high->server', 'late->server', 'early->server', 'low->server']);
    });

    it('pause from an event listener stops the run at the next kernel entry', () => {
        const system = bootTest({ components: [{ name: 'solo', source: `
_start:
${syscall(Syscall.DebugPutChar, { a0: 49 })}
${syscall(Syscall.DebugPutChar, { a0: 50 })}
    j park
` }] });
        const control = new KernelControl(system.kernel);
        const stop = system.kernel.events.subscribe(event => { if (event.kind === 'console') control.pause(); });
        expect(control.resume().reason).toBe('paused');
        expect(system.console()).toBe('1');
        stop();
        expect(control.resume().reason).toBe('idle');
        expect(system.console()).toBe('12');
    });
});
