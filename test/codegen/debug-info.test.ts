import { describe, expect, it } from 'vitest';
import { KernelControl, bootSystem, parseManifest } from '../../runtime/kernel/index.js';
import { REGISTER_NAMES, parseElf } from '../../runtime/machine/index.js';
import { compileSource } from './compile-helper.js';

const SOURCE = `program P {
    main {
        var total: u32 = 0
        for i in 0..5 {
            total += i * 10
        }
        print("{}", total)
    }
}
system S { instance p: P { priority: 1 } }`;

describe('debug information', () => {
    it('a breakpoint at a line stops there, and locals read through their locations have their values', async () => {
        const compiled = (await compileSource({ 'main.uk': SOURCE })).compiled;
        if (!compiled) throw new Error('not compiled');
        const image = compiled.images[0];
        const line5 = image.lineTable.find(entry => entry.position.line === 5);
        expect(line5?.position).toEqual({ file: 'main.uk', line: 5, column: 13 });
        const main = image.variables.find(fn => fn.function === 'main.P');
        const totalInfo = main?.locals.find(local => local.name === 'total');
        const counterInfo = main?.locals.find(local => local.name === 'i');
        const total = totalInfo?.location;
        const counter = counterInfo?.location;
        expect(total).toMatch(/^s\d+$/);
        expect(counter).toMatch(/^s\d+$/);
        // Both are live at the breakpoint; the loop counter is not live any more where the print is.
        const at = line5?.address ?? 0;
        for (const info of [totalInfo, counterInfo]) expect((info?.from ?? Infinity) <= at && at < (info?.to ?? 0)).toBe(true);
        const printLine = image.lineTable.find(entry => entry.position.line === 7)?.address ?? 0;
        expect((counterInfo?.to ?? Infinity) <= printLine).toBe(true);
        const registerIndex = (name: string) => REGISTER_NAMES.indexOf(name);

        const booted = bootSystem(parseManifest(JSON.parse(JSON.stringify(compiled.manifest))), new Map([[image.file, parseElf(image.elf)]]));
        let output = '';
        booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
        const control = new KernelControl(booted.kernel);
        control.setBreakpoint('p', line5?.address ?? 0);
        const seen: [number, number][] = [];
        for (let stop = control.resume(); stop.reason === 'breakpoint'; stop = control.resume()) {
            expect(stop.pc).toBe(line5?.address);
            const registers = control.readRegisters('p').x;
            seen.push([registers[registerIndex(counter as string)], registers[registerIndex(total as string)]]);
        }
        expect(seen).toEqual([[0, 0], [1, 0], [2, 10], [3, 30], [4, 60]]);
        expect(output).toBe('100\n');
    });
});
