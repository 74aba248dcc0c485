/**
 * What the code generator cannot compile, reported by the checker so that everything `ukc check` accepts
 * compiles (docs/LANGUAGE.md, "What compiles"). The limits themselves are stated once, where the code
 * generator reads them too: message limits in src/layout/message-limits.ts, port slots and notification
 * lanes in model/component-ports.ts. Each is reported at its cause: the method whose message cannot be
 * carried, the enum whose base is too wide, the port or handler past the last slot or lane.
 */
import { AstUtils, DocumentState, WorkspaceCache, type AstNode, type LangiumDocument, type LangiumDocuments, type LangiumSharedCoreServices, type ValidationAcceptor } from 'langium';
import { unsupportedMessage } from '../../layout/index.js';
import { EVENT_LANE_BITS } from '../../../runtime/contract/index.js';
import type { InterfaceLayouts } from '../model/interface-layouts.js';
import { isCounted } from '../model/counted-values.js';
import { paramTransfer } from '../model/interface-spec.js';
import {
    MAX_EVENT_PORTS, MAX_INTERRUPT_PORTS, MAX_NOTIFICATION_LANES, MAX_PORTS, SUPERVISOR_NAME, deviceModel, eventLane, eventPorts, interruptPorts, notificationLanes, portsOf
} from '../model/component-ports.js';
import {
    isBitfieldDecl, isBuiltinCall, isEnumDecl, isEnumMember, isHandler, isInstance, isMemberExpr, isModule, isNameRef, isNamedTypeRef, isProgramDecl,
    isServerDecl, isUsesPort, type BitfieldDecl, type CallExpr, type Connection, type DeviceInstance, type EnumDecl, type InterfaceDecl, type Method, type ProgramDecl, type ServerDecl,
    type SystemDecl, type CastExpr, type PrintStmt
} from '../generated/ast.js';
import { enumBase, typeToString, type UkType } from '../type-system/types.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { forEachNode } from '../utils/ast-walk.js';
import { lineOf } from './check-support.js';
import { parseFormat } from './statement-checks.js';
import { IssueCodes } from './issue-codes.js';

type Component = ServerDecl | ProgramDecl;

export class CompileLimitChecks {
    private readonly wideBases: WideBaseDeclarations;
    /** unsupportedMethod's answers: a server and each client of an interface ask for the same methods. */
    private readonly unsupportedMethods: WorkspaceCache<Method, string | undefined>;

    constructor(private readonly types: UkTypeSystem, private readonly layouts: InterfaceLayouts, shared: LangiumSharedCoreServices) {
        this.wideBases = new WideBaseDeclarations(shared);
        this.unsupportedMethods = new WorkspaceCache(shared, DocumentState.IndexedContent);
    }

    /**
     * f64 conversions to and from integers, and conversions between f32 and 64-bit integers: the soft-float
     * library has f32's and f64's arithmetic, comparisons and negation, f64's conversions to and from f32,
     * and f32's to and from 32-bit integers (src/codegen/rv32/float-routines.ts). Constant conversions are
     * folded at compile time.
     */
    checkF64Conversion(node: CastExpr, accept: ValidationAcceptor): void {
        if (this.types.evaluate(node).ok) return;
        const f64 = (type: UkType) => type.kind === 'float' && type.bits === 64;
        const source = this.types.typeOf(node.value);
        const target = this.types.typeOfTypeRef(node.type);
        const wideInteger = (type: UkType) => type.kind === 'int' && type.bits === 64;
        const float = (type: UkType) => type.kind === 'float';
        if ((f64(source) || f64(target)) && !(float(source) && float(target))) {
            accept('error', `ukc converts f64 to and from f32 but not yet integers (here ${typeToString(source)} to ${typeToString(target)}), except constants; convert through f32.`,
                { node, property: 'type', code: IssueCodes.UnsupportedFloat });
        } else if ((float(source) && wideInteger(target)) || (wideInteger(source) && float(target))) {
            accept('error', `ukc converts f32 to and from integers of up to 32 bits, not yet ${typeToString(source)} to ${typeToString(target)}, except constants; convert through i32 or u32.`,
                { node, property: 'type', code: IssueCodes.UnsupportedFloat });
        }
    }

    /** `print` of an f64 (a float constant without a type is one): f64's print routine is not there yet. */
    checkF64Print(print: PrintStmt, accept: ValidationAcceptor): void {
        const parsed = parseFormat(print.format ?? '');
        for (const [i, arg] of print.args.entries()) {
            const type = this.types.typeOf(arg);
            const decimal = !parsed.ok || parsed.specs[i] === '';
            if (decimal && ((type.kind === 'float' && type.bits === 64) || type.kind === 'untyped-float')) {
                accept('error', `ukc prints f32 but not yet f64 values${type.kind === 'untyped-float' ? ' (a float constant is one)' : ''}; print it 'as f32', or with {:x} for its bits.`,
                    { node: arg, code: IssueCodes.UnsupportedFloat });
            }
        }
    }

    checkComponent(component: Component, accept: ValidationAcceptor): void {
        this.checkMessages(component, accept);
        // Looking for a wide base means typing every name in the component; almost no workspace has one.
        if (this.wideBases.anyFor(AstUtils.getDocument(component))) this.checkWideBases(component, accept);
        if (isServerDecl(component)) this.checkEvents(component, accept);
    }

    /**
     * The messages of the interfaces a component serves or calls through a port: an interface only
     * described for `ukc layout` may do more. Reported at the method when it is in the component's file
     * (once, by the first component there that uses the interface), otherwise at the `implements` or the
     * port, naming the method.
     */
    private checkMessages(component: Component, accept: ValidationAcceptor): void {
        const uses: { iface: InterfaceDecl; node: AstNode; property: string }[] = component.members.filter(isUsesPort)
            .flatMap(port => (port.interface?.ref ? [{ iface: port.interface.ref, node: port as AstNode, property: 'interface' }] : []));
        const served = isServerDecl(component) ? component.interface?.ref : undefined;
        if (served) uses.unshift({ iface: served, node: component, property: 'interface' });
        const document = AstUtils.getDocument(component);
        for (const { iface, node, property } of uses) {
            for (const method of iface.methods) {
                const problem = this.unsupportedMethods.get(method, () => this.unsupportedMethod(iface, method));
                if (!problem) continue;
                if (AstUtils.getDocument(iface) !== document) {
                    accept('error', `The code generator does not support ${problem} yet (method ${iface.name}.${method.name}).`, { node, property, code: IssueCodes.UnsupportedMessage });
                } else if (firstUser(iface, document.parseResult.value) === component) {
                    accept('error', `The code generator does not support ${problem} yet.`, { node: method, property: 'name', code: IssueCodes.UnsupportedMessage });
                }
            }
        }
    }

    /** What compiled code cannot carry in one method's messages, or the wide enum a value of it has. */
    private unsupportedMethod(iface: InterfaceDecl, method: Method): string | undefined {
        const layout = this.layouts.layoutOf(iface).layout.methods.find(candidate => candidate.name === method.name);
        const limit = layout ? unsupportedMessage(layout.request) ?? (layout.reply ? unsupportedMessage(layout.reply) : undefined) : undefined;
        if (limit) return limit;
        if (!this.wideBases.anyFor(AstUtils.getDocument(iface))) return undefined;
        const wide = [...method.params.map(param => param.type), ...method.results.map(result => result.type), method.resultType]
            .map(ref => wideBaseIn(this.types.typeOfTypeRef(ref), this.types))
            .find(decl => decl !== undefined);
        return wide ? wideBaseProblem(wide) : undefined;
    }

    /**
     * Enums and bitfields with a 64-bit base, which compiled code does not handle yet (the layout engine
     * does), wherever a component names them: in a type or as an enum member. Reported at the declaration's
     * base when it is in the component's file (by the first component there that names it), otherwise at the
     * first place the component names it.
     */
    private checkWideBases(component: Component, accept: ValidationAcceptor): void {
        const document = AstUtils.getDocument(component);
        for (const [decl, use] of this.wideBasesNamedBy(component)) {
            if (AstUtils.getDocument(decl) !== document) {
                const file = AstUtils.getDocument(decl).uri.path.split('/').pop();
                accept('error', `The code generator does not support ${wideBaseProblem(decl)} yet (declared at line ${lineOf(decl)} of ${file}).`,
                    { node: use, code: IssueCodes.UnsupportedBase });
            } else if (AstUtils.streamContents(document.parseResult.value)
                .find(node => (isServerDecl(node) || isProgramDecl(node)) && this.wideBasesNamedBy(node).has(decl)) === component) {
                accept('error', `The code generator does not support ${wideBaseProblem(decl)} yet.`, { node: decl, property: 'base', code: IssueCodes.UnsupportedBase });
            }
        }
    }

    /** Each wide-based enum or bitfield a component names, with the first node that names it. */
    private wideBasesNamedBy(component: Component): Map<EnumDecl | BitfieldDecl, AstNode> {
        const found = new Map<EnumDecl | BitfieldDecl, AstNode>();
        forEachNode(component, node => {
            if (node === component) return;
            let decl: EnumDecl | BitfieldDecl | undefined;
            if (isNamedTypeRef(node)) decl = wideBaseIn(this.types.typeOfTypeRef(node), this.types);
            else if ((isMemberExpr(node) || isNameRef(node)) && isEnumMember(referenced(node))) decl = wideBaseIn(this.types.typeOf(node), this.types);
            if (decl && !found.has(decl)) found.set(decl, node);
        });
        return found;
    }

    /**
     * A server's events word: eight interrupt bits, three lanes for notification handlers and the event
     * queues of its `uses` ports (one lane for all of them, a bit each), and no `wait` on a lane.
     */
    private checkEvents(server: ServerDecl, accept: ValidationAcceptor): void {
        const interrupts = interruptPorts(server);
        for (const port of interrupts.slice(MAX_INTERRUPT_PORTS)) {
            accept('error', `A server can have at most ${MAX_INTERRUPT_PORTS} interrupt ports (one bit each in its events notification).`,
                { node: port, property: 'name', code: IssueCodes.TooManyEvents });
        }
        for (const port of eventPorts(server).slice(MAX_EVENT_PORTS)) {
            accept('error', `A server can handle events of at most ${MAX_EVENT_PORTS} ports (one bit each in the lane of its events notification that its event queues share).`,
                { node: port, property: 'name', code: IssueCodes.TooManyEvents });
        }
        const lanes = notificationLanes(server);
        if (!lanes) return;
        // The event queues take the lane after the notification handlers' (eventLane).
        const room = eventLane(server) === undefined ? MAX_NOTIFICATION_LANES : MAX_NOTIFICATION_LANES - 1;
        const handlers = server.members.filter(isHandler).filter(handler => handler.event === 'notification' && handler.port?.ref && lanes.has(handler.port.ref));
        for (const handler of handlers.slice(room)) {
            accept('error', room === MAX_NOTIFICATION_LANES
                ? `A server has room for ${MAX_NOTIFICATION_LANES} notification handlers beside its interrupts (the events word has four ${EVENT_LANE_BITS}-bit lanes).`
                : `A server that handles events has room for ${room} notification handlers beside its interrupts (the events word has four ${EVENT_LANE_BITS}-bit lanes, one of them its event queues').`,
                { node: handler, property: 'port', code: IssueCodes.TooManyEvents });
        }
        for (const node of AstUtils.streamAllContents(server)) {
            if (!isBuiltinCall(node) || (node.name !== 'wait' && node.name !== 'poll')) continue;
            const argument = node.args[0];
            const target = isNameRef(argument) ? argument.target?.ref : undefined;
            if (target && lanes.has(target as never)) {
                accept('error', `'${node.name}' on '${target.name}' is not supported: its signals go to its 'on notification' handler, which shares the server's events notification with other handlers.`,
                    { node, code: IssueCodes.UnsupportedWait });
            }
        }
    }

    /**
     * A call through an `endpoint<I>` value rather than a port: byte buffers that travel through a shared
     * region (`shared` arguments, byte-buffer results) need a port's region, and a value has none.
     */
    checkCall(call: CallExpr, accept: ValidationAcceptor): void {
        const method = this.types.calledMethod(call);
        const receiver = isMemberExpr(call.callee) ? call.callee.receiver : undefined;
        if (!method || !receiver || (isNameRef(receiver) && isUsesPort(receiver.target?.ref))) return;
        const result = this.types.resultOf(method);
        const results = result.kind === 'tuple' ? result.elements : [result];
        const shared = method.params.find(param => (param.transfer === 'shared' && this.types.typeOfTypeRef(param.type).kind === 'bytes')
            || (isCounted(this.types.typeOfTypeRef(param.type)) && paramTransfer(param, this.types) === 'shared'));
        const what = shared ? `shared buffers ('${shared.name}' of ${method.name})` : results.some(element => element.kind === 'bytes') ? `byte-buffer results (${method.name})` : undefined;
        if (what) {
            accept('error', `The code generator does not support ${what} through an endpoint value yet: they travel in a port's shared region; call through a 'uses' port.`,
                { node: call, code: IssueCodes.UnsupportedMessage });
        }
    }

    /** What a system asks of the bundled machine and the generated supervisor. */
    checkSystem(system: SystemDecl, accept: ValidationAcceptor): void {
        const instances = system.items.filter(isInstance);
        const clash = instances.find(instance => instance.name === SUPERVISOR_NAME);
        if (clash && system.items.some(item => item.$type === 'Supervision')) {
            accept('error', `The instance name '${SUPERVISOR_NAME}' is taken by the supervisor that 'supervise' generates; rename the instance.`,
                { node: clash, property: 'name', code: IssueCodes.ReservedName });
        }
    }

    /** Ports past the last capability slot, reported at the first one that has none. */
    checkPorts(component: Component, accept: ValidationAcceptor): void {
        for (const port of portsOf(component).slice(MAX_PORTS)) {
            accept('error', `A component has capability slots for ${MAX_PORTS} ports; '${port.name}' is port ${portsOf(component).indexOf(port) + 1}.`,
                { node: port, property: 'name', code: IssueCodes.TooManyPorts });
        }
    }

    checkDeviceInstance(device: DeviceInstance, accept: ValidationAcceptor): void {
        const type = device.device?.ref;
        if (type && !deviceModel(type.name)) {
            accept('error', `The bundled machine has no model for device type '${type.name}' (it has a UART — a type named like Ns16550 or Uart —, a timer and a block device).`,
                { node: device, property: 'device', code: IssueCodes.UnknownDevice });
        }
    }

    /** A badge into a port that shares its server's events notification has the lane's 8 bits. */
    checkConnection(connection: Connection, accept: ValidationAcceptor): void {
        const target = connection.target?.ref;
        const port = connection.targetPort?.ref;
        const component = isInstance(target) ? target.component?.ref : undefined;
        if (!connection.badge || !port || !component || notificationLanes(component)?.get(port) === undefined) return;
        const badge = this.types.evaluate(connection.badge);
        if (badge.ok && badge.value >= 1n << BigInt(EVENT_LANE_BITS)) {
            accept('error', `Badge ${badge.value} does not fit: ${target?.name}.${port.name} shares its server's events notification with other handlers, so its badges have ${EVENT_LANE_BITS} bits.`,
                { node: connection, property: 'badge', code: IssueCodes.InvalidProperty });
        }
    }
}

function referenced(node: AstNode): AstNode | undefined {
    if (isMemberExpr(node)) return node.member?.ref;
    if (isNameRef(node)) return node.target?.ref;
    return undefined;
}

/** An enum or bitfield with a 64-bit base in a type, through struct fields, array elements and tuples. */
function wideBaseIn(type: UkType, types: UkTypeSystem, seen = new Set<AstNode>()): EnumDecl | BitfieldDecl | undefined {
    switch (type.kind) {
        case 'enum':
        case 'bitfield':
            return baseWiderThanRegister(type.decl) ? type.decl : undefined;
        case 'struct':
            if (seen.has(type.decl)) return undefined;
            seen.add(type.decl);
            for (const field of type.decl.fields) {
                const found = wideBaseIn(types.typeOfTypeRef(field.type), types, seen);
                if (found) return found;
            }
            return undefined;
        case 'array':
            return wideBaseIn(type.element, types, seen);
        case 'tuple':
            return type.elements.map(element => wideBaseIn(element, types, seen)).find(found => found !== undefined);
        default:
            return undefined;
    }
}

/** Values wider than a register: an enum's base of 33..64 bits, a bitfield's of 64. */
function baseWiderThanRegister(decl: EnumDecl | BitfieldDecl): boolean {
    const base = enumBase(decl.base);
    return base?.kind === 'int' && base.bits > 32;
}

/**
 * Whether an enum or bitfield wider than a register is declared where a component of a document could name it
 * from: that document, or any document of the workspace (every file a reference reaches is one of them).
 * Asked once per document and build: a new build may bring documents the last one did not have.
 */
class WideBaseDeclarations {
    private readonly documents: LangiumDocuments;
    private readonly inDocument: WorkspaceCache<LangiumDocument, boolean>;
    private readonly inWorkspace: WorkspaceCache<'workspace', boolean>;

    constructor(shared: LangiumSharedCoreServices) {
        this.documents = shared.workspace.LangiumDocuments;
        this.inDocument = new WorkspaceCache(shared, DocumentState.IndexedContent);
        this.inWorkspace = new WorkspaceCache(shared, DocumentState.IndexedContent);
    }

    anyFor(document: LangiumDocument): boolean {
        return this.declaredIn(document) || this.inWorkspace.get('workspace', () => this.documents.all.some(other => this.declaredIn(other)));
    }

    private declaredIn(document: LangiumDocument): boolean {
        return this.inDocument.get(document, () => {
            const root = document.parseResult.value;
            return isModule(root) && root.declarations.some(decl => (isEnumDecl(decl) || isBitfieldDecl(decl)) && baseWiderThanRegister(decl));
        });
    }
}

function wideBaseProblem(decl: EnumDecl | BitfieldDecl): string {
    const bits = (enumBase(decl.base) as { bits: number }).bits;
    return `${decl.$type === 'EnumDecl' ? 'enums' : 'bitfields'} with a ${bits}-bit base ('${decl.name} : ${decl.base}')`;
}

/** The first server or program of a file that implements `iface` or calls it through a port. */
function firstUser(iface: InterfaceDecl, root: AstNode): AstNode | undefined {
    return AstUtils.streamContents(root).find(node => (isServerDecl(node) && node.interface?.ref === iface)
        || ((isServerDecl(node) || isProgramDecl(node)) && node.members.some(member => isUsesPort(member) && member.interface?.ref === iface)));
}
