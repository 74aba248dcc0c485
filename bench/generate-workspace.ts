/**
 * A synthetic but realistic uk workspace for throughput measurements: each unit is an interface with
 * scalar, struct, bitfield and error-raising methods, a server with state, loops and arithmetic, a client
 * program and a system wiring them, about 60 lines, all of which check cleanly.
 */
/** One unit in its four parts, whose concatenation is the unit: the types and interface, the server, the client, the system. */
export interface UnitParts {
    readonly types: string;
    readonly server: string;
    readonly program: string;
    readonly system: string;
}

export function generateUnitParts(index: number): UnitParts {
    const n = index;
    const types = `
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
`;
    const server = `
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
`;
    const program = `
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
`;
    const system = `
system System${n} {
    instance table: Table${n} { priority: 100 }
    instance client: Client${n} { priority: 50 }
    connect client.store -> table badge 1
}
`;
    return { types, server, program, system };
}

export function generateUnit(index: number): string {
    const { types, server, program, system } = generateUnitParts(index);
    return types + server + program + system;
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

/**
 * A workspace as an editor sees one: `packages` folders, each a package of four files (types and
 * interfaces; servers; client programs; systems) that import what they use, together at least
 * `targetLines` lines. Keys are paths relative to the workspace folder.
 */
export function generateWorkspace(targetLines: number, packages: number): Record<string, string> {
    const units: UnitParts[][] = Array.from({ length: packages }, () => []);
    let lines = 0;
    for (let index = 0; lines < targetLines; index++) {
        const parts = generateUnitParts(index);
        units[index % packages].push(parts);
        lines += linesOf(parts.types + parts.server + parts.program + parts.system) - 1;
    }
    const files: Record<string, string> = {};
    units.forEach((members, i) => {
        const name = `pkg${i}`;
        const header = (what: string, imports: string[]) =>
            `// ${what} of package ${name}.\npackage ${name}\n${imports.map(file => `import "${file}"\n`).join('')}`;
        files[`${name}/types.uk`] = header('Types and interfaces', []) + members.map(unit => unit.types).join('');
        files[`${name}/servers.uk`] = header('Servers', ['types.uk']) + members.map(unit => unit.server).join('');
        files[`${name}/clients.uk`] = header('Client programs', ['types.uk']) + members.map(unit => unit.program).join('');
        files[`${name}/systems.uk`] = header('Systems', ['servers.uk', 'clients.uk']) + members.map(unit => unit.system).join('');
    });
    return files;
}
