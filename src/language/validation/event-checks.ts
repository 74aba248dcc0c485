/**
 * Events (docs/LANGUAGE.md, "Events"): `event e(...)` in an interface, `emit e(...)` in a server that
 * implements it, `on event port.e(...)` in a client. What the payload may hold (values that flatten into
 * message words, no more than an event record holds), that an emit passes the event's values, and that a
 * client handles each event of a port once with as many parameters as it has. Which events exist where is
 * the scope's business: an unknown one is a linking error (uk-linker.ts).
 */
import type { ValidationAcceptor } from 'langium';
import { isHandler, isUsesPort, type Connection, type EmitStmt, type EventDecl, type Handler, type ProgramDecl, type ServerDecl } from '../generated/ast.js';
import { typeToString, type UkType } from '../type-system/types.js';
import type { InterfaceLayouts } from '../model/interface-layouts.js';
import { scalarKind } from '../model/interface-spec.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { EVENT_RECORD_WORDS } from '../../../runtime/contract/index.js';
import { lineOf, plural, type CheckSupport } from './check-support.js';
import { reportDuplicates } from './declaration-checks.js';
import { IssueCodes } from './issue-codes.js';

/**
 * Why a value of this type cannot travel in an event record, or undefined when it can: everything a
 * request carries inline in message words (scalars, floats, unions and optionals, strings and vecs as
 * their length and items, structs and arrays as their leaves, a byte buffer inside one of them as the
 * words of its bytes). Not capabilities (an event record carries none), nor a byte buffer on its own,
 * which a request sends as bulk data in the shared region or a lease.
 */
function notEventData(type: UkType, nested: boolean, types: UkTypeSystem): string | undefined {
    switch (type.kind) {
        case 'int': case 'bool': case 'float': case 'enum': case 'bitfield': case 'error': return undefined;
        // A variant holding something that is not word data is reported where the union is declared.
        case 'union': case 'optional': return scalarKind(type, types) ? undefined : typeToString(type);
        case 'string': return undefined;
        case 'bytes': return nested ? undefined : typeToString(type);
        case 'array': case 'vec': return notEventData(type.element, true, types);
        case 'struct':
            for (const field of type.decl.fields) {
                const inner = notEventData(types.typeOfTypeRef(field.type), true, types);
                if (inner) return inner;
            }
            return undefined;
        default: return typeToString(type);
    }
}

export class EventChecks {
    constructor(private readonly support: CheckSupport, private readonly layouts: InterfaceLayouts) {}

    checkEvent(event: EventDecl, accept: ValidationAcceptor): void {
        reportDuplicates(event.params, 'parameter', accept);
        for (const param of event.params) {
            const type = this.support.types.typeOfTypeRef(param.type);
            const refused = notEventData(type, false, this.support.types);
            if (refused) {
                const holds = refused === typeToString(type) ? '' : `, which holds ${refused}`;
                accept('error', `Event parameter '${param.name}' is ${typeToString(type)}${holds}, but an event carries only values that travel in message words: no capabilities, and byte buffers only inside a struct, array or vec.`,
                    { node: param, property: 'type', code: IssueCodes.InvalidFieldType });
            }
        }
        const iface = event.$container;
        const layout = this.layouts.layoutOf(iface).layout.events.find(candidate => candidate.name === event.name);
        if (layout && layout.payload.words > EVENT_RECORD_WORDS) {
            accept('error', `Event '${event.name}' needs ${plural(layout.payload.words, 'message word')}, but an event record holds at most ${EVENT_RECORD_WORDS}.`,
                { node: event, property: 'name', code: IssueCodes.MessageTooLong });
        }
    }

    /**
     * A client's event queue is found by its connection's badge (docs/ABI.md, "Events"), so a connection
     * whose events the client handles has a badge of its own (two with one badge are duplicate-badge).
     */
    checkConnection(connection: Connection, accept: ValidationAcceptor): void {
        const port = connection.source?.port?.ref;
        const component = connection.source?.instance?.ref?.component?.ref;
        if (connection.badge || !isUsesPort(port) || !component) return;
        const handles = component.members.some(member => isHandler(member) && member.event === 'event' && member.port?.ref === port);
        if (handles) {
            accept('error', `${component.name} handles events of '${port.name}', so this connection needs a badge: its event queue is known by it.`,
                { node: connection, code: IssueCodes.InvalidConnection });
        }
    }

    checkEmit(emit: EmitStmt, accept: ValidationAcceptor): void {
        const event = emit.event?.ref;
        if (!event) return;
        if (emit.args.length !== event.params.length) {
            accept('error', `Event '${event.name}' carries ${plural(event.params.length, 'value')}, but ${emit.args.length} ${emit.args.length === 1 ? 'was' : 'were'} given.`,
                { node: emit, property: 'event', code: IssueCodes.WrongArity });
            return;
        }
        event.params.forEach((param, i) => {
            this.support.expectAssignable(emit.args[i], this.support.types.typeOfTypeRef(param.type), `Value '${param.name}' of event '${event.name}'`, accept);
        });
    }

    checkEventHandler(handler: Handler, accept: ValidationAcceptor): void {
        const event = handler.eventDecl?.ref;
        if (handler.event !== 'event' || !event) return;
        if (handler.params.length !== event.params.length) {
            accept('error', `The handler for '${handler.port?.$refText}.${event.name}' names ${plural(handler.params.length, 'parameter')}, but ${event.$container.name}.${event.name} has ${event.params.length}.`,
                { node: handler, property: 'eventDecl', code: IssueCodes.HandlerArity });
        }
    }

    /** Each event of each port is handled once, in a program or a server alike. */
    checkEventHandlers(component: ServerDecl | ProgramDecl, accept: ValidationAcceptor): void {
        const seen = new Map<string, Handler>();
        for (const handler of component.members.filter(isHandler)) {
            const event = handler.eventDecl?.ref;
            if (handler.event !== 'event' || !event) continue;
            const key = `${handler.port?.$refText}.${event.name}`;
            const earlier = seen.get(key);
            if (earlier) {
                accept('error', `'${key}' is already handled on line ${lineOf(earlier)}.`, { node: handler, property: 'eventDecl', code: IssueCodes.DuplicateHandler });
            } else {
                seen.set(key, handler);
            }
        }
    }
}
