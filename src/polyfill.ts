/**
 * Node 20 lacks Object.groupBy, which chevrotain (pulled in by Langium 4.4) calls while building the
 * parser. Every entry point imports this module first; ES modules evaluate imports in order, so the
 * polyfill is in place before chevrotain's module body runs.
 */
type GroupBy = <T>(items: Iterable<T>, keyOf: (item: T, index: number) => PropertyKey) => Partial<Record<PropertyKey, T[]>>;

const objectWithGroupBy = Object as unknown as { groupBy?: GroupBy };
if (typeof objectWithGroupBy.groupBy !== 'function') {
    const groupBy: GroupBy = (items, keyOf) => {
        const groups: Partial<Record<PropertyKey, unknown[]>> = Object.create(null);
        let index = 0;
        for (const item of items) {
            const key = keyOf(item, index++);
            (groups[key] ??= []).push(item);
        }
        return groups as never;
    };
    Object.defineProperty(Object, 'groupBy', { configurable: true, writable: true, value: groupBy });
}

export {};
