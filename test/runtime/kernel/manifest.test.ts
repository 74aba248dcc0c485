import { describe, expect, it } from 'vitest';
import { KERNEL_PERSONALITIES, ManifestError, bootSystem, parseManifest } from '../../../runtime/kernel/index.js';
import { assembleProgram } from './harness.js';

const IMAGE = assembleProgram('_start:\n    j park');
const images = new Map([['prog', IMAGE]]);

function component(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name: 'c', image: 'prog', threads: [{ name: 'c', priority: 10 }], ...extra };
}

function manifest(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { format: 'ukc-manifest/1', components: [component()], ...extra };
}

function bootError(value: Record<string, unknown>): string {
    try {
        bootSystem(parseManifest(value), images);
    } catch (error) {
        if (error instanceof ManifestError) return error.message;
        throw error;
    }
    return 'booted';
}

describe('the boot manifest', () => {
    it('boots a minimal manifest', () => {
        expect(bootError(manifest())).toBe('booted');
    });

    it('boots the personality its kernel field names, unless the boot options name another', () => {
        expect(bootSystem(parseManifest(manifest({ kernel: 'qnx' })), images).kernel.personality.name).toBe('qnx');
        expect(bootSystem(parseManifest(manifest({ kernel: 'qnx' })), images, { personality: 'sel4' }).kernel.personality.name).toBe('sel4');
        expect(bootSystem(parseManifest(manifest()), images).kernel.personality.name).toBe('sel4');
    });

    it.each([
        [{ format: 'ukc-manifest/2' }, "format: expected 'ukc-manifest/1', found \"ukc-manifest/2\""],
        [{ components: 'none' }, 'components: expected an array'],
        [{ extra: 1 }, 'manifest.extra: unknown field (expected one of: format, kernel, machine, devices, objects, components, eventQueues)'],
        [{ kernel: 'minix' }, `kernel: unknown kernel personality 'minix' (${KERNEL_PERSONALITIES.join(', ')})`],
        [{ kernel: '' }, 'manifest.kernel: expected a non-empty string'],
        [{ machine: { ramBytes: 5000 } }, 'machine.ramBytes: must be a multiple of 4096'],
        [{ components: [component({ threads: [] })] }, 'components[0].threads: a component needs at least one thread'],
        [{ components: [component({ threads: [{ name: 't', priority: 256 }] })] }, 'components[0].threads[0].priority: expected an integer from 0 to 255'],
        [{ components: [component({ threads: [{ name: 't', priority: 1, mcp: 300 }] })] }, 'components[0].threads[0].mcp: expected an integer from 0 to 255'],
        [{ devices: [{ name: 'd', kind: 'gpu' }] }, "devices[0].kind: unknown device kind 'gpu' (uart, timer, block)"],
        [{ components: [component({ caps: [{ slot: 1 }] })] }, 'components[0].caps[0]: name exactly one object (one of: endpoint, notification, tcb, cnode, vspace, frame, device, irq)'],
        [{ components: [component({ caps: [{ slot: 1, endpoint: 'e', rights: 'x' }] })] }, "components[0].caps[0].rights: 'x' is not a permission set here"],
        [{ components: [component({ memory: [{ vaddr: 0, pages: 1, permissions: 'wr' }] })] }, "components[0].memory[0].permissions: 'wr' is not a permission set here"]
    ])('rejects a malformed manifest: %j', (extra, message) => {
        expect(bootError(manifest(extra))).toBe(message);
    });

    it.each([
        [{ components: [component({ image: 'other' })] }, "components[0].image: no image named 'other' was given"],
        [{ objects: [{ name: 'c', kind: 'endpoint' }] }, "components[0].name: the name 'c' is used twice"],
        [{ components: [component({ caps: [{ slot: 256, endpoint: 'e' }] })], objects: [{ name: 'e', kind: 'endpoint' }] }, 'components[0].caps[0].slot: slot 256 is outside the CNode (1..255)'],
        [{ components: [component({ caps: [{ slot: 1, endpoint: 'e' }, { slot: 1, endpoint: 'e' }] })], objects: [{ name: 'e', kind: 'endpoint' }] }, 'components[0].caps[1].slot: slot 1 is given twice'],
        [{ components: [component({ caps: [{ slot: 1, endpoint: 'nope' }] })] }, "components[0].caps[0].endpoint: no endpoint named 'nope'"],
        [{ components: [component({ caps: [{ slot: 1, tcb: 'c', badge: 3 }] })] }, 'components[0].caps[0].badge: only endpoint and notification capabilities carry a badge'],
        [{ components: [component({ caps: [{ slot: 1, irq: 'd' }] })], devices: [{ name: 'd', kind: 'uart' }] }, "components[0].caps[0].irq: device 'd' has no interrupt line"],
        [{ devices: [{ name: 'a', kind: 'uart', irq: 2 }, { name: 'b', kind: 'timer', irq: 2 }] }, 'devices[1].irq: interrupt line 2 is used twice'],
        [{ components: [component({ memory: [{ vaddr: 0x1_0000, pages: 1, permissions: 'rw' }] })] }, 'components[0].memory[0]: address 0x10000 is already mapped'],
        [{ components: [component({ memory: [{ vaddr: 0x5000_0000, pages: 8, permissions: 'rw' }] })], machine: { ramBytes: 32768 } }, 'machine.ramBytes: not enough RAM for components[0].memory[0]'],
        [{ components: [component({ threads: [{ name: 'c', priority: 1, faultEndpoint: 3 }] })] }, 'components[0].threads[0].faultEndpoint: slot 3 does not hold an endpoint capability'],
        [{ components: [component({ threads: [{ name: 'c', priority: 1, entry: 'main' }] })] }, "components[0].threads[0].entry: the image has no symbol 'main'"],
        [{ components: [component({ caps: [{ slot: 1, frame: { mappedAt: 0x5000_0000 } }] })] }, 'components[0].caps[0].frame.mappedAt: no page of the component\'s own memory starts at 0x50000000']
    ])('rejects an inconsistent manifest: %j', (extra, message) => {
        expect(bootError(manifest(extra))).toBe(message);
    });

    it('starts threads at their entry symbol with their own stack and IPC buffer', () => {
        const system = bootSystem(parseManifest(manifest({
            components: [component({ threads: [{ name: 'a', priority: 1, entry: 'park' }, { name: 'b', priority: 2, start: false }] })]
        })), images);
        const a = system.threads.get('c.a');
        const b = system.threads.get('c.b');
        expect([a?.pc, a?.regs[2], a?.ipcBuffer]).toEqual([IMAGE.symbols.find(symbol => symbol.name === 'park')?.value, 0x7fff_0000, 0x7000_0000]);
        expect([b?.pc, b?.regs[2], b?.ipcBuffer, b?.state]).toEqual([0x1_0000, 0x7ffe_0000, 0x7000_1000, 0]);
    });

    it("gives each thread its maximum controlled priority: the manifest's, else its priority", () => {
        const system = bootSystem(parseManifest(manifest({
            components: [component({ threads: [{ name: 'a', priority: 10, mcp: 200 }, { name: 'b', priority: 20 }] })]
        })), images);
        expect([system.threads.get('c.a')?.maxControlledPriority, system.threads.get('c.b')?.maxControlledPriority]).toEqual([200, 20]);
    });
});
