import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runUkc as ukc, temporaryFolders } from './run-ukc.js';

const makeFolder = temporaryFolders('ukc-lock-');

describe('ukc diff', () => {
    test('lists breaking and compatible changes and exits 1 when anything breaks', async () => {
        const run = await ukc(['diff', 'test/fixtures/diff/v1.uk', 'test/fixtures/diff/v2.uk']);
        expect(run.stdout.split('\n')).toEqual([
            "breaking: store.Store.get request: 'key' moved from MR0 bits 0..31 to MR1 bits 0..31",
            "compatible: store.Store.put request: 'flags' was renamed to 'options' in place",
            'breaking: store.Store.put changed its errors from {Full=1} to {Full=1, ReadOnly=2}',
            "breaking: store.Store.stat request: 'id' changed from u16 to u32",
            'breaking: store.Store.drop (ordinal 4) was removed',
            'breaking: store.Store.count was renumbered from ordinal 5 to 4; pin it with @ordinal(5)',
            'compatible: store.Store.scan was added with the fresh ordinal 9',
            'breaking: interface store.Legacy was removed',
            'compatible: interface store.Fresh was added',
            ''
        ]);
        expect(run.stderr).toBe('6 breaking, 3 compatible changes on ukvm32\n');
        expect(run.code).toBe(1);
    });

    test('renames in place and methods with fresh ordinals are compatible', async () => {
        expect(await ukc(['diff', 'test/fixtures/diff/v1.uk', 'test/fixtures/diff/v2-compatible.uk'])).toEqual({
            code: 0,
            stdout: [
                "compatible: store.Store.get reply: 'value' was renamed to 'data' in place",
                "compatible: store.Store.get reply: 'status' was renamed to 'result' in place",
                'compatible: store.Store.watch was added with the fresh ordinal 20',
                ''
            ].join('\n'),
            stderr: '0 breaking, 3 compatible changes on ukvm32\n'
        });
    });

    test('capabilities in structs and arrays: one added or removed breaks, one renamed in place does not', async () => {
        expect(await ukc(['diff', 'test/fixtures/diff/caps-v1.uk', 'test/fixtures/diff/caps-v2.uk'])).toEqual({
            code: 1,
            stdout: [
                'breaking: Hub.meet request: capabilities changed from (team.lead: endpoint<Greeter>, team.backup: endpoint<Greeter>) to (team.leader: endpoint<Greeter>, team.backup: endpoint<Greeter>, team.done: notification)',
                'breaking: Hub.fanout request: capabilities changed from (greeters[0]: endpoint<Greeter>, greeters[1]: endpoint<Greeter>, greeters[2]: endpoint<Greeter>) to (greeters[0]: endpoint<Greeter>, greeters[1]: endpoint<Greeter>)',
                'breaking: Hub.kept reply: capabilities changed from (result.lead: endpoint<Greeter>, result.backup: endpoint<Greeter>) to (result.leader: endpoint<Greeter>, result.backup: endpoint<Greeter>, result.done: notification)',
                ''
            ].join('\n'),
            stderr: '3 breaking, 0 compatible changes on ukvm32\n'
        });
        expect(await ukc(['diff', 'test/fixtures/diff/caps-v1.uk', 'test/fixtures/diff/caps-v1-renamed.uk'])).toEqual({
            code: 0,
            stdout: [
                "compatible: Hub.meet request: capability 'team.lead' was renamed to 'team.leader' in place",
                "compatible: Hub.kept reply: capability 'result.lead' was renamed to 'result.leader' in place",
                ''
            ].join('\n'),
            stderr: '0 breaking, 2 compatible changes on ukvm32\n'
        });
    });

    test('a file compared with itself has no changes', async () => {
        expect(await ukc(['diff', 'test/fixtures/diff/v1.uk', 'test/fixtures/diff/v1.uk'])).toEqual({
            code: 0, stdout: '', stderr: '0 breaking, 0 compatible changes on ukvm32\n'
        });
    });

    test('an enum whose members change breaks the fields of that type', async () => {
        const run = await ukc(['diff', 'test/fixtures/diff/enum-v1.uk', 'test/fixtures/diff/enum-v2.uk']);
        expect(run.stdout).toBe("breaking: Mode.Set request: 'mode' changed from Level to Level (its members changed)\n");
        expect(run.code).toBe(1);
    });

    test('narrow enums: a member added within the width is compatible, a narrowed width or a removed member breaks', async () => {
        expect(await ukc(['diff', 'test/fixtures/diff/narrow-v1.uk', 'test/fixtures/diff/narrow-v2.uk'])).toEqual({
            code: 1,
            stdout: [
                "compatible: Dev.set request: 'mode' (Mode) gained Exec=7",
                "breaking: Dev.set request: 'speed' changed from Speed : u3 to Speed : u2",
                "breaking: Dev.set request: 'level' changed from Level to Level (its members changed)",
                ''
            ].join('\n'),
            stderr: '2 breaking, 1 compatible changes on ukvm32\n'
        });
        expect(await ukc(['diff', 'test/fixtures/diff/narrow-v1.uk', 'test/fixtures/diff/narrow-v1.uk'])).toEqual({
            code: 0, stdout: '', stderr: '0 breaking, 0 compatible changes on ukvm32\n'
        });
    });

    test('flags: a flag added within the width is compatible, a removed flag or a narrowed width breaks', async () => {
        expect(await ukc(['diff', 'test/fixtures/diff/flags-v1.uk', 'test/fixtures/diff/flags-v2.uk'])).toEqual({
            code: 1,
            stdout: [
                "compatible: Fs.open request: 'perm' (Perm) gained Sticky=128",
                "breaking: Fs.open request: 'cache' changed from Cache to Cache (its members changed)",
                "breaking: Fs.open request: 'lock' changed from Lock : u4 to Lock : u2",
                ''
            ].join('\n'),
            stderr: '2 breaking, 1 compatible changes on ukvm32\n'
        });
    });

    test('unions: a variant added within the tag is compatible, a payload changed, a variant moved or a wider tag breaks', async () => {
        expect(await ukc(['diff', 'test/fixtures/diff/unions-v1.uk', 'test/fixtures/diff/unions-v2.uk'])).toEqual({
            code: 1,
            stdout: [
                "compatible: Input.next request: 'e' (Event) gained scroll",
                "breaking: Input.read request: 'r' (Reading) changed: variant 'celsius' has another payload",
                "breaking: Input.send request: 'p' (Packet) changed: variant 'small' moved from tag 0 to tag 1",
                "breaking: Input.grow request: 'g' (Grows) changed: its tag grew from 1 to 2 bits",
                ''
            ].join('\n'),
            stderr: '3 breaking, 1 compatible changes on ukvm32\n'
        });
    });

    test('error payloads and 32-bit codes: a renamed field is compatible, added, removed or resized fields and changed codes break', async () => {
        const run = await ukc(['diff', 'test/fixtures/diff/errors-v1.uk', 'test/fixtures/diff/errors-v2.uk']);
        expect(run.stdout.split('\n')).toEqual([
            "compatible: disk.Disk.read errors: 'code' was renamed to 'status' in place",
            "breaking: disk.Disk.write errors: 'retry' was added at MR1 bits 0..0",
            'breaking: disk.Disk.open changed its errors from {Denied=0x80070005} to {Denied=0x80070006}',
            "breaking: disk.Disk.open errors: 'detail' changed from u16 to u32",
            "breaking: disk.Disk.close errors: 'code' was removed",
            ''
        ]);
        expect(run.stderr).toBe('4 breaking, 1 compatible changes on ukvm32\n');
        expect(run.code).toBe(1);
    });

    test('events: one added with a fresh number or a field renamed in place is compatible; a changed payload, a removed or reused number breaks', async () => {
        const breaking = await ukc(['diff', 'test/fixtures/diff/events-v1.uk', 'test/fixtures/diff/events-v2.uk']);
        expect(breaking.stdout.split('\n')).toEqual([
            "breaking: event sensors.Sensor.dataReady payload: 'port' changed from u8 to u16",
            'breaking: event sensors.Sensor.gone (number 3) was removed',
            'breaking: event sensors.Sensor.calibrated was added with number 3, which an old event used',
            ''
        ]);
        expect(breaking.stderr).toBe('3 breaking, 0 compatible changes on ukvm32\n');
        expect(breaking.code).toBe(1);
        expect(await ukc(['diff', 'test/fixtures/diff/events-v1.uk', 'test/fixtures/diff/events-v2-compatible.uk'])).toEqual({
            code: 0,
            stdout: [
                "compatible: event sensors.Sensor.dataReady payload: 'count' was renamed to 'total' in place",
                'compatible: event sensors.Sensor.calibrated was added with the fresh number 4',
                ''
            ].join('\n'),
            stderr: '0 breaking, 2 compatible changes on ukvm32\n'
        });
    });

    test('events with strings, unions and floats: a wider string, a float widened or a union moved breaks', async () => {
        const folder = makeFolder();
        writeFileSync(path.join(folder, 'v1.uk'), 'union R { a: u8, b }\ninterface M {\n    event e(s: string[6], r: R, t: f32)\n}\n');
        writeFileSync(path.join(folder, 'v2.uk'), 'union R { a: u8, b }\ninterface M {\n    event e(s: string[8], r: R, t: f64)\n}\n');
        expect(await ukc(['diff', path.join(folder, 'v1.uk'), path.join(folder, 'v2.uk')])).toEqual({
            code: 1,
            stdout: [
                "breaking: event M.e payload: 's' changed from string[6] to string[8]; a receiver refuses values longer than its own capacity",
                "breaking: event M.e payload: 't' changed from f32 to f64",
                "breaking: event M.e payload: 'r' moved from MR3 bits 0..8 to MR4 bits 0..8",
                "breaking: event M.e payload: 's.length' changed from u3 to u4",
                ''
            ].join('\n'),
            stderr: '4 breaking, 0 compatible changes on ukvm32\n'
        });
    });

    test('sources with errors are reported and nothing is compared', async () => {
        expect(await ukc(['diff', 'test/fixtures/diff/v1.uk', 'test/fixtures/broken/syntax.uk'])).toEqual({
            code: 1, stdout: '', stderr: "test/fixtures/broken/syntax.uk:2:30: error: Expected '}', but found the end of the file.\n"
        });
    });
});

describe('layout locks', () => {
    const folder = makeFolder();
    const fixture = (name: string) => path.join(ROOT, 'test/fixtures/diff', name);

    test('ukc layout --lock writes FILE.lock, the same bytes every time', async () => {
        copyFileSync(fixture('v1.uk'), path.join(folder, 'store.uk'));
        expect(await ukc(['layout', 'store.uk', '--lock'], folder)).toEqual({
            code: 0, stdout: 'wrote store.uk.lock: 2 interfaces on ukvm32\n', stderr: ''
        });
        const first = readFileSync(path.join(folder, 'store.uk.lock'), 'utf8');
        expect(JSON.parse(first)).toMatchObject({ format: 'ukc-layout-lock/1', profile: 'ukvm32' });
        await ukc(['layout', 'store.uk', '--lock'], folder);
        expect(readFileSync(path.join(folder, 'store.uk.lock'), 'utf8')).toBe(first);
    });

    test('ukc diff compares a lock with the current source exactly as with the old source', async () => {
        copyFileSync(fixture('v1.uk'), path.join(folder, 'store.uk'));
        await ukc(['layout', 'store.uk', '--lock'], folder);
        expect(await ukc(['diff', 'store.uk.lock', 'store.uk'], folder)).toEqual({
            code: 0, stdout: '', stderr: '0 breaking, 0 compatible changes on ukvm32\n'
        });
        copyFileSync(fixture('v2.uk'), path.join(folder, 'store.uk'));
        const fromLock = await ukc(['diff', 'store.uk.lock', 'store.uk'], folder);
        const fromSource = await ukc(['diff', fixture('v1.uk'), fixture('v2.uk')]);
        expect(fromLock).toEqual(fromSource);
        expect(fromLock.code).toBe(1);
    });

    test('a lock keeps enum members, so a changed enum is still caught', async () => {
        copyFileSync(fixture('enum-v1.uk'), path.join(folder, 'mode.uk'));
        await ukc(['layout', 'mode.uk', '--lock'], folder);
        copyFileSync(fixture('enum-v2.uk'), path.join(folder, 'mode.uk'));
        const run = await ukc(['diff', 'mode.uk.lock', 'mode.uk'], folder);
        expect(run.stdout).toBe("breaking: Mode.Set request: 'mode' changed from Level to Level (its members changed)\n");
        expect(run.code).toBe(1);
    });

    test('a lock is read on its own profile; another --abi, a missing or malformed lock are input errors', async () => {
        copyFileSync(fixture('v1.uk'), path.join(folder, 'store.uk'));
        await ukc(['layout', 'store.uk', '--lock', '--abi', 'sel4-ia32'], folder);
        expect((await ukc(['diff', 'store.uk.lock', 'store.uk'], folder)).stderr).toBe('0 breaking, 0 compatible changes on sel4-ia32\n');
        expect(await ukc(['diff', 'store.uk.lock', 'store.uk', '--abi', 'ukvm32'], folder)).toEqual({
            code: 2, stdout: '', stderr: "ukc: 'store.uk.lock' holds layouts for sel4-ia32, not ukvm32\n"
        });
        expect(await ukc(['diff', 'gone.uk.lock', 'store.uk'], folder)).toEqual({
            code: 2, stdout: '', stderr: "ukc: cannot read 'gone.uk.lock': no such file\n"
        });
        writeFileSync(path.join(folder, 'text.uk.lock'), 'not json');
        expect((await ukc(['diff', 'text.uk.lock', 'store.uk'], folder)).stderr).toBe("ukc: 'text.uk.lock' is not a ukc layout lock: it is not JSON\n");
        writeFileSync(path.join(folder, 'future.uk.lock'), JSON.stringify({ format: 'ukc-layout-lock/9', profile: 'ukvm32', interfaces: [] }));
        expect((await ukc(['diff', 'future.uk.lock', 'store.uk'], folder)).stderr)
            .toBe("ukc: 'future.uk.lock' is not a ukc layout lock: its format is 'ukc-layout-lock/9'; this ukc reads 'ukc-layout-lock/1'\n");
        writeFileSync(path.join(folder, 'shape.uk.lock'), JSON.stringify({ format: 'ukc-layout-lock/1', profile: 'ukvm32', interfaces: [{ name: 'X', methods: [{ name: 'm' }] }] }));
        expect((await ukc(['diff', 'shape.uk.lock', 'store.uk'], folder)).stderr)
            .toBe('ukc: \'shape.uk.lock\' is not a ukc layout lock: its "profile" or "interfaces" field is malformed\n');
    });

    test('ukc check reports every breaking change since the lock at the method or interface, and nothing else', async () => {
        copyFileSync(fixture('v1.uk'), path.join(folder, 'store.uk'));
        await ukc(['layout', 'store.uk', '--lock'], folder);
        expect(await ukc(['check', 'store.uk'], folder)).toEqual({ code: 0, stdout: '', stderr: '0 errors, 0 warnings in 1 file\n' });
        copyFileSync(fixture('v2.uk'), path.join(folder, 'store.uk'));
        const locked = 'breaks the layout locked in store.uk.lock (ukvm32)';
        expect(await ukc(['check', 'store.uk'], folder)).toEqual({
            code: 1,
            stdout: [
                `store.uk:4:11: error: ${locked}: interface store.Legacy was removed`,
                `store.uk:4:11: error: ${locked}: store.Store.drop (ordinal 4) was removed`,
                `store.uk:5:5: error: ${locked}: store.Store.get request: 'key' moved from MR0 bits 0..31 to MR1 bits 0..31`,
                `store.uk:6:5: error: ${locked}: store.Store.put changed its errors from {Full=1} to {Full=1, ReadOnly=2}`,
                `store.uk:7:5: error: ${locked}: store.Store.stat request: 'id' changed from u16 to u32`,
                `store.uk:8:5: error: ${locked}: store.Store.count was renumbered from ordinal 5 to 4; pin it with @ordinal(5)`,
                ''
            ].join('\n'),
            stderr: '6 errors, 0 warnings in 1 file\n'
        });
        const json = JSON.parse((await ukc(['check', '--json', 'store.uk'], folder)).stdout) as { diagnostics: { code: string; endColumn: number }[] };
        expect(json.diagnostics[2]).toMatchObject({ code: 'layout-lock', line: 5, column: 5, endLine: 5, endColumn: 8 });
    });

    test('ukc check reports a malformed lock at the lock, and does not compare a file with errors', async () => {
        writeFileSync(path.join(folder, 'odd.uk'), 'interface Odd { ping() }\n');
        writeFileSync(path.join(folder, 'odd.uk.lock'), '{}');
        expect((await ukc(['check', 'odd.uk'], folder)).stdout).toBe('odd.uk.lock:1:1: error: not a ukc layout lock: it has no "format" field\n');
        writeFileSync(path.join(folder, 'odd.uk'), 'interface Odd { ping( }\n');
        const broken = await ukc(['check', 'odd.uk'], folder);
        expect(broken.stdout).not.toContain('layout lock');
        expect(broken.code).toBe(1);
    });

    test('--lock refuses --method and --json', async () => {
        copyFileSync(fixture('v1.uk'), path.join(folder, 'store.uk'));
        expect(await ukc(['layout', 'store.uk', '--lock', '--json'], folder)).toEqual({
            code: 2, stdout: '', stderr: 'ukc: --lock writes every method of the file; it takes neither --method nor --json\n'
        });
    });
});
