/**
 * The extension's manifest and its command arguments: settings offer exactly the layout engine's ABI
 * profiles, every command has a title in the ukc category, and the system commands take what the palette,
 * the explorer and the language server's code lens give them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseLocation, systemTarget } from '../../extension/src/command-arguments.js';
import { PROFILES } from '../../src/layout/index.js';
import { KERNEL_PERSONALITIES } from '../../src/session/index.js';

interface Manifest {
    readonly activationEvents: readonly string[];
    readonly contributes: {
        readonly commands: readonly { command: string; title: string; category: string }[];
        readonly configuration: { properties: Record<string, { enum?: string[]; enumDescriptions?: string[]; description: string }> };
        readonly debuggers: readonly { type: string; languages: string[]; configurationAttributes: { launch: { required: string[]; properties: Record<string, { type: string; enum?: string[]; description: string }> } } }[];
        readonly breakpoints: readonly { language: string }[];
    };
}

const manifest = JSON.parse(readFileSync(new URL('../../extension/package.json', import.meta.url), 'utf8')) as Manifest;

describe('the manifest', () => {
    test('offers the layout engine\'s ABI profiles, described as the engine describes them', () => {
        const setting = manifest.contributes.configuration.properties['ukc.layout.abiProfile'];
        expect(setting.enum).toEqual(PROFILES.map(profile => profile.name));
        expect(setting.enumDescriptions).toEqual(PROFILES.map(profile => profile.description));
    });

    test('every setting says what it does', () => {
        for (const [key, setting] of Object.entries(manifest.contributes.configuration.properties)) {
            expect(key).toMatch(/^ukc\./);
            expect(setting.description.length, key).toBeGreaterThan(30);
        }
    });

    test('every command is in the ukc category and activates the extension', () => {
        const ids = manifest.contributes.commands.map(command => command.command);
        expect(ids).toEqual(['ukc.runSystem', 'ukc.traceSystem', 'ukc.debugSystem', 'ukc.compileSystem', 'ukc.stopSystem', 'ukc.showLayout', 'ukc.openTrace']);
        for (const command of manifest.contributes.commands) expect(command.category).toBe('ukc');
        // Stop only means something while a run (started by another command) is going on; a debug
        // session of type ukc (from launch.json) activates the extension too.
        expect(manifest.activationEvents).toEqual(['onLanguage:uk', ...ids.filter(id => id !== 'ukc.stopSystem').map(id => `onCommand:${id}`), 'onDebugResolve:ukc']);
    });
});

describe('the debugger', () => {
    test('launches type ukc with the arguments the debug adapter reads, and takes breakpoints in .uk files', () => {
        const [debuggerEntry] = manifest.contributes.debuggers;
        expect(debuggerEntry.type).toBe('ukc');
        expect(debuggerEntry.languages).toEqual(['uk']);
        const launch = debuggerEntry.configurationAttributes.launch;
        expect(launch.required).toEqual(['program']);
        // The keys of UkcLaunchArguments (src/debug/adapter/ukc-debug-session.ts).
        expect(Object.keys(launch.properties)).toEqual(['program', 'system', 'stopOnEntry', 'maxCycles', 'kernel', 'buffers']);
        // The personalities a launch may choose are those that exist, in their order.
        expect(launch.properties.kernel.enum).toEqual([...KERNEL_PERSONALITIES]);
        for (const [key, property] of Object.entries(launch.properties)) expect(property.description.length, key).toBeGreaterThan(30);
        expect(manifest.contributes.breakpoints).toEqual([{ language: 'uk' }]);
    });
});

describe('system command arguments', () => {
    test('the code lens passes a URI string and a system name', () => {
        expect(systemTarget(['file:///w/calculator.uk', 'Demo'])).toEqual({ uri: 'file:///w/calculator.uk', system: 'Demo' });
    });

    test('the explorer and the editor title pass a URI object; the palette passes nothing', () => {
        const uri = { scheme: 'file', toString: () => 'file:///w/a%20b/kv.uk' };
        expect(systemTarget([uri])).toEqual({ uri: 'file:///w/a%20b/kv.uk', system: undefined });
        expect(systemTarget([])).toEqual({ uri: undefined, system: undefined });
    });

    test('anything else is refused with a sentence', () => {
        expect(systemTarget([42])).toEqual({ error: 'the first argument must be a .uk file\'s URI, not the number 42' });
        expect(systemTarget(['file:///w/calculator.uk', { name: 'Demo' }])).toEqual({ error: 'the second argument must be a system\'s name, not an object' });
        expect(systemTarget(['file:///w/notes.txt'])).toEqual({ error: 'file:///w/notes.txt is not a .uk file' });
        expect(systemTarget([null])).toEqual({ error: 'the first argument must be a .uk file\'s URI, not null' });
    });

    test('source positions read as traces write them', () => {
        expect(parseLocation('calculator.uk:55:9')).toEqual({ file: 'calculator.uk', line: 55, column: 9 });
        expect(parseLocation('sub/dir:with:colons.uk:1:2')).toEqual({ file: 'sub/dir:with:colons.uk', line: 1, column: 2 });
        expect(parseLocation('calculator.uk:55')).toBeUndefined();
        expect(parseLocation(':1:2')).toBeUndefined();
    });
});
