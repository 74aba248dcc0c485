/**
 * Compiles one component type (a server or a program) into assembly: its entry point (the server's
 * dispatch loop, or a program's `main` then exit), its handlers and helper functions (lowered to IR,
 * register-allocated, emitted), the client stubs its ports need, enum printers, state in `.data` and
 * strings in `.rodata`. What the back end cannot compile yet is collected as problems with their nodes.
 */
import { AstUtils, type AstNode, type LangiumDocument } from 'langium';
import {
    isArrayLiteral, isCallExpr, isMemberExpr, isNoneLiteral, isUnionVariant, scalarKind, isStringLiteral, utf8Bytes, isHandler, isInitBlock, isNameRef, isNotificationPort, isStructLiteral,
    isMainBlock, isServerDecl, isStateVar, isUsesPort, type Block, type EnumDecl, type Expr, type FunctionDecl,
    type EventDecl, type Handler, type InterfaceDecl, type Method, type Param, type ProgramDecl, type Referable,
    type ServerDecl, type StateVar, type UsesPort, type InterfaceLayouts, type UkTypeSystem, type UkType,
    eventLane, interruptPorts, isCounted, notificationLanes, paramTransfer, portsOf, replyVariables, savedReplySlot
} from '../language/index.js';
import { unsupportedMessage, type AbiProfile, type InterfaceLayout, type MethodLayout } from '../layout/index.js';
import { OVERFLOW_SYMBOL, OVERFLOW_WORDS, type SourcePosition } from './ir.js';
import { isUnion, isWide, leavesOf, livesInMemory, scalarShape } from './lower/aggregates.js';
import { packConstant } from './lower/union-pieces.js';
import { capabilityRuntime, receiveIndexSetup, receivesCapabilities } from './ipc/capability-transfer.js';
import { ANSWER_ERROR_SYMBOL, answerErrorSymbol, answerSymbol, deferredReplyRoutines, releaseSavedReplies, type DeferredMethod } from './ipc/deferred-replies.js';
import { errorWords } from './ipc/error-replies.js';
import { EVENT_LOOP_ENTRY, clientEventLoop, emitStub, type SubscribedPort } from './ipc/event-code.js';
import { FAILED_SERVER_ENTRY, clientStub, serverDispatch, valuesMatch, type DispatchedMethod, type NotificationHandler } from './ipc/message-code.js';
import { BodyLowering, type BodyKind, type LoweringContext } from './lower/lower-body.js';
import { asmName, emitFunction, type EmittedLocal } from './rv32/emit-function.js';
import { debugTypeOf, type DebugType } from './debug-info.js';
import { RUNTIME_LIBRARY, byteDirective } from './rv32/runtime-library.js';
import { enumPrinter } from './rv32/enum-printers.js';
import { STRING_ROUTINES } from './rv32/string-routines.js';
import { floatRoutines } from './rv32/float-routines.js';
import { STRING_EQUAL_SYMBOL, UTF8_VALID_SYMBOL } from './lower/counted-lowering.js';
import { bufferBytes } from './lower/memory-ops.js';
import { CLIENT_SHARED_WINDOW, FIRST_PORT_SLOT, SAVED_REPLY_FIRST_SLOT } from '../../runtime/contract/index.js';
import { deviceWindow } from './system-layout.js';

export interface CodegenProblem {
    readonly node: AstNode;
    readonly message: string;
}

export interface CompiledComponent {
    readonly name: string;
    readonly assembly: string;
    /** Statement labels and their source positions (the line table, once addresses are known). */
    readonly positions: readonly { readonly label: string; readonly position: SourcePosition }[];
    /** Functions (handlers, helpers, main) with their locals' locations, for the debugger. */
    readonly functions: readonly {
        readonly symbol: string;
        /** Each local's register or stack slot, live from label `from` up to label `to` (or the end). */
        readonly locals: readonly EmittedLocal[];
        readonly frameSize: number;
    }[];
    /** State variables: the symbol of each and its type, for the debugger. */
    readonly state: readonly { readonly name: string; readonly symbol: string; readonly type: DebugType }[];
    /** Client stubs: symbol and method, for the stub benchmark. */
    readonly stubs: readonly { readonly symbol: string; readonly port: string; readonly method: string }[];
    /** Whether capabilities arrive as values (its CNode then needs room for them: RECEIVING_CNODE_SIZE). */
    readonly acceptsCaps?: boolean;
    /** The most leases it passes in one call: it has as many staging pages (clientLeaseWindow), 0 for none. */
    readonly sendsLeases?: number;
}

type Component = ServerDecl | ProgramDecl;

/** The paths of a value's scalar leaves (`key.hi`, `key.lo`), in the order the layout flattens them. */
function leafPaths(name: string, type: UkType, types: UkTypeSystem): string[] {
    return livesInMemory(type) ? (leavesOf(type, name, types) ?? []).map(leaf => leaf.path) : [name];
}

/**
 * What compiled code cannot carry in a method's messages (src/layout/message-limits.ts, which the checker
 * reports at the method), or values the stub and handler conventions cannot pass.
 */
function unsupportedMethod(layout: MethodLayout, method: Method, types: UkTypeSystem): string | undefined {
    const limit = unsupportedMessage(layout.request) ?? (layout.reply ? unsupportedMessage(layout.reply) : undefined);
    if (limit) return limit;
    const matches = valuesMatch(layout.request, paramOrder(method, types)) && (!layout.reply || valuesMatch(layout.reply, resultOrder(method, types)));
    return matches ? undefined : 'values of these types in messages';
}

/** The order of a method's scalars as the stub and handler conventions pass them. */
function paramOrder(method: Method, types: UkTypeSystem): string[] {
    return method.params.flatMap(param => {
        const type = types.typeOfTypeRef(param.type);
        const transfer = paramTransfer(param, types);
        // Shared bulk data travels as its place in the shared region: an offset and a length.
        if (transfer === 'shared') return [`${param.name}.offset`, `${param.name}.length`];
        // A lease travels as a frame capability (mapped for the handler) and a length.
        if (transfer === 'lease') return [`${param.name}.length`];
        // Inline bytes travel in message words of their own, not as arguments; an inline string or vec
        // as its leaves, as a struct does.
        if (transfer === 'inline' && type.kind === 'bytes') return [];
        // An inline `out` string or vec comes back in the reply only (resultOrder).
        if (isCounted(type) && param.direction === 'out') return [];
        return leafPaths(param.name, type, types);
    });
}

/** The order of an event's values as the emit stub and the handler pass them: its leaves in declaration order. */
function eventOrder(event: EventDecl, types: UkTypeSystem): string[] {
    return event.params.flatMap(param => leafPaths(param.name, types.typeOfTypeRef(param.type), types));
}

/**
 * A component's `on event` handlers, lowered by `lower`, grouped by the `uses` port they listen on, in port
 * order (eventPorts): what a program's event loop, or a server's dispatch loop, takes records from.
 */
function subscribedPorts(component: Component, ports: readonly AstNode[], types: UkTypeSystem, layoutOf: (iface: InterfaceDecl) => InterfaceLayout,
    lower: (symbol: string, handler: Handler) => void): SubscribedPort[] {
    const handlers = component.members.filter(isHandler).filter(handler => handler.event === 'event');
    return ports.filter(isUsesPort).flatMap(port => {
        const events = handlers.flatMap(handler => {
            const event = handler.eventDecl?.ref;
            const layout = event ? layoutOf(event.$container).events.find(candidate => candidate.name === event.name) : undefined;
            if (handler.port?.ref !== port || !event || !layout) return [];
            const symbol = `event.${component.name}.${port.name}.${event.name}`;
            lower(symbol, handler);
            return [{ layout, handlerSymbol: asmName(symbol), paramOrder: eventOrder(event, types) }];
        });
        return events.length > 0 ? [{ slot: FIRST_PORT_SLOT + ports.indexOf(port), events }] : [];
    });
}

/** The order of a method's error payload values (ipc/error-replies.ts): where results would be. */
export function errorOrder(method: Method, types: UkTypeSystem): string[] {
    return (method.payload?.fields ?? []).flatMap(field => leafPaths(field.name, types.typeOfTypeRef(field.type), types));
}

function resultOrder(method: Method, types: UkTypeSystem): string[] {
    // A byte-buffer result comes back through the caller's shared region: its offset and length.
    const paths = (name: string, type: UkType) => (type.kind === 'bytes' ? [`${name}.offset`, `${name}.length`] : leafPaths(name, type, types));
    const results = method.resultType ? paths('result', types.typeOfTypeRef(method.resultType))
        : method.results.flatMap(result => paths(result.name, types.typeOfTypeRef(result.type)));
    // Then the `out` and `inout` strings and vecs: inline their leaves, as bulk data their lengths.
    const outs = method.params.flatMap(param => {
        const type = types.typeOfTypeRef(param.type);
        if (!isCounted(type) || (param.direction !== 'out' && param.direction !== 'inout')) return [];
        return paramTransfer(param, types) === 'inline' ? leafPaths(param.name, type, types) : [`${param.name}.length`];
    });
    return [...results, ...outs];
}

export function compileComponent(component: Component, types: UkTypeSystem, layouts: InterfaceLayouts, profile: AbiProfile): { compiled: CompiledComponent; problems: CodegenProblem[] } {
    const problems: CodegenProblem[] = [];
    const strings = new Map<string, { symbol: string; length: number }>();
    const enumPrinters = new Map<EnumDecl, string>();
    /** Client stubs by symbol: through a port, or through endpoint values of an interface (first used at `node`). */
    const stubs = new Map<string, { port: UsesPort | undefined; iface?: InterfaceDecl; node?: AstNode; method: Method; symbol: string }>();
    const functionQueue: FunctionDecl[] = [];
    const functionSymbols = new Map<FunctionDecl, string>();
    const ports = portsOf(component);
    let positionCounter = 0;
    let acceptsCaps = false;
    let sendsLeases = 0;
    /** Handlers' inline byte buffers: symbol and bytes. */
    const inlineBuffers = new Map<string, number>();
    /** Events some code emits, by the symbol of their emit stub. */
    const emits = new Map<string, EventDecl>();
    /** Methods whose deferred calls some code answers, and how. */
    const answered = new Map<Method, { replies: boolean; raises: boolean }>();

    const layoutOf = (iface: InterfaceDecl): InterfaceLayout => layouts.layoutOf(iface, profile).layout;
    const methodLayout = (iface: InterfaceDecl, method: Method): MethodLayout | undefined =>
        layoutOf(iface).methods.find(candidate => candidate.name === method.name);
    const stringSymbol = (text: string) => {
        let entry = strings.get(text);
        if (!entry) {
            entry = { symbol: `__ukc_string_${strings.size}`, length: new TextEncoder().encode(text).length };
            strings.set(text, entry);
        }
        return entry;
    };
    const context: LoweringContext = {
        types,
        position: node => position(node),
        stateSymbol: (variable: StateVar) => `state.${variable.name}`,
        functionSymbol: (fn: FunctionDecl) => {
            let symbol = functionSymbols.get(fn);
            if (!symbol) {
                const owner = fn.$container;
                symbol = isServerDecl(owner) || owner?.$type === 'ProgramDecl' ? `fn.${component.name}.${fn.name}` : `fn.${fn.name}`;
                functionSymbols.set(fn, symbol);
                functionQueue.push(fn);
            }
            return symbol;
        },
        portSlot: (port: AstNode) => FIRST_PORT_SLOT + ports.indexOf(port as (typeof ports)[number]),
        sharedWindow: (port: AstNode) => {
            const iface = isUsesPort(port) ? port.interface?.ref : undefined;
            return iface && layoutOf(iface).sharedRegionBytes > 0 ? CLIENT_SHARED_WINDOW + 0x10_0000 * ports.indexOf(port as (typeof ports)[number]) : undefined;
        },
        sharedRegionBytes: (method: Method) => layoutOf(method.$container).sharedRegionBytes,
        sendsLeases: (count: number) => { sendsLeases = Math.max(sendsLeases, count); },
        inlineSymbol: (param: AstNode) => {
            const handler = param.$container as Handler;
            const name = (param as { name?: string }).name ?? 'data';
            const symbol = `inline.${component.name}.${handler.method?.ref?.name ?? ''}.${name}`;
            const type = types.typeOfReferable(param as Referable);
            inlineBuffers.set(symbol, type.kind === 'bytes' ? bufferBytes(type.capacity) : 0);
            return symbol;
        },
        inlineWord: (method: Method, param: Param, message: 'request' | 'reply') => methodLayout(method.$container, method)?.[message]?.bulk.find(bulk => bulk.path === param.name)?.words?.first,
        deviceWindow: (port: AstNode) => deviceWindow(component, port as (typeof ports)[number]),
        replySlot: (variable: StateVar) => savedReplySlot(variable),
        errorOrder: (method: Method) => errorOrder(method, types),
        answerSymbol: (method: Method, answer: 'reply' | 'raise') => {
            const layout = methodLayout(method.$container, method);
            const answers = answered.get(method) ?? { replies: false, raises: false };
            answered.set(method, answers);
            if (answer === 'reply') {
                answers.replies = true;
                return answerSymbol(layout?.ordinal ?? 0);
            }
            answers.raises = true;
            return layout && errorWords(layout) ? answerErrorSymbol(layout.ordinal) : ANSWER_ERROR_SYMBOL;
        },
        emitSymbol: (event: EventDecl) => {
            const symbol = `emit.${event.$container.name}.${event.name}`;
            emits.set(symbol, event);
            return symbol;
        },
        stubSymbol: (port: UsesPort, method: Method) => {
            const symbol = `stub.${port.name}.${method.name}`;
            if (!stubs.has(symbol)) stubs.set(symbol, { port, method, symbol });
            return symbol;
        },
        dynamicStubSymbol: (method: Method, node: AstNode) => {
            const iface = method.$container;
            const symbol = `stub.${iface.name}.${method.name}.through`;
            if (!stubs.has(symbol)) stubs.set(symbol, { port: undefined, iface, node, method, symbol });
            return symbol;
        },
        enumPrinter: (decl: EnumDecl) => {
            let symbol = enumPrinters.get(decl);
            if (!symbol) {
                symbol = `__ukc_print_enum_${decl.name}`;
                enumPrinters.set(decl, symbol);
            }
            return symbol;
        },
        stringSymbol,
        badgeSymbol: '__ukc_badge',
        unsupported: (node: AstNode, what: string) => problems.push({ node, message: `The code generator does not support ${what} yet.` })
    };

    const text: string[] = [];
    const positions: { label: string; position: SourcePosition }[] = [];
    const functions: { symbol: string; locals: EmittedLocal[]; frameSize: number }[] = [];
    const emit = (lowering: BodyLowering) => {
        const emitted = emitFunction(lowering.builder.fn, () => positionCounter++, stringSymbol);
        text.push(...emitted.lines, '');
        positions.push(...emitted.positions);
        functions.push({ symbol: asmName(lowering.builder.fn.name), locals: emitted.locals, frameSize: emitted.frameSize });
    };
    const lowerBody = (name: string, kind: BodyKind, params: readonly AstNode[], node: AstNode & { body: Block }) => {
        const lowering = new BodyLowering(context, name, kind, params, position(node));
        lowering.lower(node.body);
        emit(lowering);
    };

    const lowerEventHandler = (symbol: string, handler: Handler) => lowerBody(symbol, { kind: 'oneway-handler' }, handler.params, handler as Handler & { body: Block });

    // Entry point.
    const init = component.members.find(isInitBlock);
    // The entry point comes last: whether the component accepts capabilities depends on its stubs too.
    let entry: (acceptsCaps: boolean) => string[] = () => [];
    if (isServerDecl(component)) {
        const iface = component.interface?.ref;
        const handlers = component.members.filter(isHandler);
        const dispatched: DispatchedMethod[] = [];
        const interrupts: { bit: number; slot: number; symbol: string }[] = [];
        const notificationHandlers: NotificationHandler[] = [];
        // The checker refuses more interrupt ports or lanes than the events word has (compile-limit-checks.ts).
        const lanes = notificationLanes(component);
        for (const handler of handlers) {
            const method = handler.method?.ref;
            if (handler.event === 'interrupt') {
                const port = handler.port?.ref;
                const bit = port ? interruptPorts(component).indexOf(port) : -1;
                if (!port || bit < 0) continue;
                const symbol = `interrupt.${component.name}.${port.name}`;
                lowerBody(symbol, { kind: 'oneway-handler' }, [], handler as Handler & { body: Block });
                interrupts.push({ bit, slot: FIRST_PORT_SLOT + ports.indexOf(port), symbol: asmName(symbol) });
                continue;
            }
            if (handler.event === 'notification') {
                const port = handler.port?.ref;
                if (!port) continue;
                // One handled port: its own notification is bound to the thread. More, or interrupts
                // beside it: they share the events notification, each in its lane (notificationLanes).
                const symbol = `notification.${component.name}.${port.name}`;
                lowerBody(symbol, { kind: 'oneway-handler' }, handler.params, handler as Handler & { body: Block });
                notificationHandlers.push({ slot: FIRST_PORT_SLOT + ports.indexOf(port), symbol: asmName(symbol), lane: lanes?.get(port) });
                continue;
            }
            if (!method || !iface) continue;
            const layout = methodLayout(iface, method);
            if (!layout) continue;
            const unsupported = unsupportedMethod(layout, method, types);
            if (unsupported) problems.push({ node: handler, message: `The code generator does not support ${unsupported} yet.` });
            const symbol = `handler.${component.name}.${method.name}`;
            const resultType = types.resultOf(method);
            const kind: BodyKind = method.oneway ? { kind: 'oneway-handler' } : { kind: 'handler', resultCount: resultType.kind === 'tuple' ? resultType.elements.length : resultType.kind === 'void' ? 0 : 1 };
            lowerBody(symbol, kind, handler.params, handler as Handler & { body: Block });
            dispatched.push({
                layout, handlerSymbol: asmName(symbol), paramOrder: paramOrder(method, types), resultOrder: resultOrder(method, types), errorOrder: errorOrder(method, types),
                sharedRegionBytes: layoutOf(iface).sharedRegionBytes,
                inline: method.params.flatMap((param, i) => {
                    if (param.transfer !== 'inline') return [];
                    const inRequest = layout.request.bulk.find(bulk => bulk.path === param.name)?.words;
                    const inReply = layout.reply?.bulk.find(bulk => bulk.path === param.name)?.words;
                    const count = inRequest?.count ?? inReply?.count ?? 0;
                    return [{ symbol: asmName(`inline.${component.name}.${method.name}.${handler.params[i]?.name ?? param.name}`), count, request: inRequest?.first, reply: inReply?.first }];
                })
            });
        }
        // Deferred replies: the saved-reply slots are emptied at start, and the routines come after the loop.
        // Events of its own `uses` ports: their queues signal a lane of the events notification (eventLane).
        const lane = eventLane(component);
        const subscribed = subscribedPorts(component, ports, types, layoutOf, lowerEventHandler);
        const eventPorts = lane !== undefined && subscribed.length > 0 ? { lane, ports: subscribed } : undefined;
        const replies = replyVariables(component).length;
        entry = acceptsCaps => {
            const lines = serverDispatch(dispatched, init ? asmName(`init.${component.name}`) : undefined, interrupts, notificationHandlers, acceptsCaps, eventPorts);
            if (replies === 0) return lines;
            const deferred: DeferredMethod[] = [...answered].flatMap(([method, answers]) => {
                const layout = methodLayout(method.$container, method);
                return layout ? [{ layout, resultOrder: resultOrder(method, types), errorOrder: errorOrder(method, types), ...answers }] : [];
            });
            // A restarted incarnation, and one that has used up its restarts, first lets go of the callers
            // the last one kept: they get ServerFailed.
            const release = releaseSavedReplies(SAVED_REPLY_FIRST_SLOT, replies);
            const failed = lines.indexOf(`${FAILED_SERVER_ENTRY}:`);
            return [lines[0], ...release, ...lines.slice(1, failed + 1), ...release, ...lines.slice(failed + 1), ...deferredReplyRoutines(deferred)];
        };
        acceptsCaps ||= dispatched.some(method => receivesCapabilities(method.layout.request));
    } else {
        const main = component.members.find(isMainBlock);
        // A program that handles events serves them once main has returned (docs/LANGUAGE.md, "Events").
        const subscribed = subscribedPorts(component, ports, types, layoutOf, lowerEventHandler);
        entry = acceptsCaps => [
            '_start:',
            ...(acceptsCaps ? receiveIndexSetup() : []),
            ...(init ? [`    call ${asmName(`init.${component.name}`)}`] : []),
            ...(main ? [`    call ${asmName(`main.${component.name}`)}`] : []),
            subscribed.length > 0 ? `    j ${EVENT_LOOP_ENTRY}` : '    j __ukc_exit',
            ...(subscribed.length > 0 ? clientEventLoop(subscribed) : [])
        ];
        if (main) lowerBody(`main.${component.name}`, { kind: 'main' }, [], main);
    }
    if (init) lowerBody(`init.${component.name}`, { kind: 'init' }, [], init);

    // Helper functions, as calls reach them (a helper may call another).
    const compiledFunctions = new Set<FunctionDecl>();
    while (functionQueue.length > 0) {
        const fn = functionQueue.shift() as FunctionDecl;
        if (compiledFunctions.has(fn)) continue;
        compiledFunctions.add(fn);
        lowerBody(functionSymbols.get(fn) as string, {
            kind: 'function', returns: fn.returnType !== undefined, resultType: fn.returnType ? types.typeOfTypeRef(fn.returnType) : undefined
        }, fn.params, fn);
    }

    // Client stubs.
    const stubLayouts = [...stubs.values()].flatMap(stub => {
        const iface = stub.port ? stub.port.interface?.ref : stub.iface;
        const layout = iface ? methodLayout(iface, stub.method) : undefined;
        return iface && layout ? [{ ...stub, iface, layout }] : [];
    });
    acceptsCaps ||= stubLayouts.some(stub => stub.layout.reply !== undefined && receivesCapabilities(stub.layout.reply));
    const stubLines: string[] = [];
    const stubList: { symbol: string; port: string; method: string }[] = [];
    for (const stub of stubLayouts) {
        const { layout, iface } = stub;
        const unsupported = unsupportedMethod(layout, stub.method, types);
        if (unsupported) {
            problems.push({ node: stub.port ?? stub.node ?? stub.method, message: `The code generator does not support ${unsupported} yet (method '${stub.method.name}').` });
            continue;
        }
        // Through a port the capability pointer is a constant; through an endpoint value it comes in a1.
        const cptr = stub.port ? FIRST_PORT_SLOT + ports.indexOf(stub.port) : 'a1';
        stubLines.push(...clientStub(asmName(stub.symbol), cptr, layout, paramOrder(stub.method, types), resultOrder(stub.method, types), acceptsCaps, errorOrder(stub.method, types)), '');
        stubList.push({ symbol: asmName(stub.symbol), port: stub.port?.name ?? `(${iface.name} value)`, method: stub.method.name });
    }
    for (const [symbol, event] of emits) {
        const layout = layoutOf(event.$container).events.find(candidate => candidate.name === event.name);
        if (layout) stubLines.push(...emitStub(asmName(symbol), layout, eventOrder(event, types)), '');
    }
    if (acceptsCaps) stubLines.push(...capabilityRuntime().text, '');

    const printerLines = [...enumPrinters].flatMap(([decl, symbol]) => enumPrinter(decl, symbol, types, stringSymbol));

    // State: one word per variable (values are kept normalised to their type), with its initial value.
    const data: string[] = ['.data', '__ukc_badge:', '    .word 0', '__ukc_signals:', '    .word 0', '__ukc_region:', '    .word 0',
        ...(acceptsCaps ? capabilityRuntime().data : [])];
    const state: { name: string; symbol: string; type: DebugType }[] = [];
    for (const variable of component.members.filter(isStateVar)) {
        const type = types.typeOfTypeRef(variable.type);
        const initial = variable.init ? types.constantAs(variable.init, type) : undefined;
        const debugType = debugTypeOf(type, types);
        if (debugType) state.push({ name: variable.name, symbol: asmName(`state.${variable.name}`), type: debugType });
        if (type.kind === 'bytes') {
            data.push(`${asmName(`state.${variable.name}`)}:`, ...bufferData(variable.init, type.capacity, types));
            continue;
        }
        if (livesInMemory(type) && leavesOf(type, '', types)) {
            data.push(`${asmName(`state.${variable.name}`)}:`);
            const words = initialWords(variable.init, type, types);
            // Large zeroed state (a big table) is one directive, not a line per word.
            if (words.every(word => word === 0)) data.push(`    .zero ${4 * words.length}`);
            else for (const word of words) data.push(`    .word ${word}`);
            continue;
        }
        if (type.kind === 'reply') {
            // 1 while it keeps a caller (in its saved-reply slot), 0 when empty.
            data.push(`${asmName(`state.${variable.name}`)}:`, '    .word 0');
            continue;
        }
        if (!scalarShape(type)) {
            problems.push({ node: variable, message: 'The code generator does not support state that is not a scalar yet.' });
        }
        // A capability starts as the port it names (the checker allows nothing else), or as slot 0: none.
        const port = isNameRef(variable.init) ? variable.init.target?.ref : undefined;
        const word = isUsesPort(port) || isNotificationPort(port) ? context.portSlot(port)
            : initial?.ok ? Number(BigInt.asIntN(32, initial.value)) : 0;
        data.push(`${asmName(`state.${variable.name}`)}:`, `    .word ${word}`);
    }
    for (const [symbol, bytes] of inlineBuffers) data.push(`${asmName(symbol)}:`, `    .zero ${Math.max(bytes, 4)}`);
    const rodata: string[] = ['.rodata'];
    for (const [value, entry] of strings) rodata.push(`${entry.symbol}:`, byteDirective(value));

    // Arguments and results beyond the registers (ir.ts): the overflow words, when some code uses them.
    const entryLines = entry(acceptsCaps);
    if ([...text, ...stubLines, ...entryLines].some(line => line.includes(OVERFLOW_SYMBOL))) data.push(`${OVERFLOW_SYMBOL}:`, `    .zero ${4 * OVERFLOW_WORDS}`);
    // Generated code first, then the functions compiled from source: the line table's first entry is the
    // first source statement, so an address before it (a stub, the runtime library) has no source line
    // and a tool looks for the statement that called it instead.
    const assembly = [
        `# ${component.name}: generated by ukc`,
        '.text',
        ...entryLines, '',
        ...stubLines,
        ...printerLines, '',
        RUNTIME_LIBRARY,
        // Only where compiled code calls them, so that other images stay as they were.
        ...(text.some(line => line.includes(STRING_EQUAL_SYMBOL) || line.includes(UTF8_VALID_SYMBOL)) ? [STRING_ROUTINES] : []),
        floatRoutines(text),
        ...text,
        ...rodata, '',
        ...data, ''
    ].join('\n');
    return { compiled: { name: component.name, assembly, positions, functions, state, stubs: stubList, acceptsCaps, sendsLeases }, problems };
}

/** A byte buffer's initial bytes, whole words of them: its constant initialiser's (`[v; n]` or `[a, b, ...]`), zeros elsewhere. */
function initialBytes(init: Expr | undefined, capacity: number, types: UkTypeSystem): number[] {
    const byte = (expr: Expr | undefined) => {
        const value = expr ? types.evaluate(expr) : undefined;
        return value?.ok ? Number(BigInt.asUintN(8, value.value)) : 0;
    };
    const given = !isArrayLiteral(init) ? [] : init.count ? Array.from({ length: capacity }, () => byte(init.elements[0])) : init.elements.map(byte);
    return Array.from({ length: bufferBytes(capacity) }, (_, i) => given[i] ?? 0);
}

/** A byte buffer in state, as data directives. */
function bufferData(init: Expr | undefined, capacity: number, types: UkTypeSystem): string[] {
    const bytes = initialBytes(init, capacity, types);
    return bytes.every(value => value === 0) ? [`    .zero ${bytes.length}`] : [`    .byte ${bytes.join(', ')}`];
}

/** The initial words of a struct or array in state: its constant initialiser's leaves, zeros elsewhere. */
function initialWords(init: Expr | undefined, type: UkType, types: UkTypeSystem): number[] {
    const count = type.kind === 'bytes' ? bufferBytes(type.capacity) / 4 : leavesOf(type, '', types)?.length ?? 0;
    if (!init) return Array.from({ length: count }, () => 0);
    if (type.kind === 'struct' && isStructLiteral(init)) {
        return type.decl.fields.flatMap(field => {
            const given = init.fields.find(candidate => candidate.field?.ref?.name === field.name);
            return initialWords(given?.value, types.typeOfTypeRef(field.type), types);
        });
    }
    if (type.kind === 'array' && isArrayLiteral(init)) {
        return Array.from({ length: type.length }, (_, i) => initialWords(init.count ? init.elements[0] : init.elements[i], type.element, types)).flat();
    }
    if (type.kind === 'string' && isStringLiteral(init)) {
        // Its length, then its UTF-8 bytes packed little-endian into whole words.
        const bytes = utf8Bytes(init.value ?? '');
        const words = Array.from({ length: count - 1 }, (_, i) => (bytes[4 * i] ?? 0) | ((bytes[4 * i + 1] ?? 0) << 8) | ((bytes[4 * i + 2] ?? 0) << 16) | ((bytes[4 * i + 3] ?? 0) << 24));
        return [bytes.length, ...words];
    }
    if (type.kind === 'vec' && isArrayLiteral(init)) {
        const length = init.count ? types.lengthOf(init.count) ?? 0 : init.elements.length;
        const element = leavesOf(type.element, '', types)?.length ?? 1;
        const items = Array.from({ length: type.capacity }, (_, i) => i < length ? initialWords(init.count ? init.elements[0] : init.elements[i], type.element, types) : Array.from({ length: element }, () => 0));
        return [length, ...items.flat()];
    }
    if (type.kind === 'bytes') {
        // Inside a struct or array: the bytes packed little-endian into whole words.
        const bytes = initialBytes(init, type.capacity, types);
        return Array.from({ length: bytes.length / 4 }, (_, i) => (bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24)) | 0);
    }
    if (isUnion(type)) return unionInitialWords(init, type, types) ?? Array.from({ length: count }, () => 0);
    const value = types.constantAs(init, type);
    if (value.ok && isWide(type)) return [Number(BigInt.asIntN(32, value.value)), Number(BigInt.asIntN(32, value.value >> 32n))];
    return count === 1 && value.ok ? [Number(BigInt.asIntN(32, value.value))] : Array.from({ length: count }, () => 0);
}

/** A union's or optional's constant initial value (`Shape.circle(5)`, `Shape.empty`, `none`, `5` as `some`) packed. */
function unionInitialWords(init: Expr, type: UkType, types: UkTypeSystem): number[] | undefined {
    const kind = scalarKind(type, types);
    if (kind?.kind !== 'union') return undefined;
    if (isNoneLiteral(init)) return packConstant(kind, 0, []);
    const member = isMemberExpr(init) ? init.member?.ref : isCallExpr(init) && isMemberExpr(init.callee) ? init.callee.member?.ref : undefined;
    if (isUnionVariant(member)) {
        const tag = member.$container.variants.indexOf(member);
        const payload = isCallExpr(init) ? init.args[0] : undefined;
        return packConstant(kind, tag, payload ? initialWords(payload, types.typeOfTypeRef(member.type), types) : []);
    }
    return type.kind === 'optional' ? packConstant(kind, 1, initialWords(init, type.inner, types)) : undefined;
}

/**
 * 1-based line and column of a node's start, and its file's name. The name, not the path, so that images
 * are the same bytes wherever the sources are checked out.
 */
export function position(node: AstNode): SourcePosition {
    const document: LangiumDocument = AstUtils.getDocument(node);
    const start = node.$cstNode?.range.start;
    const path = document.uri.path;
    return { file: path.slice(path.lastIndexOf('/') + 1), line: (start?.line ?? 0) + 1, column: (start?.character ?? 0) + 1 };
}
