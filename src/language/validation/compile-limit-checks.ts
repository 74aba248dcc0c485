/**
 * What the code generator cannot compile, reported by the checker so that everything `ukc check` accepts
 * compiles (docs/LANGUAGE.md, "What compiles"). The limits themselves are stated once, where the code
 * generator reads them too: message limits in src/layout/message-limits.ts, port slots and notification
 * lanes in model/component-ports.ts. Each is reported at its cause: the method whose message cannot be
 * carried, the port or handler past the last slot or lane.
 */
import { AstUtils, DocumentState, WorkspaceCache, type AstNode, type LangiumSharedCoreServices, type ValidationAcceptor } from 'langium';
import { unsupportedMessage } from '../../layout/index.js';
import { EVENT_LANE_BITS } from '../../../runtime/contract/index.js';
import type { InterfaceLayouts } from '../model/interface-layouts.js';
import { isCounted } from '../model/counted-values.js';
import { paramTransfer } from '../model/interface-spec.js';
import {
    MAX_EVENT_PORTS, MAX_INTERRUPT_PORTS, MAX_NOTIFICATION_LANES, MAX_PORTS, SUPERVISOR_NAME, deviceModel, eventLane, eventPorts, interruptPorts, notificationLanes, portsOf
} from '../model/component-ports.js';
import {
    isBuiltinCall, isHandler, isInstance, isMemberExpr, isNameRef, isProgramDecl, isServerDecl, isUsesPort,
    type CallExpr, type Connection, type DeviceInstance, type InterfaceDecl, type Method, type ProgramDecl, type ServerDecl, type SystemDecl
} from '../generated/ast.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { IssueCodes } from './issue-codes.js';

type Component = ServerDecl | ProgramDecl;

export class CompileLimitChecks {
    /** unsupportedMethod's answers: a server and each client of an interface ask for the same methods. */
    private readonly unsupportedMethods: WorkspaceCache<Method, string | undefined>;

    constructor(private readonly types: UkTypeSystem, private readonly layouts: InterfaceLayouts, shared: LangiumSharedCoreServices) {
        this.unsupportedMethods = new WorkspaceCache(shared, DocumentState.IndexedContent);
    }

    checkComponent(component: Component, accept: ValidationAcceptor): void {
        this.checkMessages(component, accept);
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

    /**
     * What compiled code cannot carry in one method's messages: the message limits, and an array sent as
     * bulk data (with a transfer mode), which the layout lays out but the stubs and handlers do not move.
     */
    private unsupportedMethod(iface: InterfaceDecl, method: Method): string | undefined {
        const layout = this.layouts.layoutOf(iface).layout.methods.find(candidate => candidate.name === method.name);
        const limit = layout ? unsupportedMessage(layout.request) ?? (layout.reply ? unsupportedMessage(layout.reply) : undefined) : undefined;
        if (limit) return limit;
        const bulkArray = method.params.find(param => param.transfer && this.types.typeOfTypeRef(param.type).kind === 'array');
        return bulkArray
            ? `arrays sent as bulk data ('${bulkArray.name}: ${bulkArray.transfer}'; without a transfer mode an array travels in the message words)`
            : undefined;
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

/** The first server or program of a file that implements `iface` or calls it through a port. */
function firstUser(iface: InterfaceDecl, root: AstNode): AstNode | undefined {
    return AstUtils.streamContents(root).find(node => (isServerDecl(node) && node.interface?.ref === iface)
        || ((isServerDecl(node) || isProgramDecl(node)) && node.members.some(member => isUsesPort(member) && member.interface?.ref === iface)));
}
