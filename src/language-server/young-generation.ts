/**
 * V8's minor garbage collection as a call, for the document builder to run where no request waits
 * (language/workspace/uk-document-builder.ts). Node offers `gc` only to code started with `--expose-gc`,
 * which `ukc lsp --stdio` is not (and users start it that way): setting the flag at run time makes V8 put
 * `gc` into contexts created afterwards, so one new context hands it over. Without it (a Node that
 * refuses), the server works as before, with V8 choosing every collection's moment.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GarbageCollection = (options: { type: 'minor' | 'major' }) => void;

export function youngGenerationCollector(): (() => void) | undefined {
    try {
        setFlagsFromString('--expose-gc');
        const gc = runInNewContext('gc') as unknown;
        if (typeof gc !== 'function') return undefined;
        return () => (gc as GarbageCollection)({ type: 'minor' });
    } catch {
        return undefined;
    }
}
