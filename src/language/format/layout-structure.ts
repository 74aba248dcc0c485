/**
 * What the formatter needs to know of the syntax tree: which braces open a list of items (statements,
 * members, fields), which tokens start an item, and whether a list is written on one line or broken, one
 * item per line. A list is broken when its text spans lines, when a list of statements holds more than one
 * (statements have no separators, so two on a line read as one), or when a list inside it is broken; an
 * empty list is never broken. Everything else about lines is the author's.
 */
import { isAstNode, type AstNode } from 'langium';
import type { SourceElement } from './source-elements.js';

/**
 * The AST types whose braces hold a list, and the property that holds the items (or properties, comma
 * separated, whose items mix in source order: an interface's methods and events). Statement lists are one
 * item per line when broken; field lists are comma separated and may share a line when not.
 */
const ITEM_LISTS: Readonly<Record<string, { readonly property: string; readonly kind: 'statements' | 'fields' }>> = {
    Block: { property: 'statements', kind: 'statements' },
    InterfaceDecl: { property: 'methods,events', kind: 'statements' },
    ServerDecl: { property: 'members', kind: 'statements' },
    ProgramDecl: { property: 'members', kind: 'statements' },
    SystemDecl: { property: 'items', kind: 'statements' },
    EnumDecl: { property: 'members', kind: 'fields' },
    BitfieldDecl: { property: 'fields', kind: 'fields' },
    StructDecl: { property: 'fields', kind: 'fields' },
    UnionDecl: { property: 'variants', kind: 'fields' },
    MatchStmt: { property: 'arms', kind: 'statements' },
    DeviceDecl: { property: 'registers', kind: 'fields' },
    Instance: { property: 'properties', kind: 'fields' },
    DeviceInstance: { property: 'properties', kind: 'fields' },
    StructLiteral: { property: 'fields', kind: 'fields' }
};

export interface ItemList {
    /** Element indices of the braces (none for the file itself, whose items are always one per line). */
    readonly open: number | undefined;
    readonly close: number | undefined;
    readonly broken: boolean;
}

export interface LayoutStructure {
    /** The list whose item starts at this element index. */
    readonly itemStarts: ReadonlyMap<number, ItemList>;
    /** The list that this `{` or `}` element opens or closes. */
    readonly braces: ReadonlyMap<number, ItemList>;
}

/** The lists of a file, from its tree and its elements (as `sourceElements` gives them). */
export function layoutStructure(root: AstNode, elements: readonly SourceElement[], text: string): LayoutStructure {
    const firstTokenAt = firstTokenIndex(elements);
    const lists = new Map<AstNode, { open: number; close: number; items: AstNode[]; kind: 'statements' | 'fields' }>();
    elements.forEach((element, index) => {
        if (element.kind !== 'token' || (element.text !== '{' && element.text !== '}')) return;
        const list = ITEM_LISTS[element.node.$type];
        if (!list) return;
        const entry = lists.get(element.node) ?? { open: -1, close: -1, items: itemsOf(element.node, list.property), kind: list.kind };
        if (element.text === '{') entry.open = index; else entry.close = index;
        lists.set(element.node, entry);
    });

    const broken = new Set<AstNode>();
    for (const [node, list] of lists) {
        const inside = elements.slice(list.open + 1, list.close);
        if (inside.length === 0) continue;
        const spansLines = text.slice(elements[list.open].end, elements[list.close].offset).includes('\n');
        if (spansLines || (list.kind === 'statements' && list.items.length > 1)) broken.add(node);
    }
    // A broken list breaks every list around it: an inner line break would otherwise make the outer list
    // span lines only on the second run, and formatting must be idempotent.
    for (const node of [...broken]) {
        for (let container = node.$container; container; container = container.$container) {
            if (lists.has(container)) broken.add(container);
        }
    }

    const itemStarts = new Map<number, ItemList>();
    const braces = new Map<number, ItemList>();
    for (const [node, list] of lists) {
        const itemList: ItemList = { open: list.open, close: list.close, broken: broken.has(node) };
        braces.set(list.open, itemList);
        braces.set(list.close, itemList);
        for (const item of list.items) {
            const start = item.$cstNode ? firstTokenAt(item.$cstNode.offset) : undefined;
            if (start !== undefined) itemStarts.set(start, itemList);
        }
    }
    const file: ItemList = { open: undefined, close: undefined, broken: true };
    const module = root as AstNode & { imports?: AstNode[]; declarations?: AstNode[] };
    const packageKeyword = elements.findIndex(element => element.kind === 'token' && element.text === 'package' && element.node === root);
    if (packageKeyword >= 0) itemStarts.set(packageKeyword, file);
    for (const item of [...module.imports ?? [], ...module.declarations ?? []]) {
        const start = item.$cstNode ? firstTokenAt(item.$cstNode.offset) : undefined;
        if (start !== undefined) itemStarts.set(start, file);
    }
    return { itemStarts, braces };
}

function itemsOf(node: AstNode, properties: string): AstNode[] {
    const items = properties.split(',').flatMap(property => {
        const value = (node as unknown as Record<string, unknown>)[property];
        return Array.isArray(value) ? value.filter((item): item is AstNode => isAstNode(item)) : [];
    });
    return items.sort((a, b) => (a.$cstNode?.offset ?? 0) - (b.$cstNode?.offset ?? 0));
}

/** A lookup of the first token at or after an offset (a node's CST may start with a comment). */
function firstTokenIndex(elements: readonly SourceElement[]): (offset: number) => number | undefined {
    const tokens: { offset: number; index: number }[] = [];
    elements.forEach((element, index) => { if (element.kind === 'token') tokens.push({ offset: element.offset, index }); });
    return offset => {
        let low = 0;
        let high = tokens.length;
        while (low < high) {
            const middle = (low + high) >> 1;
            if (tokens[middle].offset < offset) low = middle + 1; else high = middle;
        }
        return tokens[low]?.index;
    };
}
