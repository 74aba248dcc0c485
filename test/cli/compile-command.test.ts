import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../runtime/kernel/index.js';
import { parseElf } from '../../runtime/machine/index.js';
import { ROOT, runUkc, temporaryFolders } from './run-ukc.js';

const temporary = temporaryFolders('ukc-compile-');
const CALCULATOR = path.join(ROOT, 'examples/calculator/calculator.uk');

describe('ukc compile', () => {
    it('writes the manifest, one ELF per component, debug information and (with --asm) assembly', async () => {
        const out = temporary();
        const run = await runUkc(['compile', CALCULATOR, '-o', out, '--asm']);
        expect(run.code).toBe(0);
        expect(run.stderr).toBe(`compiled system Demo: 2 components, 2 images in ${out}\n`);
        expect(readdirSync(out).sort()).toEqual(['Calc.elf', 'Calc.s', 'Client.elf', 'Client.s', 'debug.json', 'manifest.json']);
        const manifest = parseManifest(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
        expect(manifest.components.map(component => [component.name, component.image, component.threads[0].priority])).toEqual([
            ['calc', 'Calc.elf', 100], ['client', 'Client.elf', 50]
        ]);
        expect(manifest.components[1].caps).toEqual([{ slot: 2, tcb: 'client' }, { slot: 3, endpoint: 'calc.endpoint', rights: 'w', badge: 7 }]);
        const elf = parseElf(new Uint8Array(readFileSync(path.join(out, 'Calc.elf'))));
        expect(elf.symbols.map(symbol => symbol.name)).toEqual(expect.arrayContaining(['_start', 'handler.Calc.add', 'fn.Calc.addOverflows']));
        const debug = JSON.parse(readFileSync(path.join(out, 'debug.json'), 'utf8')) as { components: Record<string, { lines: { line: number }[] }> };
        expect(debug.components.Calc.lines.map(entry => entry.line)).toEqual(expect.arrayContaining([17, 18, 19, 23, 24]));
        expect(readFileSync(path.join(out, 'Calc.s'), 'utf8')).toContain('handler.Calc.div:');
    });

    it('writes the same bytes every time', async () => {
        const first = temporary();
        const second = temporary();
        await runUkc(['compile', CALCULATOR, '-o', first]);
        await runUkc(['compile', CALCULATOR, '-o', second]);
        for (const file of readdirSync(first)) {
            expect(readFileSync(path.join(second, file)).equals(readFileSync(path.join(first, file))), file).toBe(true);
        }
    });

    it('stops with the checker\'s diagnostics (exit 1) and with what the code generator cannot do yet (exit 1)', async () => {
        const folder = temporary();
        writeFileSync(path.join(folder, 'bad.uk'), 'program P { main { let x: u8 = 300 } }\nsystem S { instance p: P }\n');
        const bad = await runUkc(['compile', 'bad.uk'], folder);
        expect(bad.code).toBe(1);
        expect(bad.stderr).toBe('bad.uk:1:32: error: Constant 300 does not fit u8 (0..255).\n');
        // What only the compiled code shows: a stack frame larger than the instance's stack.
        writeFileSync(path.join(folder, 'later.uk'), 'program P { main { var a: [u32; 4096] = [0; 4096]\n a[1] = 2\n print("{}", a[1]) } }\nsystem Sys { instance p: P }\n');
        const later = await runUkc(['compile', 'later.uk'], folder);
        expect(later.code).toBe(1);
        expect(later.stderr).toBe([
            'later.uk:4:14: error: \'main.P\' needs a 32800-byte stack frame, more than the 16384-byte stack of instance \'p\'; give it a larger \'stack\'.',
            '1 error: system Sys was not compiled', ''
        ].join('\n'));
    });

    it('needs exactly one system, or --system to choose (exit 2)', async () => {
        const folder = temporary();
        writeFileSync(path.join(folder, 'none.uk'), 'const X: u32 = 1\n');
        writeFileSync(path.join(folder, 'two.uk'), 'program P { main { } }\nsystem A { instance p: P }\nsystem B { instance p: P }\n');
        expect(await runUkc(['compile', 'none.uk'], folder)).toMatchObject({ code: 2, stderr: "ukc: 'none.uk' declares no system; ukc compile needs a 'system' to compile\n" });
        expect(await runUkc(['compile', 'two.uk'], folder)).toMatchObject({ code: 2, stderr: "ukc: 'two.uk' declares 2 systems (A, B); choose one with --system NAME\n" });
        expect(await runUkc(['compile', 'two.uk', '--system', 'C'], folder)).toMatchObject({ code: 2, stderr: "ukc: 'two.uk' has no system named 'C' (it has: A, B)\n" });
        expect((await runUkc(['compile', 'two.uk', '--system', 'B'], folder)).code).toBe(0);
    });

    it('writes ELF files that GNU binutils read', async () => {
        const objdump = spawnSync('riscv64-unknown-elf-objdump', ['--version']);
        if (objdump.status !== 0) return;
        const out = temporary();
        await runUkc(['compile', CALCULATOR, '-o', out]);
        const listing = spawnSync('riscv64-unknown-elf-objdump', ['-d', '-M', 'no-aliases', path.join(out, 'Calc.elf')], { encoding: 'utf8' });
        expect(listing.status).toBe(0);
        expect(listing.stdout).toContain('<handler.Calc.add>:');
        expect(listing.stdout).toContain('ecall');
        const header = spawnSync('riscv64-unknown-elf-readelf', ['-h', '-l', path.join(out, 'Calc.elf')], { encoding: 'utf8' });
        expect(header.stdout).toMatch(/Machine:\s+RISC-V/);
        expect(header.stdout).toMatch(/LOAD .* R E/);
    });
});
