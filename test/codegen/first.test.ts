import { describe, expect, it } from 'vitest';
import { compileAndRun } from './compile-helper.js';

describe('first light', () => {
    it('runs a program that prints', async () => {
        const run = await compileAndRun(`
program Hello {
    main {
        var total: u32 = 0
        for i in 0..10 { total += i }
        print("total = {} hex {:x}", total, total)
    }
}
system S { instance hello: Hello { priority: 10 } }
`);
        expect(run.output).toBe('total = 45 hex 2d\n');
    });
});
