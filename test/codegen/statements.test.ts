import { describe, expect, it } from 'vitest';
import { compileAndRun } from './compile-helper.js';

const inMain = (body: string, extra = '') => `${extra}
program P { main {
${body}
} }
system S { instance p: P { priority: 1 } }`;

describe('statements and expressions in compiled code', () => {
    it('names in, out and inout compile like any other name', async () => {
        const run = await compileAndRun(`interface Codec { c(in: u32) -> u32 }
server S implements Codec {
    fn helper(out: u32) -> u32 { return out + 1 }
    on c(in) { var inout = in for out in 0..3 { inout += out } reply helper(inout) }
}
program P { uses k: Codec main { print("{}", k.c(10)) } }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.k -> s badge 1 }`);
        expect(run.output).toBe('14\n');
    });

    it('if / else if / else, while, for, break and continue, nested', async () => {
        const run = await compileAndRun(inMain(`
    var n: u32 = 0
    while true {
        n += 1
        if n % 2 == 0 { continue }
        if n > 9 { break }
        for j in 0..n {
            if j == 3 { break }
            if j == 1 { continue }
            print("n={} j={}", n, j)
        }
    }
    for k in 3..3 { print("never") }
    let grade = n * 10
    if grade >= 100 { print("A") } else if grade >= 50 { print("B") } else { print("C") }
`));
        expect(run.output).toBe('n=1 j=0\nn=3 j=0\nn=3 j=2\nn=5 j=0\nn=5 j=2\nn=7 j=0\nn=7 j=2\nn=9 j=0\nn=9 j=2\nA\n');
    });

    it('&& and || short-circuit (the right side runs only when needed)', async () => {
        const run = await compileAndRun(inMain(`
    if yes(1) || yes(2) { print("or") }
    if no(3) && yes(4) { print("and") }
    let both = yes(5) && no(6)
    print("{}", both)
    if !(no(7) || no(8)) { print("not") }
`, `fn yes(tag: u8) -> bool { print("yes {}", tag) return true }
fn no(tag: u8) -> bool { print("no {}", tag) return false }`));
        expect(run.output).toBe('yes 1\nor\nno 3\nyes 5\nno 6\nfalse\nno 7\nno 8\nnot\n');
    });

    it('recursion, and more live values than registers (spills)', async () => {
        const run = await compileAndRun(inMain(`
    print("fib(20) = {}", fib(20))
    print("spill = {}", spill(1))
`, `fn fib(n: u32) -> u32 { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }
fn spill(x: u32) -> u32 {
    let a = x + 1  let b = a + 1  let c = b + 1  let d = c + 1  let e = d + 1  let f = e + 1
    let g = f + 1  let h = g + 1  let i = h + 1  let j = i + 1  let k = j + 1  let l = k + 1
    let m = l + 1  let n = m + 1  let o = n + 1
    return fib(3) + a + b + c + d + e + f + g + h + i + j + k + l + m + n + o
}`));
        expect(run.output).toBe('fib(20) = 6765\nspill = 137\n');
    });

    it('prints in every format, enums by name, braces, and unknown enum values as numbers', async () => {
        const run = await compileAndRun(inMain(`
    print("{} {:x} {:b} {:c} {{}} {}", id(255), id(255), id(5), id(65), id(0) == 0)
    print("{} {}", Color.Green, signed(0 - 5))
    print("{}", (id(9) as u8) as Color)
`, `enum Color : u8 { Red = 1, Green = 2 }
fn id(x: u32) -> u32 { return x }
fn signed(x: i32) -> i32 { return x }`));
        expect(run.output).toBe('255 ff 101 A {} true\nGreen -5\n9\n');
    });

    it('assert faults with its message and position when false', async () => {
        const run = await compileAndRun(inMain(`
    assert(id(1) == 1, "fine")
    print("before")
    assert(id(1) == 2, "one is not two")
    print("after")
`, 'fn id(x: u32) -> u32 { return x }'));
        expect(run.output).toBe('before\nassertion failed: one is not two at main.uk:6:5\n');
        expect(run.events.some(event => event.kind === 'fault' && event.thread === 'p')).toBe(true);
    });

    it('state variables keep their values across calls, with their initial values', async () => {
        const run = await compileAndRun(`
interface Counter { next() -> u32  oneway reset(to: u16) }
server C implements Counter {
    var count: u32 = 40
    on next() { count += 1 reply count }
    on reset(to) { count = to as u32 }
}
program P {
    uses counter: Counter
    main {
        print("{}", counter.next())
        print("{}", counter.next())
        counter.reset(7)
        print("{}", counter.next())
    }
}
system S { instance c: C { priority: 10 } instance p: P { priority: 5 } connect p.counter -> c badge 1 }`);
        expect(run.output).toBe('41\n42\n8\n');
    });
});

describe('arrays', () => {
    it('local and state arrays: literals, fill, indexing, compound assignment, len', async () => {
        const run = await compileAndRun(`
interface Store { put(i: u32, v: u16) -> u32  get(i: u32) -> u16 }
server S implements Store {
    var values: [u16; 4] = [7, 8, 9, 10]
    on put(i, v) { values[i] = v reply len(values) }
    on get(i) { reply values[i] }
}
program P {
    uses store: Store
    main {
        let primes = [2, 3, 5, 7, 11]
        var squares: [u32; 6]
        var sum: u32 = 0
        for i in 0..len(primes) { squares[i] = primes[i] * primes[i]  sum += squares[i] }
        squares[5] += 1
        var tens = [10; 3]
        tens[1] -= 3
        print("{} {} {} {}", sum, squares[4], squares[5], tens[0] + tens[1] + tens[2])
        print("{} {}", store.put(1, 80), store.get(1) + store.get(3))
    }
}
system Sys { instance s: S { priority: 10 } instance p: P { priority: 5 } connect p.store -> s badge 1 }`);
        expect(run.output).toBe('208 121 1 27\n4 90\n');
    });

    it('faults on an index past the end', async () => {
        const run = await compileAndRun(`program P { main {
    var a: [u8; 3]
    for i in 0..4 { a[i] = 1 print("{}", i) }
} }
system S { instance p: P }`);
        expect(run.output).toBe('0\n1\n2\nindex out of bounds (length 3) at main.uk:3:21\n');
    });
});

describe('structs and bitfields', () => {
    it('struct values: literals, fields, nested structs, arrays of structs, copies, equality, as parameters', async () => {
        const run = await compileAndRun(`
struct Point { x: i16, y: i16 }
struct Segment { from: Point, to: Point, tag: u8 }
fn length2(s: Segment) -> i32 {
    let dx = (s.to.x - s.from.x) as i32
    let dy = (s.to.y - s.from.y) as i32
    return dx * dx + dy * dy
}
program P { main {
    var s = Segment { from: Point { x: 1, y: 2 }, to: Point { x: 4, y: 6 }, tag: 7 }
    print("{} {} {}", s.from.x, s.to.y, length2(s))
    let copy = s
    s.to.x = 10
    print("{} {} {}", copy.to.x, s.to.x, copy == s)
    var path: [Point; 3]
    path[1] = Point { x: 0 - 5, y: 9 }
    path[2].y = path[1].y + 1
    print("{} {} {} {}", path[0].x, path[1].x, path[2].y, path[1] == Point { x: 0 - 5, y: 9 })
} }
system S { instance p: P }`);
        expect(run.output).toBe('1 6 25\n4 10 false\n0 -5 10 true\n');
    });

    it('bitfields: literals, reading and writing fields, as values', async () => {
        const run = await compileAndRun(`
bitfield Flags : u8 { valid: 1, saturated: 1, channel: 3 }
fn id(f: Flags) -> Flags { return f }
program P { main {
    var f = Flags { valid: 1, channel: 5 }
    print("{} {} {} {}", f.valid, f.saturated, f.channel, f as u8)
    f.channel = 2
    f.saturated = 1
    let g = id(f)
    print("{} {}", g.channel, g as u8)
} }
system S { instance p: P }`);
        expect(run.output).toBe('1 0 5 21\n2 11\n');
    });

    it('struct arguments and results travel as their leaves, packed by the layout', async () => {
        const run = await compileAndRun(`
struct Key { hi: u32, lo: u16 }
struct Entry { key: Key, value: u32 }
interface Table { find(key: Key) -> (found: bool, entry: Entry) }
server T implements Table {
    var entries: [Entry; 2]
    init {
        entries[0] = Entry { key: Key { hi: 1, lo: 2 }, value: 12 }
        entries[1] = Entry { key: Key { hi: 3, lo: 4 }, value: 34 }
    }
    on find(key) {
        for i in 0..2 { if entries[i].key == key { reply (true, entries[i]) } }
        reply (false, Entry { key: key, value: 0 })
    }
}
program P {
    uses table: Table
    main {
        let (found, entry) = table.find(Key { hi: 3, lo: 4 })
        print("{} {} {}", found, entry.value, entry.key.lo)
        let (missing, other) = table.find(Key { hi: 9, lo: 9 })
        print("{} {} {}", missing, other.value, other.key.hi)
    }
}
system S { instance t: T { priority: 10 } instance p: P { priority: 5 } connect p.table -> t badge 1 }`);
        expect(run.output).toBe('true 34 4\nfalse 0 9\n');
    });
});

describe('notifications', () => {
    it('a program signals, another waits and polls; the bits are the connection badge', async () => {
        const run = await compileAndRun(`
program Producer {
    notification done
    main {
        print("producing")
        signal(done)
        print("signalled")
    }
}
program Monitor {
    notification done
    main {
        print("before: {}", poll(done))
        let bits = wait(done)
        print("woken with {:x}", bits)
        print("after: {}", poll(done))
    }
}
system S {
    instance monitor: Monitor { priority: 20 }
    instance producer: Producer { priority: 10 }
    connect producer.done -> monitor.done badge 0x40
}`);
        expect(run.output).toBe('before: 0\nproducing\nwoken with 40\nafter: 0\nsignalled\n');
        expect(run.events.filter(event => event.kind === 'signal').map(event => event.kind === 'signal' && [event.from, event.notification, event.bits, event.woke]))
            .toEqual([['producer', 'monitor.done', 0x40, 'monitor']]);
    });
});

describe('machine limits', () => {
    it('a frame larger than the stack, and a system larger than RAM, are diagnostics at their source', async () => {
        const { compileSource } = await import('./compile-helper.js');
        const stack = await compileSource({ 'main.uk': `program P { main { var big: [u32; 5000]  big[0] = 1 } }
system S { instance p: P }` });
        expect(stack.problems).toEqual([
            "2:12 'main.P' needs a 20032-byte stack frame, more than the 16384-byte stack of instance 'p'; give it a larger 'stack'."
        ]);
        const roomy = await compileSource({ 'main.uk': `program P { main { var big: [u32; 5000]  big[0] = 1 } }
system S { instance p: P { stack: 32768 } }` });
        expect(roomy.problems).toEqual([]);
        const ram = await compileSource({ 'main.uk': `server Big implements I { var data: [u32; 1000000]  on f() { reply } }
interface I { f() }
system S { instance a: Big  instance b: Big  instance c: Big  instance d: Big  instance e: Big }` });
        expect(ram.problems).toEqual(["3:1 System 'S' needs 19680 KiB of RAM; the machine has 16384 KiB."]);
    });
});

describe('functions returning structs and arrays', () => {
    it('write their result into a temporary of the caller', async () => {
        const run = await compileAndRun(`
struct Pair { a: u32, b: u32 }
fn swap(p: Pair) -> Pair { return Pair { a: p.b, b: p.a } }
fn squares(n: u32) -> [u32; 4] {
    var result: [u32; 4]
    for i in 0..4 { result[i] = (i + n) * (i + n) }
    return result
}
program P { main {
    let q = swap(Pair { a: 1, b: 2 })
    let s = squares(1)
    print("{} {} {} {}", q.a, q.b, s[0], s[3])
    print("{}", swap(swap(q)) == q)
} }
system S { instance p: P }`);
        expect(run.output).toBe('2 1 1 16\ntrue\n');
    });
});
