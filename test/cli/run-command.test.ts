import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runUkc, temporaryFolders } from './run-ukc.js';

const temporary = temporaryFolders('ukc-run-');
const CALCULATOR = path.join(ROOT, 'examples/calculator/calculator.uk');

function write(folder: string, name: string, text: string): string {
    writeFileSync(path.join(folder, name), text);
    return name;
}

describe('ukc run', () => {
    it('runs the key-value store: string keys show in the trace as the source writes them', async () => {
        const run = await runUkc(['run', path.join(ROOT, 'examples/kv-store/kv.uk'), '--trace']);
        expect(run.code).toBe(0);
        const calls = run.stdout.split('\n').filter(line => line.startsWith('[') && line.includes(' -> ')).map(line => line.slice(13));
        expect(calls).toEqual([
            'shell -> store  KeyValue.put(key="alpha", value=42, flags=PutFlags { create: 1, overwrite: 0, ttl: 0 })  fast',
            'shell -> store  KeyValue.get(key="alpha")  fast',
            'shell -> store  KeyValue.ping(tag=41)  fast',
            'shell -> store  KeyValue.read(key="alpha", into={length=256})  fast',
            'shell -> store  KeyValue.flush()  oneway',
            'shell -> store  KeyValue.get(key="alpha")  fast'
        ]);
    });

    it('runs the calculator: its output, and a typed line for every call and reply', async () => {
        const run = await runUkc(['run', CALCULATOR, '--trace']);
        expect(run.code).toBe(0);
        const lines = run.stdout.split('\n');
        expect(lines.filter(line => !line.startsWith('['))).toEqual([
            '40 + 2 = 42', '17 / 5 = 3 rem 2', '1 / 0 -> DivideByZero', 'I32_MAX + 1 -> Overflow', 'square(65536) -> Overflow', ''
        ]);
        const trace = lines.filter(line => line.startsWith('[')).map(line => line.slice(13));
        expect(trace.slice(0, 8)).toEqual([
            'client -> calc  Calculator.add(a=40, b=2)  fast',
            expect.stringMatching(/^client <- calc {2}Calculator\.add = 42 {2}fast, \d+ cycles$/),
            'client -> calc  Calculator.div(a=17, b=5)  fast',
            expect.stringMatching(/^client <- calc {2}Calculator\.div = \(quotient=3, remainder=2\) {2}fast, \d+ cycles$/),
            'client -> calc  Calculator.div(a=1, b=0)  fast',
            expect.stringMatching(/^client <- calc {2}Calculator\.div = error CalcError\.DivideByZero {2}fast, \d+ cycles$/),
            'client -> calc  Calculator.add(a=2147483647, b=1)  fast',
            expect.stringMatching(/^client <- calc {2}Calculator\.add = error CalcError\.Overflow/)
        ]);
        expect(trace).toHaveLength(18);
        expect(run.stderr).toMatch(/^system Demo finished at cycle \d+\n$/);
    });

    it('gives the same output and trace every time', async () => {
        const first = await runUkc(['run', CALCULATOR, '--trace']);
        const second = await runUkc(['run', CALCULATOR, '--trace']);
        expect(second.stdout).toBe(first.stdout);
        expect(second.stderr).toBe(first.stderr);
    });

    it('reports a deadlock with who waits for whom, at the source line of each blocked call (exit 4)', async () => {
        const folder = temporary();
        const file = write(folder, 'ring.uk', `interface Ping { ping(n: u32) -> u32 }
server A implements Ping {
    uses next: Ping
    on ping(n) { reply next.ping(n) }
}
server B implements Ping {
    uses next: Ping
    on ping(n) { reply next.ping(n) }
}
program Client {
    uses a: Ping
    main { print("{}", a.ping(1)) }
}
system Ring {
    instance a: A { priority: 10 }
    instance b: B { priority: 10 }
    instance client: Client { priority: 5 }
    connect a.next -> b badge 1
    connect b.next -> a badge 2
    connect client.a -> a badge 3
}
`);
        const run = await runUkc(['run', file], folder);
        expect(run.code).toBe(4);
        expect(run.stderr).toMatch(/^deadlock at cycle \d+: threads wait for what can never happen:\n/);
        expect(run.stderr.split('\n').slice(1)).toEqual([
            '  a waits for the reply from b at ring.uk:4:18',
            '  b waits for a to receive on a.endpoint at ring.uk:8:18',
            '  client waits for the reply from a at ring.uk:12:12',
            ''
        ]);
    });

    it('reports a fault at its source line (exit 3), stops at --max-cycles (exit 5), and rejects bad options (exit 2)', async () => {
        const folder = temporary();
        const faulty = write(folder, 'faulty.uk', `fn div(a: u32, b: u32) -> u32 { return a / b }
program P { main { print("{}", div(1, 0)) } }
system S { instance p: P }
`);
        const fault = await runUkc(['run', faulty], folder);
        expect(fault.code).toBe(3);
        expect(fault.stdout).toBe('division by zero at faulty.uk:1:40\n');
        expect(fault.stderr).toMatch(/^fault: p: division-by-zero at faulty\.uk:1:33\nsystem S stopped at cycle \d+ after a fault\n$/);
        const forever = write(folder, 'forever.uk', 'program P { main { var n: u32 = 0 while true { n += 1 } } }\nsystem S { instance p: P }\n');
        const limited = await runUkc(['run', forever, '--max-cycles', '100000'], folder);
        expect(limited).toMatchObject({ code: 5, stderr: 'stopped at cycle 100000: --max-cycles 100000 reached\n' });
        expect(await runUkc(['run', forever, '--max-cycles', 'lots'], folder)).toMatchObject({ code: 2, stderr: "ukc: --max-cycles needs a positive number, not 'lots'\n" });
        expect((await runUkc(['run', 'missing.uk'], folder)).code).toBe(2);
    });
});

describe('ukc run: faults and supervision', () => {
    const TABLE = `interface Table { get(i: u32) -> u32 }
fn half(a: u32, b: u32) -> u32 { return a / b }
server S implements Table {
    var t: [u32; 4]
    on get(i) {
        let h = half(i, 2)
        reply t[i] + h
    }
}
`;

    it('reports a server fault at the faulting statement with its kind, the client\'s uncaught ServerFailed at its call (exit 3)', async () => {
        const folder = temporary();
        const file = write(folder, 'oob.uk', TABLE + `program P {
    uses s: Table
    main { print("{}", s.get(4)) }
}
program Q {
    uses s: Table
    main { print("{}", s.get(1)) }
}
system Sys {
    instance s: S { priority: 100 }
    instance p: P { priority: 50 }
    instance q: Q { priority: 40 }
    connect p.s -> s badge 1
    connect q.s -> s badge 2
}
`);
        const run = await runUkc(['run', file, '--trace'], folder);
        expect(run.code).toBe(3);
        expect(run.stdout.replace(/^\[ *\d+\] /gm, '').replace(/\d+ cycles/g, 'N cycles').replace(/pc 0x[0-9a-f]+/g, 'pc X')).toBe([
            'p -> s  Table.get(i=4)  fast',
            'index out of bounds (length 4) at oob.uk:7:15',
            'fault s: index-out-of-bounds at pc X, no handler: suspended',
            'p <- s  Table.get = error ServerFailed  N cycles',
            'call failed: the server failed (ServerFailed) at oob.uk:12:24',
            'fault p: server-failed at pc X, no handler: suspended',
            ''
        ].join('\n'));
        // q's call waits for a server that stopped: reported, but the fault is the cause and sets the exit code.
        expect(run.stderr).toMatch(new RegExp([
            '^fault: s: index-out-of-bounds at oob\\.uk:7:9',
            'fault: p: server-failed at oob\\.uk:12:12',
            'deadlock at cycle \\d+: a thread waits for what can never happen:',
            '  q waits for nobody to receive on s\\.endpoint at oob\\.uk:16:12',
            'system Sys stopped at cycle \\d+ after a fault\n$'
        ].join('\n')));
    });

    it('a supervised server: the failing call gets ServerFailed, the other client is served, and the run finishes (exit 0)', async () => {
        const folder = temporary();
        const file = write(folder, 'sup.uk', TABLE + `program P {
    uses s: Table
    main {
        for i in 3..6 {
            let v = s.get(i) catch e {
                print("get({}) failed: {}", i, e)
                continue
            }
            print("get({}) -> {}", i, v)
        }
    }
}
system Sys {
    instance s: S { priority: 100 }
    instance p: P { priority: 50 }
    connect p.s -> s badge 1
    supervise s restart 1
}
`);
        const run = await runUkc(['run', file], folder);
        expect(run.stdout).toBe([
            'get(3) -> 1',
            'index out of bounds (length 4) at sup.uk:7:15', 'supervisor: s faulted; restarting it (restarts left: 0)', 'get(4) failed: ServerFailed',
            'index out of bounds (length 4) at sup.uk:7:15', 'supervisor: s faulted; restart limit (1) reached, its calls fail from now on',
            'get(5) failed: ServerFailed', ''
        ].join('\n'));
        expect(run.stderr).toMatch(/^system Sys finished at cycle \d+\n$/);
        expect(run.code).toBe(0);
    });
});

describe('ukc run trace outputs', () => {
    it('writes a Chrome trace that keeps the trace-event format rules', async () => {
        const folder = temporary();
        const run = await runUkc(['run', CALCULATOR, '--trace-chrome', 'trace.json'], folder);
        expect(run.code).toBe(0);
        const trace = JSON.parse(readFileSync(path.join(folder, 'trace.json'), 'utf8')) as { traceEvents: Record<string, unknown>[]; displayTimeUnit: string };
        const events = trace.traceEvents;
        // Required fields on every event, of the right types.
        for (const event of events) {
            expect(typeof event.name).toBe('string');
            expect(['X', 'i', 's', 'f', 'M']).toContain(event.ph);
            expect(typeof event.ts).toBe('number');
            expect(event.pid).toBe(1);
            expect(Number.isInteger(event.tid)).toBe(true);
            if (event.ph === 'X') expect(event.dur as number).toBeGreaterThanOrEqual(0);
        }
        // One track per thread, named once.
        const names = events.filter(event => event.ph === 'M').map(event => [event.tid, (event.args as { name: string }).name]);
        expect(names).toEqual([[1, 'client'], [2, 'calc']]);
        // Flow ids pair up: one start and one finish each, the finish not before the start.
        const starts = new Map(events.filter(event => event.ph === 's').map(event => [event.id, event]));
        const finishes = events.filter(event => event.ph === 'f');
        expect(finishes).toHaveLength(starts.size);
        for (const finish of finishes) {
            const start = starts.get(finish.id);
            expect(start, `flow ${finish.id}`).toBeDefined();
            expect(finish.ts as number).toBeGreaterThanOrEqual(start?.ts as number);
        }
        // Every call is a slice on the server's track and a wait on the client's, of equal length.
        const served = events.filter(event => event.ph === 'X' && event.tid === 2);
        const waited = events.filter(event => event.ph === 'X' && event.tid === 1);
        expect(served.map(event => event.name)).toEqual(['Calculator.add', 'Calculator.div', 'Calculator.div', 'Calculator.add', 'Calculator.square', 'Calculator.square', 'Calculator.square', 'Calculator.square', 'Calculator.square']);
        expect(waited.map(event => event.dur)).toEqual(served.map(event => event.dur));
        expect(served[1].args).toMatchObject({ a: '17', b: '5', quotient: '3', remainder: '2', fastpath: true });
    });

    it('writes JSON Lines, filters, keeps the last lines, and prints statistics', async () => {
        const folder = temporary();
        const run = await runUkc(['run', CALCULATOR, '--trace', '--trace-only', 'method=square', '--trace-only', 'kind=reply', '--trace-last', '2', '--trace-jsonl', 'trace.jsonl', '--stats'], folder);
        expect(run.code).toBe(0);
        const trace = run.stdout.split('\n').filter(line => line.startsWith('['));
        expect(trace.map(line => line.slice(13))).toEqual([
            expect.stringMatching(/^client <- calc {2}Calculator\.square = 65536 {2}fast/),
            expect.stringMatching(/^client <- calc {2}Calculator\.square = error CalcError\.Overflow/)
        ]);
        const jsonl = readFileSync(path.join(folder, 'trace.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as { kind: string; method: string });
        expect(jsonl.map(event => `${event.kind} ${event.method}`)).toEqual(Array.from({ length: 5 }, () => 'reply square'));
        expect(run.stderr.split('\n').slice(1)).toEqual([
            'method             calls  messages  bytes  switches  entries  cycles/rt  registers  fastpath',
            'Calculator.add         2         4      0         4        4        766        yes      100%',
            'Calculator.div         2         4      0         4        4        745        yes      100%',
            'Calculator.square      5        10      0        10       10        742        yes      100%',
            '(no method)            0         0      0         2       21          -                    -',
            'total                  9        18      0        20       39        748                 100%',
            'kernel sel4: no notable events',
            ''
        ]);
        expect(await runUkc(['run', CALCULATOR, '--trace-only', 'colour=red'], folder)).toMatchObject({
            code: 2, stderr: "ukc: 'colour=red' is not a trace filter; use instance=..., interface=..., method=..., kind=...\n"
        });
    });
});

describe('ukc run without a file', () => {
    it('names the missing argument FILE, as the help does', async () => {
        expect(await runUkc(['run'])).toEqual({ code: 2, stdout: '', stderr: "error: missing required argument 'file'\n" });
    });
});

describe('ukc run with devices', () => {
    it('uart-driver: the driver owns the UART and its interrupt; standard input is what the UART receives', async () => {
        const run = await runUkc(['run', path.join(ROOT, 'examples/uart-driver/uart.uk'), '--trace', '--trace-only', 'kind=interrupt', '--max-cycles', '50000000'], ROOT, 'hello, microkernel world\n');
        expect(run.code).toBe(0);
        const lines = run.stdout.split('\n');
        expect(lines.filter(line => line.startsWith('[')).map(line => line.slice(13))).toEqual(['interrupt 10 (uart0) -> driver.events']);
        // The line comes back, then the program's own line; the next getc waits for input that never comes
        // (the driver keeps it, deferred, and waits for its interrupt), and the run ends there.
        expect(lines.filter(line => !line.startsWith('[')).join('\n')).toBe('>>>>>\nhello, microkernel world\nechoed a line of 25 bytes\n');
        expect(run.stderr).toMatch(/^system Terminal finished at cycle \d+\n$/);
    });
});

describe('ukc run on an image directory', () => {
    it('runs what ukc compile wrote, with the same output and typed trace as from the source', async () => {
        const folder = temporary();
        expect((await runUkc(['compile', CALCULATOR, '-o', 'Demo.image'], folder)).code).toBe(0);
        const fromImage = await runUkc(['run', 'Demo.image', '--trace'], folder);
        const fromSource = await runUkc(['run', CALCULATOR, '--trace'], folder);
        expect(fromImage.code).toBe(0);
        expect(fromImage.stdout).toBe(fromSource.stdout);
        expect(fromImage.stderr).toBe(fromSource.stderr);
        // The system is named as declared, whatever the folder is called.
        expect(fromImage.stderr).toMatch(/^system Demo finished at cycle \d+\n$/);
    });

    it('names an image written before debug.json recorded the system after its folder', async () => {
        const folder = temporary();
        await runUkc(['compile', CALCULATOR, '-o', 'older.image'], folder);
        const debugPath = path.join(folder, 'older.image', 'debug.json');
        const { system: _name, ...debug } = JSON.parse(readFileSync(debugPath, 'utf8')) as Record<string, unknown>;
        writeFileSync(debugPath, JSON.stringify(debug));
        expect((await runUkc(['run', 'older.image'], folder)).stderr).toMatch(/^system older finished at cycle \d+\n$/);
    });

    it('refuses a directory from another version or with a file missing (exit 7), and a system that cannot boot (exit 8)', async () => {
        const folder = temporary();
        await runUkc(['compile', CALCULATOR, '-o', 'old.image'], folder);
        const manifestPath = path.join(folder, 'old.image', 'manifest.json');
        const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
        writeFileSync(manifestPath, JSON.stringify({ ...manifest, format: 'ukc-manifest/0' }));
        expect(await runUkc(['run', 'old.image'], folder)).toMatchObject({
            code: 7, stderr: "ukc: 'old.image/manifest.json' was written by an incompatible version of ukc or is damaged (format: expected 'ukc-manifest/1', found \"ukc-manifest/0\")\n"
        });
        writeFileSync(manifestPath, JSON.stringify({ ...manifest, machine: { ramBytes: 8192 } }));
        expect(await runUkc(['run', 'old.image'], folder)).toMatchObject({
            code: 8, stderr: expect.stringMatching(/^ukc: system Demo cannot boot: machine\.ramBytes: not enough RAM for components\[0\]/)
        });
        writeFileSync(path.join(folder, 'empty.txt'), '');
        const empty = path.join(folder, 'empty.image');
        await runUkc(['compile', CALCULATOR, '-o', 'empty.image'], folder);
        rmSync(path.join(empty, 'Calc.elf'));
        expect(await runUkc(['run', 'empty.image'], folder)).toMatchObject({ code: 7, stderr: "ukc: 'empty.image' lacks Calc.elf, which its manifest names\n" });
    });
});

describe('source locations in the trace', () => {
    it('each call carries the call site and the handler that serves it', async () => {
        const folder = temporary();
        await runUkc(['run', CALCULATOR, '--trace-jsonl', 'trace.jsonl'], folder);
        const calls = readFileSync(path.join(folder, 'trace.jsonl'), 'utf8').trim().split('\n')
            .map(line => JSON.parse(line) as { kind: string; method?: string; site?: string; handler?: string })
            .filter(event => event.kind === 'call');
        expect(calls.slice(0, 3).map(call => [call.method, call.site, call.handler])).toEqual([
            ['add', 'calculator.uk:43:9', 'calculator.uk:22:5'],
            ['div', 'calculator.uk:49:9', 'calculator.uk:27:5'],
            ['div', 'calculator.uk:55:9', 'calculator.uk:27:5']
        ]);
    });
});

describe('ukc run with f64', () => {
    it('prints f64 values as %.17g (the digits are C printf\'s) and converts them to and from integers at run time', async () => {
        const folder = temporary();
        const file = write(folder, 'wide.uk', `
program Wide {
    var values: [f64; 5] = [0.1, -2.5e-320, 1.0e300, -0.0, 9007199254740993.0]
    var big: i64 = -9007199254740993
    main {
        for i in 0..5 {
            let x = values[i] * 3.0
            print("{} {} {} {}", x, x as i64, x as u8, (x as i32) as f64)
        }
        let back = big as f64
        print("{} {} {}", back, back as i64, (big as f32) as f64)
        print("{} {}", (0.0 as f64) / 0.0, -(1.0 as f64) / 0.0)
    }
}
system Demo { instance wide: Wide { priority: 1 } }
`);
        const run = await runUkc(['run', path.join(folder, file)]);
        expect(run.stderr).toMatch(/^system Demo finished at cycle \d+\n$/);
        expect(run.stdout.split('\n')).toEqual([
            '0.30000000000000004 0 0 0',
            '-7.4999165038701225e-320 0 0 0',
            '3.0000000000000002e+300 9223372036854775807 255 2147483647',
            '-0 0 0 0',
            '27021597764222976 27021597764222976 255 2147483647',
            '-9007199254740992 -9007199254740992 -9007199254740992',
            'NaN -inf',
            ''
        ]);
        expect(run.code).toBe(0);
    });
});
