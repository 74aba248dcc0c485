import { describe, expect, test } from 'vitest';
import { KERNEL_PERSONALITIES } from '../../runtime/contract/index.js';
import { buildFiles, describeDiagnostics, diagnosticsWithText } from '../helpers.js';

const COMPONENTS = `
interface A { m() }
interface B { n() }
device Uart { r: u32 at 0 }
device Timer { r: u32 at 0 }
server SA implements A { on m() { reply } }
server SB implements B { on n() { reply } }
server Drv implements A {
    device regs: Uart
    interrupt irq
    notification ready
    on m() { reply }
    on interrupt irq { }
}
program P {
    uses a: A
    uses b: B
    notification done
    main { }
}
`;

describe('systems', () => {
    test('instances, devices, badged connections, notifications and supervision', async () => {
        expect(await diagnosticsWithText(COMPONENTS + `
system Sys {
    device dev0: Uart { base: 0x1000_0000, irq: 10 }
    instance sa: SA { priority: 200, stack: 8192, timeslice: 10000 }
    instance sb: SB
    instance drv: Drv { priority: 250 }
    instance p: P { priority: 10 }
    instance p2: P
    connect p.a -> sa badge 1
    connect p.b -> sb
    connect p2.a -> drv badge 1
    connect p2.b -> sb badge 2
    connect drv.regs -> dev0
    connect drv.irq -> dev0
    connect p.done -> drv.ready badge 0b100
    connect p2.done -> drv.ready badge 0b010
    supervise sa restart 3
    supervise drv restart 0
}`)).toEqual([]);
    });

    test('properties: unknown, duplicated, out of range, missing base', async () => {
        expect(await diagnosticsWithText(COMPONENTS + `
system Sys {
    instance sa: SA { priority: 300, prio: 1 }
    instance sb: SB { stack: 100, priority: 1, priority: 2 }
    device d0: Uart { base: 0x1001, irq: 64 }
    device d2: Uart { irq: 3 }
    device d3: Uart { base: x }
}`)).toEqual([
            "23:33 error 'priority' must be between 0 and 255 (the scheduling priority; 0 is the lowest), not 300. @ 300",
            "23:38 error Unknown property 'prio' for an instance; known: priority, stack, timeslice. @ prio",
            "24:30 error 'stack' must be between 1024 and 1048576, a multiple of 16 (the stack size in bytes), not 100. @ 100",
            "24:48 error Duplicate property 'priority'; the first is on line 24. @ priority",
            "25:29 error 'base' must be between 0 and 4294967295, a multiple of 4096 (the physical address of the register page), not 4097. @ 0x1001",
            "25:42 error 'irq' must be between 1 and 63 (the interrupt line), not 64. @ 64",
            "26:12 error Device 'd2' needs a 'base' address. @ d2",
            "27:29 error Unknown name 'x'. @ x"
        ]);
    });

    test('connections that do not fit their ports', async () => {
        expect(await diagnosticsWithText(COMPONENTS + `
system Sys {
    instance sa: SA
    instance sb: SB
    instance p: P
    instance p2: P
    instance drv: Drv
    device d0: Uart { base: 0x1000, irq: 5 }
    device d1: Timer { base: 0x2000 }
    connect p.a -> sb badge 1
    connect p.b -> sb badge 0
    connect p2.a -> p
    connect p2.b -> d0
    connect drv.regs -> d1
    connect drv.irq -> d1
    connect p.done -> d0
    connect p2.done -> drv.regs
    connect drv.ready -> drv.ready badge 3
    connect p.a -> sa.m
}`)).toEqual([
            "30:20 error sb implements B, but p.a needs A. @ sb",
            "31:29 error A badge must be between 1 and 268435455 (28 bits; 0 means no badge), not 0. @ 0",
            "32:21 error p is an instance of program P, which serves nothing; p2.a needs a server. @ p",
            "33:21 error p2.b needs a server that implements B; d0 is a device. @ d0",
            "34:25 error drv.regs needs a Uart device, but d1 is a device of type Timer. @ d1",
            "35:24 error Device d1 has no 'irq' property, so it has no interrupt to give drv.irq. @ d1",
            "36:23 error p.done is a notification port; connect it to a notification port of another instance, as in 'connect a.done -> b.done'. @ d0",
            "37:28 error p2.done is a notification port; connect it to a notification port of another instance, as in 'connect a.done -> b.done'. @ regs",
            "39:13 error p.a is already connected on line 30. @ p.a",
            "39:23 error A 'uses' port connects to a server instance itself, not to one of its ports. @ m"
        ]);
    });

    test('duplicates, shared badges, unknown names, unconnected ports, self connections', async () => {
        expect(await diagnosticsWithText(COMPONENTS + `
system Sys {
    instance sa: SA
    instance sa: SB
    instance p: P
    instance q: P
    instance r: P
    connect p.a -> sa badge 5
    connect q.a -> sa badge 5
    connect p.zz -> sa
    connect nobody.a -> sa
    connect p.b -> ghost
    supervise sa restart 3
    supervise sa restart 2
    supervise ghost restart 1
    instance c: Client
}
interface Loop { ping() }
server Self implements Loop { uses me: Loop  on ping() { reply } }
program Client { uses a: A  main { } }
system Loops {
    instance s: Self
    connect s.me -> s
}
system Empty { }`)).toEqual([
            "24:14 error Duplicate instance 'sa'; the first is on line 23. @ sa",
            "25:14 warning Port p.done (notification) is not connected. @ p",
            "26:14 error Port q.b (B) is not connected. @ q",
            "26:14 warning Port q.done (notification) is not connected. @ q",
            "27:14 error Port r.a (A) is not connected. @ r",
            "27:14 error Port r.b (B) is not connected. @ r",
            "27:14 warning Port r.done (notification) is not connected. @ r",
            "29:29 error Badge 5 is already given to p.a for sa (line 28). @ 5",
            "30:15 error P (instance p) has no port 'zz'. @ zz",
            "31:13 error Unknown instance 'nobody'. @ nobody",
            "32:20 error Unknown instance or device 'ghost'. @ ghost",
            "34:15 error 'sa' is already supervised on line 33. @ sa",
            "35:15 error Unknown instance 'ghost'. @ ghost",
            "36:14 error Port c.a (A) is not connected. @ c",
            "43:21 error s.me connects s to itself; a server cannot call its own endpoint without deadlocking. @ s",
            "45:8 warning System 'Empty' has no instances. @ Empty"
        ]);
    });

    test('a notification port handed on as a value needs no connection', async () => {
        expect(await diagnosticsWithText(`
interface Alarm { subscribe(wake: notification) }
server Clock implements Alarm { on subscribe(wake) { signal(wake)  reply } }
program Passes { uses alarm: Alarm  notification done  main { alarm.subscribe(done)  let bits = wait(done) } }
program Waits { notification idle  main { let bits = wait(idle) } }
system S {
    instance clock: Clock
    instance passes: Passes
    instance waits: Waits
    connect passes.alarm -> clock
}`)).toEqual([
            "9:14 warning Port waits.idle (notification) is not connected. @ waits"
        ]);
    });
});

describe('a notification port the component only signals', () => {
    const components = `program A {
    notification out1
    main { signal(out1) let w = wait(out1) let p = poll(out1) print("{} {}", w, p) }
}
server H implements I {
    notification out1
    on m() { reply }
    on notification out1(bits) { }
}
interface I { m() }
program B { notification in1 main { let w = wait(in1) signal(in1) print("{}", w) } }
`;

    test('waiting on it, polling it or handling it is an error at each use', async () => {
        expect(await diagnosticsWithText(components + `system S {
    instance a: A instance b: B instance h: H instance c: B
    connect a.out1 -> b.in1
    connect h.out1 -> c.in1
}`)).toEqual([
            "3:33 error a.out1 only signals b.in1 ('connect' at line 14); 'wait' on it cannot receive anything. Connect another notification port to it to wait on. @ wait(out1)",
            "3:52 error a.out1 only signals b.in1 ('connect' at line 14); 'poll' on it cannot receive anything. Connect another notification port to it to wait on. @ poll(out1)",
            "8:5 error h.out1 only signals c.in1 ('connect' at line 15); 'on notification out1' on it cannot receive anything. Connect another notification port to it to wait on. @ on notification out1(bits) { }"
        ]);
    });

    test('in a system of another file, the error is at the connection', async () => {
        const [, system] = await buildFiles({
            'parts.uk': components,
            'system.uk': `import "parts.uk"\nsystem S { instance a: A instance b: B\n    connect a.out1 -> b.in1 }`
        });
        expect(describeDiagnostics(system)).toEqual([
            "3:5 error a.out1 only signals b.in1 ('connect' at line 3); 'poll' on it cannot receive anything. Connect another notification port to it to wait on. ('poll' is at line 3 of parts.uk.) @ connect a.out1 -> b.in1",
            "3:5 error a.out1 only signals b.in1 ('connect' at line 3); 'wait' on it cannot receive anything. Connect another notification port to it to wait on. ('wait' is at line 3 of parts.uk.) @ connect a.out1 -> b.in1"
        ]);
    });
});

describe('the kernel line', () => {
    test('kernel: a personality that exists, chosen once', async () => {
        const system = (lines: string) => COMPONENTS + `
system Sys {
    instance sa: SA
${lines}
}`;
        expect(await diagnosticsWithText(system('    kernel: qnx'))).toEqual([]);
        expect(await diagnosticsWithText(system('    kernel: sel4'))).toEqual([]);
        expect(await diagnosticsWithText(system('    kernel: minix'))).toEqual([
            `24:13 error Unknown kernel personality 'minix'; known: ${KERNEL_PERSONALITIES.join(', ')}. @ minix`
        ]);
        expect(await diagnosticsWithText(system('    kernel: qnx\n    kernel: sel4'))).toEqual([
            "25:5 error The kernel is already chosen on line 24. @ kernel: sel4"
        ]);
        // 'kernel' is a keyword only there: it still names things elsewhere.
        expect(await diagnosticsWithText(COMPONENTS + `
system Sys {
    instance kernel: SA
}`)).toEqual([]);
    });
});
