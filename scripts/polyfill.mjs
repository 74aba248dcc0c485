// Node 20 lacks Object.groupBy, which chevrotain (pulled in by Langium 4.4) calls while building the parser.
// Loaded with `node --import` for tools that run before any ukc entry point (the Langium generator,
// benchmarks); ukc's own entry points import src/polyfill.ts first instead.
if (typeof Object.groupBy !== 'function') {
    Object.defineProperty(Object, 'groupBy', {
        configurable: true,
        writable: true,
        value: function groupBy(items, keyOf) {
            const groups = Object.create(null);
            let index = 0;
            for (const item of items) {
                const key = keyOf(item, index++);
                (groups[key] ??= []).push(item);
            }
            return groups;
        }
    });
}
