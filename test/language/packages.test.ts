/** Files of one package share one namespace: a name declared in two of them is an error in both. */
import { describe, expect, test } from 'vitest';
import { buildFiles, describeDiagnostics } from '../helpers.js';

describe('names across the files of a package', () => {
    test('the same constant in two files of one package is reported in both, naming the other', async () => {
        const [types, extra] = await buildFiles({
            'types.uk': 'package pkgclash\n\nconst BATCH = 8\nstruct Sample { value: u32 }\n',
            'extra.uk': 'package pkgclash\n// more\nconst BATCH = 16\n'
        });
        expect(describeDiagnostics(types)).toEqual([
            "3:7 error 'BATCH' is also declared in extra.uk (line 3), another file of package pkgclash. @ BATCH"
        ]);
        expect(describeDiagnostics(extra)).toEqual([
            "3:7 error 'BATCH' is also declared in types.uk (line 3), another file of package pkgclash. @ BATCH"
        ]);
        const related = extra.diagnostics?.[0].relatedInformation;
        expect(related).toEqual([{
            location: { uri: types.uri.toString(), range: { start: { line: 2, character: 6 }, end: { line: 2, character: 11 } } },
            message: "the other 'BATCH'"
        }]);
        expect(extra.diagnostics?.[0].code).toBe('duplicate-name');
    });

    test('different packages, or no package, may reuse a name', async () => {
        const documents = await buildFiles({
            'a.uk': 'package pkg.one\nconst SIZE = 1\n',
            'b.uk': 'package pkg.two\nconst SIZE = 2\n',
            'c.uk': 'const SIZE = 3\n',
            'd.uk': 'const SIZE = 4\n'
        });
        expect(documents.map(describeDiagnostics)).toEqual([[], [], [], []]);
    });

    test('the same package in two folders is two versions side by side, not one package', async () => {
        const [v1, v2] = await buildFiles({ 'v1/store.uk': 'package versions\nconst SIZE = 1\n', 'v2/store.uk': 'package versions\nconst SIZE = 2\n' });
        expect([describeDiagnostics(v1), describeDiagnostics(v2)]).toEqual([[], []]);
    });

    test('kinds do not matter: a struct and a function of one name clash too', async () => {
        const [first, second] = await buildFiles({
            'first.uk': 'package kinds\nstruct Point { x: u32 }\n',
            'second.uk': 'package kinds\nfn Point() -> u32 { return 1 }\n'
        });
        expect(describeDiagnostics(first)).toEqual(["2:8 error 'Point' is also declared in second.uk (line 2), another file of package kinds. @ Point"]);
        expect(describeDiagnostics(second)).toEqual(["2:4 error 'Point' is also declared in first.uk (line 2), another file of package kinds. @ Point"]);
    });
});
