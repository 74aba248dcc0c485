/**
 * Boots small systems whose programs are written in assembly inside the tests. Every program gets a
 * `park` routine appended (wait forever on a notification nobody signals, in slot PARK_SLOT) so that a
 * thread can stop where its registers can be inspected.
 */
import { Syscall, messageInfo } from '../../../runtime/contract/index.js';
import { assemble, assembledImage, type ElfImage } from '../../../runtime/machine/index.js';
import {
    bootSystem, parseManifest, type BootedSystem, type KernelEvent, type KernelPersonalityName, type PersonalitySettings, type RunResult
} from '../../../runtime/kernel/index.js';

export const PARK_SLOT = 255;

/** Assembly constants for the ABI, prepended to every program. */
export const PRELUDE = `
.equ CALL, -1
.equ REPLY_RECV, -2
.equ SEND, -3
.equ NB_SEND, -4
.equ RECV, -5
.equ REPLY, -6
.equ YIELD, -7
.equ NB_RECV, -8
.equ PUTCHAR, -9
.equ SIGNAL, -20
.equ WAIT, -21
.equ POLL, -22
.equ DEBUG_WRITE, -23
`;

const PARK = `
park:
    li a0, ${PARK_SLOT}
    li a7, -21
    ecall
    j park
`;

export function assembleProgram(source: string): ElfImage {
    const result = assemble(`${PRELUDE}\n.text\n${source}\n${PARK}`, { sectionAddresses: { '.text': 0x1_0000, '.data': 0x2_0000, '.rodata': 0x3_0000 } });
    if (result.errors.length > 0) throw new Error(result.errors.map(error => error.message).join('\n'));
    return assembledImage(result);
}

export interface TestSystem extends BootedSystem {
    readonly events: KernelEvent[];
    /** Console output so far, all threads. */
    console(): string;
    run(maxCycles?: number): RunResult;
    /** A thread's register by ABI name (a0..a7, sp, ra, t0..t6, s0..s11) as an unsigned number. */
    reg(thread: string, name: string): number;
}

const REGISTER_INDEX: Record<string, number> = {
    ra: 1, sp: 2, gp: 3, tp: 4, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9,
    a0: 10, a1: 11, a2: 12, a3: 13, a4: 14, a5: 15, a6: 16, a7: 17,
    s2: 18, s3: 19, s4: 20, s5: 21, s6: 22, s7: 23, s8: 24, s9: 25, s10: 26, s11: 27, t3: 28, t4: 29, t5: 30, t6: 31
};

interface TestComponent {
    readonly name: string;
    readonly source: string;
    readonly priority?: number;
    readonly caps?: readonly Record<string, unknown>[];
    readonly threads?: readonly Record<string, unknown>[];
    readonly memory?: readonly Record<string, unknown>[];
}

export interface TestManifest {
    readonly objects?: readonly Record<string, unknown>[];
    readonly devices?: readonly Record<string, unknown>[];
    readonly components: readonly TestComponent[];
    readonly timeSlice?: number;
}

/** Boots the components (each with the park notification in PARK_SLOT) and records every event. */
export function bootTest(test: TestManifest, options: { translate?: boolean; fastpath?: boolean; personality?: KernelPersonalityName; personalitySettings?: PersonalitySettings } = {}): TestSystem {
    const images = new Map<string, ElfImage>();
    const manifest = parseManifest({
        format: 'ukc-manifest/1',
        machine: test.timeSlice === undefined ? undefined : { timeSlice: test.timeSlice },
        devices: test.devices,
        objects: [...(test.objects ?? []), { name: 'park', kind: 'notification' }],
        components: test.components.map(component => {
            images.set(component.name, assembleProgram(component.source));
            return {
                name: component.name,
                image: component.name,
                threads: component.threads ?? [{ name: component.name, priority: component.priority ?? 100 }],
                memory: component.memory,
                caps: [...(component.caps ?? []), { slot: PARK_SLOT, notification: 'park', rights: 'r' }]
            };
        })
    });
    const system = bootSystem(manifest, images, options);
    const events: KernelEvent[] = [];
    let output = '';
    system.kernel.events.subscribe(event => events.push(event));
    system.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
    return {
        ...system,
        events,
        console: () => output,
        run: (maxCycles?: number) => system.kernel.run(maxCycles ?? 50_000_000),
        reg: (thread: string, name: string) => {
            const found = system.threads.get(thread);
            if (!found) throw new Error(`no thread ${thread}`);
            const index = REGISTER_INDEX[name];
            if (index === undefined) throw new Error(`no register ${name}`);
            return found.regs[index] >>> 0;
        }
    };
}

/** The ipc events, as compact strings: "operation from->to label=L words=[..] badge=B fast". */
export function ipcLines(events: readonly KernelEvent[]): string[] {
    return events.flatMap(event => event.kind === 'ipc'
        ? [`${event.operation} ${event.from}->${event.to} label=${event.label} words=[${event.words.join(',')}] badge=${event.badge}${event.caps ? ` caps=${event.caps}` : ''}${event.fastpath ? ' fast' : ''}`]
        : []);
}

/** Assembly for one system call: loads the arguments (a0 = cptr, a1 = message info, a2.. = MRs), then ecall. */
export function syscall(number: number, registers: { a0?: number; a1?: number; mrs?: readonly number[] } = {}): string {
    const lines = [];
    if (registers.a0 !== undefined) lines.push(`    li a0, ${registers.a0 | 0}`);
    if (registers.a1 !== undefined) lines.push(`    li a1, ${registers.a1 | 0}`);
    (registers.mrs ?? []).forEach((value, i) => lines.push(`    li a${2 + i}, ${value | 0}`));
    lines.push(`    li a7, ${number}`, '    ecall');
    return lines.join('\n');
}

/** Assembly for an object invocation: a Call on `cptr` with the operation in the label and MR0.. as arguments. */
export function invoke(cptr: number, operation: number, args: readonly number[] = []): string {
    return syscall(-1, { a0: cptr, a1: (operation << 12) | args.length, mrs: args });
}

/** A server that adds MR0 and MR1 and replies with the sum and its caller's badge, forever (its endpoint in slot 1). */
export const ADDER = `
_start:
    li a0, 1
    li a7, RECV
    ecall
loop:
    add a2, a2, a3
    mv a3, a0
    li a1, ${messageInfo(0, 2)}
    li a0, 1
    li a7, REPLY_RECV
    ecall
    j loop
`;

/** A client that calls slot 1 once with label 7 and MR0 = 5, MR1 = 100, then parks. */
export const CALL_ONCE = `
_start:
${syscall(Syscall.Call, { a0: 1, a1: messageInfo(7, 2), mrs: [5, 100] })}
    j park
`;
