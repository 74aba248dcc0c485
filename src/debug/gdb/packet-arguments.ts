/** The arguments of the remote protocol's packets (GDB manual, "Packets"), parsed or refused (undefined). */
import { parseHexNumber } from './hex.js';

/** A thread-id: `-1` all threads, `0` any thread, or one thread (GDB manual, "Packets", thread-id). */
export type ThreadSelector = { readonly kind: 'all' } | { readonly kind: 'any' } | { readonly kind: 'thread'; readonly id: number };

/** A thread-id; the multiprocess form `pPID.TID` is accepted for its thread part. */
export function parseThreadSelector(text: string): ThreadSelector | undefined {
    const tid = text.startsWith('p') ? text.slice(text.indexOf('.') + 1) : text;
    if (tid === '-1') return { kind: 'all' };
    const id = parseHexNumber(tid);
    if (id === undefined) return undefined;
    return id === 0 ? { kind: 'any' } : { kind: 'thread', id };
}

/** `ADDR,LENGTH` in hex. */
export function parseRange(text: string): { address: number; length: number } | undefined {
    const [addressText = '', lengthText = '', extra] = text.split(',');
    const address = parseHexNumber(addressText);
    const length = parseHexNumber(lengthText);
    if (address === undefined || length === undefined || extra !== undefined) return undefined;
    return { address, length };
}

/** `0,ADDR,KIND` or `1,ADDR,KIND` (conditions after `;` are not evaluated here); other types are not supported. */
export function parseBreakpoint(text: string): { address: number; hardware: boolean } | undefined {
    const [type, addressText = '', kindText = ''] = text.split(';')[0].split(',');
    if (type !== '0' && type !== '1') return undefined;
    const address = parseHexNumber(addressText);
    if (address === undefined || parseHexNumber(kindText) === undefined) return undefined;
    return { address, hardware: type === '1' };
}

/** `vCont` actions: `c`, `Csig`, `s`, `Ssig`, each with an optional `:thread-id`. */
export function parseResumeActions(text: string): { step: boolean; thread?: number }[] | undefined {
    const actions: { step: boolean; thread?: number }[] = [];
    for (const action of text.split(';')) {
        const match = /^([cs]|[CS][0-9a-fA-F]{2})(?::(?:p[0-9a-fA-F]+\.)?(-1|[0-9a-fA-F]{1,8}))?$/.exec(action);
        if (!match) return undefined;
        const threadText = match[2];
        const thread = threadText === undefined || threadText === '-1' ? undefined : parseInt(threadText, 16);
        actions.push({ step: match[1].charAt(0).toLowerCase() === 's', thread: thread === 0 ? undefined : thread });
    }
    return actions;
}
