/**
 * A synthetic but realistic uk workspace for throughput measurements: each unit is an interface with
 * scalar, struct, bitfield and error-raising methods, a server with state, loops and arithmetic, a client
 * program and a system wiring them, about 60 lines, all of which check cleanly.
 */
export function generateUnit(index: number): string {
    const n = index;
    return `
enum Status${n} : u8 { Ok = 0, Missing = 1, Busy = 2 }
enum Error${n} : u8 { Full = 1, Denied = 2 }
bitfield Flags${n} : u8 { create: 1, sync: 1, level: 3 }
struct Key${n} { hi: u32, lo: u16, tag: u8 }

interface Store${n} {
    get(key: Key${n}) -> (status: Status${n}, value: u32)
    put(key: Key${n}, value: u32, flags: Flags${n}) -> Status${n} raises Error${n}
    oneway flush()
    sum(limit: u16) -> u64
}

server Table${n} implements Store${n} {
    var keys: [Key${n}; 32]
    var values: [u32; 32]
    var used: u32 = 0

    fn find(key: Key${n}) -> u32 {
        for i in 0..used {
            if keys[i] == key { return i }
        }
        return 32
    }

    on get(key) {
        let slot = find(key)
        if slot == 32 { reply (Status${n}.Missing, 0) }
        reply (Status${n}.Ok, values[slot])
    }

    on put(key, value, flags) {
        if flags.create == 0 { raise Error${n}.Denied }
        if used == 32 { raise Error${n}.Full }
        keys[used] = key
        values[used] = value * 3 + (flags.level as u32)
        used += 1
        reply Status${n}.Ok
    }

    on flush() { used = 0 }

    on sum(limit) {
        var total: u64 = 0
        var i: u32 = 0
        while i < used && i < (limit as u32) {
            total += values[i] as u64
            i += 1
        }
        reply total
    }
}

program Client${n} {
    uses store: Store${n}
    main {
        let key = Key${n} { hi: ${n}, lo: 7, tag: 1 }
        let st = store.put(key, ${n}, Flags${n} { create: 1, level: 2 }) catch e {
            print("put failed: {}", e)
            return
        }
        let (s, v) = store.get(key)
        print("{} {} {} {}", st, s, v, store.sum(10))
    }
}

system System${n} {
    instance table: Table${n} { priority: 100 }
    instance client: Client${n} { priority: 50 }
    connect client.store -> table badge 1
}
`;
}

export function linesOf(text: string): number {
    return text.split('\n').length;
}

/** Units concatenated until `targetLines` is reached. */
export function generateText(targetLines: number, firstIndex = 0): string {
    const parts: string[] = [];
    let lines = 0;
    let index = firstIndex;
    while (lines < targetLines) {
        const unit = generateUnit(index++);
        parts.push(unit);
        lines += linesOf(unit) - 1;
    }
    return parts.join('');
}
