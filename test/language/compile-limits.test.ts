/**
 * What the code generator cannot compile is a checker diagnostic at its cause (compile-limit-checks.ts),
 * and what the checker accepts just below each limit compiles.
 */
import { describe, expect, test } from 'vitest';
import { build, buildFiles, describeDiagnostics, diagnosticsWithText } from '../helpers.js';
import { IssueCodes } from '../../src/language/index.js';
import { MemoryFileSystem, Session, URI } from '../../src/session/index.js';

const ports = (count: number, kind: string, prefix: string) => Array.from({ length: count }, (_, i) => `    ${kind} ${prefix}${i}`).join('\n');

/** Compiles `text` through the session, as `ukc compile` does: the outcome's kind and its first message. */
async function compileOutcome(text: string): Promise<string> {
    const files = new MemoryFileSystem();
    files.write('memory:///main.uk', text);
    const result = await new Session(files).compile({ uri: URI.parse('memory:///main.uk'), shownAs: 'main.uk' });
    if (result.kind === 'compiled') return 'compiled';
    return `${result.kind}: ${result.diagnostics[0]?.message ?? ''}`;
}

describe('messages compiled code cannot carry are reported at the method', () => {
    const values = (count: number) => Array.from({ length: count }, (_, i) => `a${i}: u32`).join(', ');

    test('an array with a transfer mode is reported at the method; the same array without one compiles', async () => {
        const text = (param: string) => `interface I { m(${param}) -> u32 }
server S implements I { on m(raw) { reply raw[0] + raw[2] } }
program C { uses i: I main { print("{}", i.m([1, 2, 3])) } }
system T {
    instance s: S
    instance c: C
    connect c.i -> s
}
`;
        for (const mode of ['inline', 'shared', 'lease']) {
            const document = await build(text(`raw: ${mode} [u32; 3]`));
            expect(describeDiagnostics(document)).toEqual([
                `1:15 error The code generator does not support arrays sent as bulk data ('raw: ${mode}'; without a transfer mode an array travels in the message words) yet. @ m`
            ]);
            expect(document.diagnostics?.map(d => d.code)).toEqual([IssueCodes.UnsupportedMessage]);
        }
        expect(await compileOutcome(text('raw: [u32; 3]'))).toBe('compiled');
    });

    test("an 'out' or 'inout' array without a transfer mode is an error at its direction (it would travel in the request only)", async () => {
        const document = await build('interface I { m(raw: out [u32; 3], back: inout [u8; 2], fine: in [u32; 2]) }\n');
        expect(describeDiagnostics(document)).toEqual([
            "1:22 error Array 'raw' is 'out' but has no transfer mode: without one an array travels in the request only; say how it comes back ('inline', 'shared' or 'lease'). @ out",
            "1:42 error Array 'back' is 'inout' but has no transfer mode: without one an array travels in the request only; say how it comes back ('inline', 'shared' or 'lease'). @ inout"
        ]);
        expect(document.diagnostics?.map(d => d.code)).toEqual([IssueCodes.InvalidTransfer, IssueCodes.InvalidTransfer]);
    });

    test('more than 70 values and capabilities beyond six values; a byte buffer inside a struct compiles', async () => {
        const text = `interface P { p() }
struct Rec { n: u8, data: bytes[16] }
interface I {
    many(${values(71)})
    capsLate(p: endpoint<P>, ${values(6)})
    nested(r: Rec)
    fine(p: endpoint<P>, ${values(5)}) -> u32
    wide(${values(69)}, last: u32) -> u64
    fullStruct(r: [bytes[280]; 1])
    overStruct(r: Rec, more: [bytes[261]; 1])
}
program C { uses i: I main { } }
`;
        const document = await build(text);
        expect(describeDiagnostics(document)).toEqual([
            '4:5 error The code generator does not support messages with more than 70 scalar words and capabilities yet. @ many',
            '5:5 error The code generator does not support capabilities in messages of more than 6 values yet. @ capsLate',
            // A buffer inside a struct or array is a word per four bytes: 280 bytes are 70, Rec's 5 and 261 bytes' 66 are 71.
            '10:5 error The code generator does not support messages with more than 70 scalar words and capabilities yet. @ overStruct'
        ]);
        expect(document.diagnostics?.map(d => d.code)).toEqual([IssueCodes.UnsupportedMessage, IssueCodes.UnsupportedMessage, IssueCodes.UnsupportedMessage]);
    });

    test('a union wider than 64 bits travels, one value per word it spans', async () => {
        // Big is a 2-bit tag and an 80-bit region: three words, so 67 more values make 70 and 68 make 71.
        const text = `struct Wide { a: u32, b: i32, c: u16 }
union Big { wide: Wide, id: u64, empty }
interface I {
    fits(b: Big, ${values(67)}) -> (b: Big, o: Wide?)
    over(b: Big, ${values(68)})
}
program C { uses i: I main { } }
`;
        expect(describeDiagnostics(await build(text))).toEqual([
            '5:5 error The code generator does not support messages with more than 70 scalar words and capabilities yet. @ over'
        ]);
    });

});

describe('calls through an endpoint value', () => {
    const system = (main: string) => `interface Blob { get() -> bytes[8]  put(b: shared in bytes[8]) -> u8  size(b: inline in bytes[4]) -> u8 }
interface Dir { find() -> endpoint<Blob> }
server B implements Blob { on get() { reply [0; 8] } on put(b) { reply 1 } on size(b) { reply 4 } }
server D implements Dir { uses blob: Blob  on find() { reply blob } }
program P {
    uses dir: Dir
    main {
        let e = dir.find()
        var buf: bytes[8]
        ${main}
    }
}
system S {
    instance b: B
    instance d: D
    instance p: P
    connect d.blob -> b
    connect p.dir -> d
}
`;

    test('shared buffers and byte-buffer results need a port, and are reported at the call', async () => {
        expect(await diagnosticsWithText(system('let r = e.get()\n        let k = e.put(buf)'))).toEqual([
            "10:17 error The code generator does not support byte-buffer results (get) through an endpoint value yet: they travel in a port's shared region; call through a 'uses' port. @ e.get()",
            "11:17 error The code generator does not support shared buffers ('b' of put) through an endpoint value yet: they travel in a port's shared region; call through a 'uses' port. @ e.put(buf)"
        ]);
    });

    test('inline bytes through an endpoint value compile and arrive', async () => {
        expect(await compileOutcome(system('let n = e.size([1, 2, 3, 4])\n        print("{}", n)'))).toBe('compiled');
    });
});

describe('enums and bitfields with a 64-bit base', () => {
    const types = `enum W : u64 { A = 1, B = 0x1_0000_0000 }
bitfield F : u64 { low: 40, high: 24 }
`;

    test('in messages, state, casts and members they check clean and compile, in one file or from another', async () => {
        const text = `${types}interface I { m(w: W, f: F) -> W }
server S implements I { on m(w, f) { reply w } }
program P { var f: F uses i: I main { let a = W.A as u32 let b = i.m(W.B, f) print("{} {}", a, b) } }
system Sys { instance s: S instance p: P connect p.i -> s }
`;
        expect(await diagnosticsWithText(text)).toEqual([]);
        expect(await compileOutcome(text)).toBe('compiled');
        const [, uses] = await buildFiles({
            'types.uk': types,
            'uses.uk': `import "types.uk"\nprogram P {\n    var f: F\n    main { let a = W.A }\n}\n`
        });
        expect(describeDiagnostics(uses)).toEqual([]);
    });
});

describe("a server's events word", () => {
    const interruptServer = (count: number) => `interface I { m() }
server S implements I {
${ports(count, 'interrupt', 'irq')}
    on m() { reply }
}
`;

    test('eight interrupt ports check clean; the ninth is an error at its name', async () => {
        expect(await diagnosticsWithText(interruptServer(9))).toEqual([
            '11:15 error A server can have at most 8 interrupt ports (one bit each in its events notification). @ irq8'
        ]);
        expect((await diagnosticsWithText(interruptServer(8))).filter(line => line.includes('error'))).toEqual([]);
    });

    const laneServer = (handlers: number, extra = '') => `interface I { m() }
server S implements I {
    interrupt irq
${ports(handlers, 'notification', 'n')}
    on m() { reply${extra} }
    on interrupt irq { }
${Array.from({ length: handlers }, (_, i) => `    on notification n${i}(bits) { }`).join('\n')}
}
`;

    test('three notification handlers beside an interrupt; the fourth is an error at its port', async () => {
        expect((await diagnosticsWithText(laneServer(4))).filter(line => line.includes('error'))).toEqual([
            '13:21 error A server has room for 3 notification handlers beside its interrupts (the events word has four 8-bit lanes). @ n3'
        ]);
        expect((await diagnosticsWithText(laneServer(3))).filter(line => line.includes('error'))).toEqual([]);
    });

    const eventServer = (handlers: number) => `interface E { oneway go() event tick(n: u8) }
interface I { m() }
server S implements I {
    interrupt irq
    uses e: E
${ports(handlers, 'notification', 'n')}
    on m() { reply }
    on interrupt irq { }
    on event e.tick(n) { }
${Array.from({ length: handlers }, (_, i) => `    on notification n${i}(bits) { }`).join('\n')}
}
`;

    test('a server that handles events has room for two notification handlers: its event queues take a lane', async () => {
        expect((await diagnosticsWithText(eventServer(3))).filter(line => line.includes('error'))).toEqual([
            "14:21 error A server that handles events has room for 2 notification handlers beside its interrupts (the events word has four 8-bit lanes, one of them its event queues'). @ n2"
        ]);
        expect((await diagnosticsWithText(eventServer(2))).filter(line => line.includes('error'))).toEqual([]);
    });

    test('a server handles events of eight ports, a bit each in its events lane; the ninth is an error at its name', async () => {
        const server = (count: number) => `interface E { oneway go() event tick(n: u8) }
interface I { m() }
server S implements I {
${ports(count, 'uses', 'e').replaceAll(/(e\d+)$/gm, '$1: E')}
    on m() { reply }
${Array.from({ length: count }, (_, i) => `    on event e${i}.tick(n) { }`).join('\n')}
}
`;
        expect((await diagnosticsWithText(server(9))).filter(line => line.includes('error'))).toEqual([
            '12:10 error A server can handle events of at most 8 ports (one bit each in the lane of its events notification that its event queues share). @ e8'
        ]);
        expect((await diagnosticsWithText(server(8))).filter(line => line.includes('error'))).toEqual([]);
    });

    test("'wait' or 'poll' on a port whose signals go to its handler is an error at the call", async () => {
        expect((await diagnosticsWithText(laneServer(1, ' let w = wait(n0) let p = poll(n0) print("{} {}", w, p)'))).filter(line => line.includes('error'))).toEqual([
            "5:28 error 'wait' on 'n0' is not supported: its signals go to its 'on notification' handler, which shares the server's events notification with other handlers. @ wait(n0)",
            "5:45 error 'poll' on 'n0' is not supported: its signals go to its 'on notification' handler, which shares the server's events notification with other handlers. @ poll(n0)"
        ]);
    });

    test('a badge into a shared lane has 8 bits', async () => {
        const system = (badge: number) => `interface I { m() }
server S implements I {
    notification n0
    notification n1
    on m() { reply }
    on notification n0(bits) { }
    on notification n1(bits) { }
}
program P { notification out main { signal(out) } }
system Sys {
    instance s: S
    instance p: P
    connect p.out -> s.n0 badge ${badge}
}
`;
        expect((await diagnosticsWithText(system(256))).filter(line => line.includes('error'))).toEqual([
            "13:33 error Badge 256 does not fit: s.n0 shares its server's events notification with other handlers, so its badges have 8 bits. @ 256"
        ]);
        expect((await diagnosticsWithText(system(255))).filter(line => line.includes('error'))).toEqual([]);
    });
});

describe('what a system asks of the machine and the supervisor', () => {
    test('ports past the last capability slot, at the first port that has none', async () => {
        const program = (count: number) => `program P {\n${ports(count, 'notification', 'n')}\n    main { }\n}\n`;
        const lines = (await diagnosticsWithText(program(41))).filter(line => line.includes('error'));
        expect(lines).toEqual([]);
        const over = (await diagnosticsWithText(program(250))).filter(line => line.includes('error'));
        expect(over[0]).toMatch(/^\d+:18 error A component has capability slots for \d+ ports; 'n\d+' is port \d+\. @ n\d+$/);
    });

    test("an instance named 'supervisor' beside 'supervise', a device type the machine has no model for", async () => {
        expect((await diagnosticsWithText(`interface I { m() }
server S implements I { on m() { reply } }
device Gpio { out: u32 at 0x0 }
system Sys {
    instance supervisor: S
    device pins: Gpio { base: 0x1000_0000 }
    supervise supervisor restart 1
}
`)).filter(line => line.includes('error'))).toEqual([
            "5:14 error The instance name 'supervisor' is taken by the supervisor that 'supervise' generates; rename the instance. @ supervisor",
            "6:18 error The bundled machine has no model for device type 'Gpio' (it has a UART — a type named like Ns16550 or Uart —, a timer and a block device). @ Gpio"
        ]);
    });
});

describe('what the checker accepts just below the limits compiles', () => {
    test('70 values, six with a capability, an interrupt beside three notification lanes with 8-bit badges', async () => {
        const values = (count: number) => Array.from({ length: count }, (_, i) => `a${i}: u32`).join(', ');
        const names = (count: number) => Array.from({ length: count }, (_, i) => `a${i}`).join(', ');
        expect(await compileOutcome(`device Ns16550 { rbr: u8 at 0x0 ro }
interface P { p() }
interface I {
    many(${values(70)}) -> u32
    caps(p: endpoint<P>, ${values(5)}) -> u32
}
server S implements I {
    device regs: Ns16550
    interrupt rx
${ports(3, 'notification', 'n')}
    on many(${names(70)}) { reply a69 }
    on caps(p, ${names(5)}) { reply a4 }
    on interrupt rx { }
${Array.from({ length: 3 }, (_, i) => `    on notification n${i}(bits) { }`).join('\n')}
}
program C {
    uses i: I
    notification out
    main { signal(out) let x = i.many(${Array.from({ length: 70 }, (_, i) => i).join(', ')}) print("{}", x) }
}
system Sys {
    device uart0: Ns16550 { base: 0x1000_0000, irq: 10 }
    instance s: S
    instance c: C
    connect s.regs -> uart0
    connect s.rx -> uart0
    connect c.i -> s
    connect c.out -> s.n2 badge 255
}
`)).toBe('compiled');
    });
});
