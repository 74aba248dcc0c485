/**
 * Random system-call sequences from user programs: random numbers, capability pointers, message infos,
 * message registers, IPC-buffer contents, wild memory accesses and faults, threads suspending, resuming
 * and restarting each other in the middle of IPC (fault handlers holding a fault's reply among them), and
 * TcbBindNotification through every combination of rights, and reply capabilities saved (CNodeSaveCaller),
 * answered, deleted and misused. The kernel must never throw, and after every
 * stretch of execution its invariants must hold: every mapped page is accounted for, every capability is
 * an original or derived from a live one, the queues agree with thread states, every system call a thread
 * returned from set `a6`, bindings went as the rights say, and no thread taken out of a wait started again
 * before where it waited (at the guard word put before each instruction that may fault). The same programs
 * run under every other personality too (runtime/kernel/personalities: QNX, RC 4000, Mach), with the same invariants.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
    CAP_TYPE_NAMES, CapType, DEFAULT_PERSONALITY, Endpoint, KERNEL_PERSONALITIES, Reply, THREAD_STATE_NAMES, Notification, ThreadState, type Capability, type Kernel, type KernelEvent,
    type KernelPersonalityName, type PersonalitySettings, type Slot
} from '../../../runtime/kernel/index.js';
import { IPC_CAPS_OR_BADGES, IPC_RECEIVE_INDEX, Invocation, KernelError, Right, Syscall } from '../../../runtime/contract/index.js';
import { bootTest, type TestSystem } from './harness.js';

/** A small deterministic generator (mulberry32), so a failing seed reproduces. */
function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const SYSCALLS = [
    Syscall.Call, Syscall.ReplyRecv, Syscall.Send, Syscall.NBSend, Syscall.Recv, Syscall.NBRecv, Syscall.Reply,
    Syscall.Yield, Syscall.Signal, Syscall.Wait, Syscall.Poll, Syscall.DebugPutChar, Syscall.DebugWrite
];
const LABELS = [
    0, 1, 2, Invocation.TcbConfigure, Invocation.TcbSetPriority, Invocation.TcbResume, Invocation.TcbSuspend,
    Invocation.TcbWriteRegisters, Invocation.TcbReadRegisters, Invocation.TcbBindNotification, Invocation.TcbUnbindNotification,
    Invocation.TcbSetMCPriority,
    Invocation.CNodeCopy, Invocation.CNodeMint, Invocation.CNodeMove, Invocation.CNodeDelete, Invocation.CNodeRevoke,
    Invocation.CNodeSaveCaller,
    Invocation.FrameMap, Invocation.FrameUnmap, Invocation.FrameGetAddress, Invocation.IrqSetNotification, Invocation.IrqAck, Invocation.IrqClear
];
const INTERESTING = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 20, 255, 256, 0x5000_0000, 0x5000_1000, 0x7000_0000, 0x7000_0200, 0x1_0000, -1, 0x8000_0000];

/** The capability slots of each kind in every component (capsFor), and the operations that suit them. */
const COHERENT: readonly { readonly slots: readonly number[]; readonly syscalls: readonly number[]; readonly labels: readonly number[] }[] = [
    { slots: [1, 2], syscalls: [Syscall.Call, Syscall.NBSend, Syscall.NBRecv, Syscall.Send, Syscall.Recv, Syscall.ReplyRecv, Syscall.Reply, Syscall.NBSend, Syscall.NBRecv, Syscall.Reply], labels: [0, 1, 2, 3] },
    { slots: [3, 4], syscalls: [Syscall.Signal, Syscall.Signal, Syscall.Poll, Syscall.Wait, Syscall.Send, Syscall.NBRecv], labels: [0] },
    { slots: [5, 11], syscalls: [Syscall.Call], labels: LABELS.filter(label => label >= Invocation.TcbConfigure && label <= Invocation.TcbSetMCPriority) },
    { slots: [6, 10], syscalls: [Syscall.Call], labels: LABELS.filter(label => label >= Invocation.CNodeCopy && label <= Invocation.CNodeSaveCaller) },
    { slots: [8, 9, 14], syscalls: [Syscall.Call], labels: LABELS.filter(label => label >= Invocation.FrameMap && label <= Invocation.FrameGetAddress) },
    { slots: [13], syscalls: [Syscall.Call], labels: LABELS.filter(label => label >= Invocation.IrqSetNotification) },
    // Where CNodeSaveCaller puts reply capabilities (its destination is 16..31): answered, or misused.
    { slots: [16, 17, 18, 19, 20], syscalls: [Syscall.Send, Syscall.NBSend, Syscall.Send, Syscall.Call, Syscall.Recv], labels: [0, 1] }
];

/** IPC and notifications most often; CNode operations rarely, since deleting slots ends the fun early. */
const WEIGHTED = [COHERENT[0], COHERENT[0], COHERENT[0], COHERENT[0], COHERENT[1], COHERENT[1], COHERENT[2], COHERENT[3], COHERENT[3], COHERENT[4], COHERENT[5], COHERENT[6]];

/**
 * Registers the programs keep for the checks written into them, which the random steps never touch: s11
 * counts returns from a system call that left `a6` unset, s10 bindings that went against the rights.
 */
const UNSET_STATUS_COUNT = 27;
const WRONG_BINDING_COUNT = 26;
/** Stands before every instruction that may fault, jumped over: only a thread moved back from the fault runs it. */
const GUARD_WORD = 0xdeadbee0;
/** The notification n0 with each set of rights (slot RIGHTS_SLOTS + rights); rights 0 is copied at start. */
const RIGHTS_SLOTS = 40;
const rightsLetters = (rights: number): string => `${rights & Right.Read ? 'r' : ''}${rights & Right.Write ? 'w' : ''}${rights & Right.Grant ? 'g' : ''}`;

function program(next: () => number, steps: number): string {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const word = (): number => (next() < 0.7 ? pick(INTERESTING) : Math.floor(next() * 2 ** 32)) | 0;
    const call = (cptr: number, label: number, args: readonly number[]) => [
        `    li a0, ${cptr}`, `    li a1, ${(label << 12) | args.length}`, ...args.map((arg, i) => `    li a${2 + i}, ${arg | 0}`), `    li a7, ${Syscall.Call}`, '    ecall'
    ];
    /** Counts in `counter` unless a6 is one of `allowed`. */
    const expectStatus = (step: number, allowed: readonly number[], counter: number) => [
        ...allowed.flatMap(status => [`    li t2, ${status}`, `    beq a6, t2, checked_${step}`]), `    addi x${counter}, x${counter}, 1`, `checked_${step}:`
    ];
    const lines = ['_start:', ...call(6, Invocation.CNodeCopy, [RIGHTS_SLOTS, 3, 0])];
    for (let step = 0; step < steps; step++) {
        const roll = next();
        if (roll < 0.08) {
            // A write into the IPC buffer where the kernel looks for capabilities or the receive slot.
            lines.push('    li t0, 0x70000000', `    li t1, ${pick([1, 2, 3, 4, 8, 9, 10, 13, 30, 0x8000_0008]) | 0}`,
                `    sw t1, ${pick([IPC_CAPS_OR_BADGES, IPC_CAPS_OR_BADGES + 4, IPC_RECEIVE_INDEX, 20])}(t0)`);
            continue;
        }
        if (roll < 0.12) {
            lines.push(`    li t0, ${word()}`, `    j fault_site_${step}`, `    .word ${GUARD_WORD | 0}`, `fault_site_${step}:`,
                `    ${pick(['lw t1, 0(t0)', 'sw t0, 0(t0)', 'jalr t0', 'ebreak', '.word 0'])}`);
            continue;
        }
        if (roll < 0.15) {
            // Binding through every combination of rights: only the read right may bind.
            const rights = Math.floor(next() * 8);
            const tcb = pick([5, 11]);
            lines.push(...call(tcb, Invocation.TcbBindNotification, [RIGHTS_SLOTS + rights]));
            lines.push(...expectStatus(step, rights & Right.Read
                ? [KernelError.NoError, KernelError.IllegalOperation, KernelError.FailedLookup]
                : [KernelError.InvalidCapability, KernelError.FailedLookup], WRONG_BINDING_COUNT));
            if (next() < 0.5) lines.push(...call(tcb, Invocation.TcbUnbindNotification, []));
            continue;
        }
        if (roll < 0.19) {
            // Another thread, most often blocked in IPC, suspended (and resumed at once, or later by a resume alone).
            if (next() < 0.7) lines.push(...call(5, Invocation.TcbSuspend, []));
            lines.push(...call(5, Invocation.TcbResume, []));
            continue;
        }
        if (roll < 0.23) {
            // Another thread restarted, perhaps while it holds a fault's reply (it receives on ep0, the fault endpoint).
            lines.push(...call(5, Invocation.TcbWriteRegisters, [0x1_0000, 0x7fff_0000, 1]));
            continue;
        }
        // Mostly operations that suit the capability (so they get past decoding), sometimes anything at all.
        const coherent = next() < 0.75 ? pick(WEIGHTED) : undefined;
        const number = coherent ? pick(coherent.syscalls) : next() < 0.1 ? Math.floor(next() * 200) - 100 : pick(SYSCALLS);
        const cptr = coherent ? pick(coherent.slots) : next() < 0.85 ? Math.floor(next() * 16) : word();
        const label = coherent ? pick(coherent.labels) : pick(LABELS);
        const length = next() < 0.8 ? Math.floor(next() * 5) : Math.floor(next() * 128);
        const caps = next() < 0.8 ? 0 : Math.floor(next() * 4);
        const argument = (): number => (coherent && next() < 0.6 ? Math.floor(next() * 16) : word()) | 0;
        lines.push(
            `    li a0, ${cptr | 0}`,
            `    li a1, ${((label << 12) | (caps << 7) | length) | 0}`,
            `    li a2, ${coherent === COHERENT[3] && next() < 0.8 ? 16 + Math.floor(next() * 16) : argument()}`, `    li a3, ${argument()}`, `    li a4, ${next() < 0.5 ? pick([1, 2, 3, 7]) : argument()}`, `    li a5, ${argument()}`,
            `    li a7, ${number}`, '    li a6, -1', '    ecall', '    jal t2, check_status'
        );
    }
    lines.push('    j _start',
        // Every system call sets a6 (a status below 66) before the thread runs on. (One routine, called: the
        // programs are assembled anew for every seed, and their length is most of the test's time.)
        'check_status:', '    li t3, 66', '    bgeu a6, t3, status_unset', '    jr t2',
        'status_unset:', `    addi x${UNSET_STATUS_COUNT}, x${UNSET_STATUS_COUNT}, 1`, '    jr t2');
    return lines.join('\n');
}

function capsFor(index: number): Record<string, unknown>[] {
    const other = `c${(index + 1) % 4}`;
    return [
        { slot: 1, endpoint: 'ep0' }, { slot: 2, endpoint: 'ep1', rights: 'rw', badge: index + 1 }, { slot: 3, notification: 'n0' },
        { slot: 4, notification: 'n1', badge: 1 << index }, { slot: 5, tcb: other }, { slot: 6, cnode: `c${index}` },
        { slot: 7, vspace: `c${index}` }, { slot: 8, frame: {} }, { slot: 9, frame: {} }, { slot: 10, cnode: other },
        { slot: 11, tcb: `c${index}` }, { slot: 12, vspace: other },
        ...(index === 0 ? [{ slot: 13, irq: 'timer0' }, { slot: 14, device: 'timer0', mapAt: 0x4000_0000 }] : []),
        ...[1, 2, 3, 4, 5, 6, 7].map(rights => ({ slot: RIGHTS_SLOTS + rights, notification: 'n0', rights: rightsLetters(rights) }))
    ];
}

function bootRandom(seed: number, fastpath = true, personality: KernelPersonalityName = 'sel4', personalitySettings: PersonalitySettings = {}): TestSystem & { originals: Set<Capability> } {
    const next = random(seed);
    const system = bootTest({
        timeSlice: 5_000,
        devices: [{ name: 'timer0', kind: 'timer', irq: 3 }],
        objects: [{ name: 'ep0', kind: 'endpoint' }, { name: 'ep1', kind: 'endpoint' }, { name: 'n0', kind: 'notification' }, { name: 'n1', kind: 'notification' }],
        components: [0, 1, 2, 3].map(index => ({
            name: `c${index}`,
            source: program(next, 40),
            caps: capsFor(index),
            threads: [{ name: `c${index}`, priority: 50 + Math.floor(next() * 3) * 10, faultEndpoint: next() < 0.5 ? 1 : undefined }]
        }))
    }, { fastpath, personality, personalitySettings });
    const originals = new Set<Capability>();
    for (const cnode of system.kernel.cnodes) for (const slot of cnode.slots) if (slot.cap) originals.add(slot.cap);
    return { ...system, originals };
}

/** Every invariant the kernel promises, and what the programs checked (`events`: those since the last look). */
function violations(kernel: Kernel, originals: ReadonlySet<Capability>, events: readonly KernelEvent[]): string[] {
    const problems: string[] = [];

    // What the programs checked themselves: system calls set a6, and bindings follow the rights. A thread
    // taken out of a wait (suspended, or its server or fault handler restarted) starts again where it
    // should: at its ecall, or at its faulting instruction, never at the guard before it.
    for (const thread of kernel.threads) {
        if (thread.regs[UNSET_STATUS_COUNT] !== 0) problems.push(`${thread.name} returned from a system call that did not set a6`);
        if (thread.regs[WRONG_BINDING_COUNT] !== 0) problems.push(`${thread.name} saw TcbBindNotification disregard the read right`);
        const bound = thread.boundNotification;
        if (bound && bound.boundThread !== thread) problems.push(`${thread.name} is bound to a notification bound elsewhere`);
    }
    for (const event of events) {
        if (event.kind === 'fault' && event.fault === 'illegal-instruction' && event.address === GUARD_WORD) {
            problems.push(`${event.thread} was moved back from a faulting instruction at 0x${(event.pc + 4).toString(16)}`);
        }
    }
    const liveSlots = new Set<Slot>();
    for (const cnode of kernel.cnodes) for (const slot of cnode.slots) if (slot.cap) liveSlots.add(slot);
    for (const thread of kernel.threads) if (thread.faultHandler.cap) liveSlots.add(thread.faultHandler);

    // No capability without derivation: a child names its live parent's object with no more rights and the
    // same badge (or a first badge on an unbadged parent); a parentless one is a boot original or was derived
    // from one that has since been deleted, so it still carries no authority beyond some original's.
    // A page copied by a copy-on-write transfer (the Mach personality) carries the authority of the page it copies.
    const sameObject = (cap: Capability, than: Capability) => cap.object === than.object
        || (cap.type === CapType.Frame && than.type === CapType.Frame && cap.object.copyOf === than.object);
    const weaker = (cap: Capability, than: Capability) => sameObject(cap, than) && (cap.rights & ~than.rights) === 0
        && (than.badge === 0 || cap.badge === than.badge);
    for (const slot of liveSlots) {
        const cap = slot.cap as Capability;
        // A saved reply capability is made by CNodeSaveCaller from a thread's reply slot, never derived.
        if (cap.type === CapType.Reply) {
            if (slot.parent || slot.children.size > 0) problems.push('a reply capability was copied');
            continue;
        }
        if (!slot.parent) {
            if (!originals.has(cap) && ![...originals].some(original => weaker(cap, original))) {
                problems.push(`a ${CAP_TYPE_NAMES[cap.type]} capability appeared without derivation`);
            }
            continue;
        }
        if (!liveSlots.has(slot.parent) || !slot.parent.children.has(slot)) problems.push('a capability hangs from a dead or unlinked parent');
        else if (!weaker(cap, slot.parent.cap as Capability)) problems.push('a derived capability has more authority than its parent');
    }

    // A Call has at most one live answerer: the receiver's reply slot or one saved reply capability.
    for (const thread of kernel.threads) {
        const on = thread.blockedOn;
        if (thread.state !== ThreadState.BlockedOnReply || !(on instanceof Reply)) continue;
        const inSlots = kernel.threads.filter(holder => holder.reply === on && on.isLiveFor(holder.replyEpoch)).length;
        const saved = [...liveSlots].filter(slot => slot.cap?.type === CapType.Reply && slot.cap.object === on && on.isLiveFor(slot.cap.epoch)).length;
        if (inSlots + saved > 1) problems.push(`${thread.name}'s call can be answered ${inSlots + saved} times`);
    }

    // No thread can touch a page not mapped to it: every mapping is the boot loader's or a live frame capability's.
    for (const vspace of kernel.vspaces) {
        for (const [vpn, mapping] of vspace.space.entries()) {
            const backing = vspace.backing.get(vpn);
            if (!backing) { problems.push(`${vspace.name}: page 0x${vpn.toString(16)} is mapped with nothing behind it`); continue; }
            if (backing.kind === 'cap') {
                const cap = backing.cap;
                const held = [...liveSlots].some(slot => slot.cap === cap);
                if (!held) problems.push(`${vspace.name}: page 0x${vpn.toString(16)} stays mapped after its capability was deleted`);
                if (cap.mappedIn !== vspace || (cap.mappedAt ?? -1) >>> 12 !== vpn) problems.push(`${vspace.name}: a frame capability disagrees about its mapping`);
                if (!cap.object.device && mapping.frame !== cap.object.frame) problems.push(`${vspace.name}: a page maps another frame than its capability`);
            }
        }
        for (const vpn of vspace.backing.keys()) if (!vspace.space.lookup(vpn)) problems.push(`${vspace.name}: backing recorded for an unmapped page`);
    }

    // Queues agree with states.
    const queued = [...kernel.scheduler.queuedThreads()];
    if (new Set(queued).size !== queued.length) problems.push('a thread is in the ready queues twice');
    for (const thread of queued) {
        if (thread.state !== ThreadState.Runnable) problems.push(`${thread.name} is queued but ${THREAD_STATE_NAMES[thread.state]}`);
        if (thread === kernel.current) problems.push(`${thread.name} is current and queued`);
    }
    for (const thread of kernel.threads) {
        if (thread.state === ThreadState.Runnable && thread !== kernel.current && !thread.queued) problems.push(`${thread.name} is runnable but in no queue`);
        const on = thread.blockedOn;
        const inEndpoint = kernel.endpoints.filter(endpoint => endpoint.queue.includes(thread)).length;
        const inNotification = kernel.notifications.filter(notification => notification.waiters.includes(thread)).length;
        if (thread.state === ThreadState.BlockedOnSend || thread.state === ThreadState.BlockedOnReceive) {
            if (!(on instanceof Endpoint) || inEndpoint !== 1 || !on.queue.includes(thread)) problems.push(`${thread.name} is blocked on an endpoint it is not queued in`);
        } else if (inEndpoint > 0) problems.push(`${thread.name} is in an endpoint queue while ${THREAD_STATE_NAMES[thread.state]}`);
        if (thread.state === ThreadState.BlockedOnNotification) {
            if (!(on instanceof Notification) || inNotification !== 1) problems.push(`${thread.name} waits on a notification it is not queued in`);
        } else if (inNotification > 0) problems.push(`${thread.name} is a notification waiter while ${THREAD_STATE_NAMES[thread.state]}`);
    }
    for (const endpoint of kernel.endpoints) {
        const states = new Set(endpoint.queue.map(thread => thread.state));
        if (states.size > 1) problems.push(`${endpoint.name} holds senders and receivers at once`);
        if ((endpoint.queue.length === 0) !== (endpoint.state === 0)) problems.push(`${endpoint.name}'s state disagrees with its queue`);
    }
    return problems;
}

describe('kernel fuzzing', () => {
    it('never throws and keeps its invariants under random system calls', () => {
        fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), seed => {
            const system = bootRandom(seed);
            let checked = 0;
            for (let stretch = 0; stretch < 20; stretch++) {
                const result = system.kernel.run(20_000);
                expect(violations(system.kernel, system.originals, system.events.slice(checked))).toEqual([]);
                checked = system.events.length;
                if (result.reason === 'idle') break;
            }
        }), { numRuns: 100, seed: 20261122 });
    });

    // Every personality other than seL4 takes the same random programs through its own system calls.
    for (const personality of KERNEL_PERSONALITIES.filter(name => name !== DEFAULT_PERSONALITY)) {
        it(`never throws and keeps its invariants under the ${personality} personality`, () => {
            let delivered = 0;
            fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), seed => {
                const system = bootRandom(seed, true, personality);
                let checked = 0;
                for (let stretch = 0; stretch < 20; stretch++) {
                    const result = system.kernel.run(20_000);
                    expect(violations(system.kernel, system.originals, system.events.slice(checked))).toEqual([]);
                    checked = system.events.length;
                    if (result.reason === 'idle') break;
                }
                delivered += system.events.filter(event => event.kind === 'ipc' && event.primitive !== undefined).length;
            }), { numRuns: 40, seed: 20261205 });
            // The random programs do reach the personality's message passing, not only its refusals.
            expect(delivered).toBeGreaterThan(20);
        }, 120_000);
    }

    it('never throws and keeps its invariants under RC 4000 with a pool of two buffers, which the programs empty', () => {
        let refused = 0;
        fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), seed => {
            const system = bootRandom(seed, true, 'rc4000', { messageBuffers: 2 });
            let checked = 0;
            for (let stretch = 0; stretch < 20; stretch++) {
                const result = system.kernel.run(20_000);
                expect(violations(system.kernel, system.originals, system.events.slice(checked))).toEqual([]);
                checked = system.events.length;
                if (result.reason === 'idle') break;
            }
            refused += system.events.filter(event => event.kind === 'syscall-error' && event.syscall === 'send message' && event.error === 'NotEnoughMemory').length;
        }), { numRuns: 40, seed: 20261206 });
        // The exhausted pool is reached, and refused without breaking anything.
        expect(refused).toBeGreaterThan(0);
    }, 120_000);

    it('gives the same event stream on every run of the same system', () => {
        // Several random systems, so that the stream covers IPC, signals, faults and scheduling.
        const stream = () => [11, 12, 13, 14, 15, 1, 2, 3, 4, 5].map(seed => {
            const system = bootRandom(seed);
            system.kernel.run(300_000);
            return JSON.stringify(system.events);
        }).join('\n');
        const streams = [stream(), stream()];
        expect(new Set(JSON.parse(`[${streams[0].split('\n').join(',')}]`).flat().map((event: { kind: string }) => event.kind)))
            .toEqual(new Set(['schedule', 'syscall', 'signal', 'fault', 'ipc', 'syscall-error', 'console']));
        expect(streams[1]).toBe(streams[0]);
    });
});

describe('fastpath against general path', () => {
    /** What user programs can observe: every thread's registers, pc and state, and the messages delivered. */
    function observable(system: TestSystem): unknown {
        return {
            threads: system.kernel.threads.map(thread => [thread.name, Array.from(thread.regs), thread.pc, thread.state]),
            messages: system.events.flatMap(event => event.kind === 'ipc' ? [[event.operation, event.from, event.to, event.label, event.badge, event.words, event.caps]] : []),
            console: system.console()
        };
    }

    it('gives user programs the same results either way', () => {
        let fastMessages = 0;
        let compared = 0;
        for (let seed = 100; seed < 140; seed++) {
            const fast = bootRandom(seed);
            // Timing differs (the paths cost different cycles), so compare runs that end by themselves.
            const fastResult = fast.kernel.run(2_000_000);
            const slow = bootRandom(seed, false);
            const slowResult = slow.kernel.run(2_000_000);
            if (fastResult.reason !== 'idle' || slowResult.reason !== 'idle') continue;
            compared++;
            fastMessages += fast.events.filter(event => event.kind === 'ipc' && event.fastpath).length;
            expect(slow.events.some(event => event.kind === 'ipc' && event.fastpath)).toBe(false);
            expect(observable(slow)).toEqual(observable(fast));
        }
        expect(compared).toBeGreaterThan(20);
        expect(fastMessages).toBeGreaterThan(5);
    });
});
