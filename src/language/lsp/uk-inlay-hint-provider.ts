/**
 * Inlay hints: after each argument and result of an interface method, where it travels in the message on
 * the workspace's ABI profile (`ukc.layout.abiProfile`): `MR0[0..7]` (bits of a register word), `buf[5]`
 * (a word in the IPC buffer), `cap 0` (an extra capability), `shared` or `lease` bulk data with where its
 * offset and length go. The placements are the layout service's, the same that `ukc layout` prints and the
 * code generator packs. `ukc.inlayHints.enabled: false` turns them off.
 */
import type { LangiumDocument } from 'langium';
import type { InlayHintProvider } from 'langium/lsp';
import type { InlayHint, InlayHintParams, Position, Range } from 'vscode-languageserver';
import type { AbiProfile, MessageLayout, Placement } from '../../layout/index.js';
import { isInterfaceDecl, type InterfaceDecl, type Method, type Module, type Param } from '../generated/ast.js';
import type { InterfaceLayouts } from '../model/interface-layouts.js';
import type { UkSettings } from './uk-settings.js';

/** A value of a message and where its hint goes: after its declaration. */
interface HintedValue { readonly path: string; readonly end: Position }

export class UkInlayHintProvider implements InlayHintProvider {
    private readonly layouts: () => InterfaceLayouts;
    private readonly settings: () => UkSettings;

    constructor(services: { layout: { InterfaceLayouts: InterfaceLayouts }; lsp: { Settings: UkSettings } }) {
        this.layouts = () => services.layout.InterfaceLayouts;
        this.settings = () => services.lsp.Settings;
    }

    async getInlayHints(document: LangiumDocument, params: InlayHintParams): Promise<InlayHint[]> {
        const settings = this.settings();
        if (!await settings.inlayHintsEnabled()) return [];
        const profile = await settings.abiProfile();
        const hints: InlayHint[] = [];
        const module = document.parseResult.value as Module;
        for (const iface of (module.declarations ?? []).filter(isInterfaceDecl)) {
            if (!overlaps(iface.$cstNode?.range, params.range)) continue;
            this.interfaceHints(iface, profile, params.range, hints);
        }
        return hints;
    }

    private interfaceHints(iface: InterfaceDecl, profile: AbiProfile, range: Range, hints: InlayHint[]): void {
        const { layout } = this.layouts().layoutOf(iface, profile);
        iface.methods.forEach((method, index) => {
            const methodLayout = layout.methods[index];
            if (!methodLayout || !overlaps(method.$cstNode?.range, range)) return;
            const tooltip = `${iface.name}.${method.name} on ${profile.name}`;
            for (const value of requestValues(method)) push(hints, value, methodLayout.request, profile, `request of ${tooltip}`);
            if (methodLayout.reply) {
                for (const value of replyValues(method)) push(hints, value, methodLayout.reply, profile, `reply of ${tooltip}`);
                // What comes back of an `out` or `inout` parameter: inline bytes, a string's or vec's words or length.
                for (const value of valuesOf(method.params.filter(param => param.direction === 'out' || param.direction === 'inout'))) {
                    push(hints, value, methodLayout.reply, profile, `reply of ${tooltip}`, 'back ');
                }
            }
        });
    }
}

function push(hints: InlayHint[], value: HintedValue, message: MessageLayout, profile: AbiProfile, tooltip: string, prefix = ''): void {
    const label = whereValueTravels(value.path, message, profile);
    if (label) hints.push({ position: value.end, label: `${prefix}${label}`, paddingLeft: true, tooltip });
}

function requestValues(method: Method): HintedValue[] {
    return valuesOf(method.params);
}

function replyValues(method: Method): HintedValue[] {
    // An unnamed result is the layout's `result`.
    const result = method.resultType?.$cstNode;
    if (result) return [{ path: 'result', end: result.range.end }];
    return valuesOf(method.results);
}

function valuesOf(params: readonly Param[]): HintedValue[] {
    return params.flatMap(param => param.$cstNode ? [{ path: param.name, end: param.$cstNode.range.end }] : []);
}

/**
 * Where the value named `path` (with its fields, elements and words, `path.x`, `path[0]`, `path#0`) travels in `message`,
 * or undefined when the layout placed none of it (a layout problem, reported as a diagnostic).
 */
export function whereValueTravels(path: string, message: MessageLayout, profile: AbiProfile): string | undefined {
    // A struct's fields, an array's or vec's elements, a string's words (`path#0`).
    const ofValue = (candidate: string): boolean => candidate === path || candidate.startsWith(`${path}.`) || candidate.startsWith(`${path}[`) || candidate.startsWith(`${path}#`);
    const bulk = message.bulk.find(item => item.path === path);
    const scalarAt = (field: string): string | undefined => {
        const scalar = message.scalars.find(item => item.path === `${path}.${field}`);
        return scalar ? placementText(scalar.placement, profile) : undefined;
    };
    if (bulk?.transfer === 'shared') return `shared, offset ${scalarAt('offset') ?? '?'}, length ${scalarAt('length') ?? '?'}`;
    if (bulk?.transfer === 'lease') return `lease cap ${bulk.capIndex ?? '?'}, length ${scalarAt('length') ?? '?'}`;
    if (bulk?.transfer === 'inline') return bulk.words ? `inline ${wordsText(bulk.words.first, bulk.words.count, profile)}` : undefined;
    const parts = message.scalars.filter(scalar => ofValue(scalar.path)).map(scalar => placementText(scalar.placement, profile));
    parts.push(...message.caps.filter(cap => ofValue(cap.path)).map(cap => `cap ${cap.capIndex}`));
    return parts.length > 0 ? joinParts(parts) : undefined;
}

/** `MR1`, `MR0[0..7]`, `MR2[16]`, `MR0-MR1` in registers; `buf[5]`, `buf[5][0..7]`, `buf[4-5]` in the IPC buffer. */
function placementText(placement: Placement, profile: AbiProfile): string {
    const words = Math.max(1, Math.ceil(placement.bits / profile.wordBits));
    const where = wordsText(placement.word, words, profile);
    if (placement.bits >= profile.wordBits) return where;
    const high = placement.lo + placement.bits - 1;
    return `${where}[${placement.lo === high ? placement.lo : `${placement.lo}..${high}`}]`;
}

function wordsText(first: number, count: number, profile: AbiProfile): string {
    const last = first + count - 1;
    if (last < profile.fastRegisters) return count === 1 ? `MR${first}` : `MR${first}-MR${last}`;
    return count === 1 ? `buf[${first}]` : `buf[${first}-${last}]`;
}

/** Whole consecutive buffer words of an array or struct read as one span (`buf[6-8]`); at most four parts. */
function joinParts(parts: string[]): string {
    const merged: string[] = [];
    for (const part of parts) {
        const previous = merged[merged.length - 1];
        const next = /^buf\[(\d+)\]$/.exec(part);
        const span = previous ? /^buf\[(\d+)(?:-(\d+))?\]$/.exec(previous) : null;
        if (next && span && Number(span[2] ?? span[1]) + 1 === Number(next[1])) {
            merged[merged.length - 1] = `buf[${span[1]}-${next[1]}]`;
        } else {
            merged.push(part);
        }
    }
    return merged.length > 4 ? `${merged.slice(0, 3).join(', ')}, … ${merged[merged.length - 1]}` : merged.join(', ');
}

function overlaps(node: Range | undefined, range: Range): boolean {
    if (!node) return false;
    const before = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character < b.character);
    return !before(node.end, range.start) && !before(range.end, node.start);
}
