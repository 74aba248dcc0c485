/**
 * The readable trace: one line per event, a cycle stamp first, then who talks to whom and the typed call
 * or reply as the source would write it.
 *
 *   [      1234] client -> calc      Calculator.add(a=40, b=2)  fast
 *   [      2597] client <- calc      Calculator.add = 42  fast, 1363 cycles
 */
import type { TypedEvent } from './typed-trace.js';
import type { DecodedValue } from './message-decoder.js';

/** A call's arguments or a reply's results: `a=1, b=2`. */
export function formatValues(list: readonly DecodedValue[]): string {
    return list.map(value => `${value.name}=${value.text}`).join(', ');
}

/** A successful reply's outcome: `done`, the one result's value, or `(a=1, b=2)`. */
export function formatOutcome(results: readonly DecodedValue[]): string {
    return results.length === 0 ? 'done'
        : results.length === 1 && results[0].name === 'result' ? results[0].text
        : `(${formatValues(results)})`;
}

function stamp(cycle: number): string {
    return cycle < 1e10 ? `[${(`          ${cycle}`).slice(-10)}]` : `[${cycle}]`;
}

/** A kernel personality's operation and what it copied: `MsgSend 8 bytes` (empty under seL4). */
export function modelText(primitive: string | undefined, bytesCopied: number | undefined): string {
    return primitive === undefined ? '' : `${primitive} ${bytesCopied ?? 0} bytes`;
}

export function formatTraceLine(event: TypedEvent): string {
    switch (event.kind) {
        case 'call': case 'send': {
            const oneway = event.kind === 'send' ? '  oneway' : '';
            const model = modelText(event.primitive, event.bytesCopied);
            return `${stamp(event.cycle)} ${event.from} -> ${event.to}  ${event.interface}.${event.method}(${formatValues(event.args)})${oneway}${event.fastpath ? '  fast' : ''}${model ? `  ${model}` : ''}`;
        }
        case 'reply': {
            const outcome = event.error !== undefined ? `error ${event.error}` : formatOutcome(event.results);
            const details = [event.fastpath ? 'fast' : '', modelText(event.primitive, event.bytesCopied), event.elapsed !== undefined ? `${event.elapsed} cycles` : ''].filter(Boolean).join(', ');
            return `${stamp(event.cycle)} ${event.to} <- ${event.from}  ${event.interface}.${event.method} = ${outcome}${details ? `  ${details}` : ''}`;
        }
        case 'event': {
            // `=>` an emit queued the record for the client, `=x` the client's queue was full, `<=` the client took it.
            const head = event.operation === 'take' ? `${event.to} <= ${event.from}` : `${event.from} ${event.operation === 'drop' ? '=x' : '=>'} ${event.to}`;
            const note = event.operation === 'drop' ? `dropped: queue full (${event.capacity}), ${event.dropped ?? 0} lost` : `${event.queued} queued`;
            return `${stamp(event.cycle)} ${head}  ${event.interface}.${event.method}(${formatValues(event.args)})  ${note}`;
        }
        case 'fault':
            return `${stamp(event.cycle)} fault ${event.thread}: ${event.panic ?? event.fault} at pc 0x${event.pc.toString(16)}${event.fault === 'page-fault' ? ` (address 0x${event.address.toString(16)})` : ''}${event.handled ? '' : ', no handler: suspended'}`;
        case 'other': {
            const e = event.event;
            if (e.kind === 'signal') {
                const what = e.primitive === undefined ? `signals ${e.notification} (bits` : `${e.primitive} ${e.notification} (value`;
                return `${stamp(e.cycle)} ${e.from} ${what} 0x${e.bits.toString(16)})${e.woke ? `, wakes ${e.woke}` : ''}`;
            }
            if (e.kind === 'priority') {
                return `${stamp(e.cycle)} ${e.thread} runs at priority ${e.priority} (${e.reason === 'inherit' ? `inherited from ${e.from ?? '?'}` : 'its own'})`;
            }
            if (e.kind === 'interrupt') return `${stamp(e.cycle)} interrupt ${e.line} (${e.device})${e.notification ? ` -> ${e.notification}` : ', unclaimed'}`;
            if (e.kind === 'resume') return `${stamp(e.cycle)} ${e.by} resumes ${e.thread} at 0x${e.pc.toString(16)}`;
            return `${stamp(e.cycle)} ${e.kind}`;
        }
    }
}
