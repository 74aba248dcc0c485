/**
 * Facts about a component's ports that the checker and the code generator both need: their order (which
 * decides their capability slots), the interrupt ports and the notification lanes of a server's events
 * notification, and the device models the bundled machine has. The fixed slots and addresses themselves are
 * the contract's (runtime/contract/component-slots.ts, docs/ABI.md, "Compiled components").
 */
import type { AstNode } from 'langium';
import { isDevicePort, isHandler, isInterruptPort, isNotificationPort, isUsesPort, type Port, type UsesPort } from '../generated/ast.js';
import { EVENT_LANE_BITS, FIRST_INTERRUPT_SIGNAL_SLOT, FIRST_PORT_SLOT } from '../../../runtime/contract/index.js';

interface WithMembers { readonly members: readonly AstNode[] }

/** A component's ports in declaration order: port i has capability slot FIRST_PORT_SLOT + i. */
export function portsOf(component: WithMembers): Port[] {
    return component.members.filter((member): member is Port => isUsesPort(member) || isNotificationPort(member) || isDevicePort(member) || isInterruptPort(member));
}

/** How many ports a component has capability slots for. */
export const MAX_PORTS = FIRST_INTERRUPT_SIGNAL_SLOT - FIRST_PORT_SLOT;

/** A component's interrupt ports in declaration order: port i signals bit i of its events notification. */
export function interruptPorts(component: WithMembers): Port[] {
    return portsOf(component).filter(isInterruptPort);
}

/** How many interrupt ports a server can have: lane 0 of the events word, one bit each. */
export const MAX_INTERRUPT_PORTS = EVENT_LANE_BITS;

/** How many `on notification` handlers share the events word beside the interrupts: lanes 1, 2 and 3. */
export const MAX_NOTIFICATION_LANES = 32 / EVENT_LANE_BITS - 1;

/** The notification ports a component has `on notification` handlers for, in handler order. */
function handledNotificationPorts(component: WithMembers): Port[] {
    return component.members.filter(isHandler).flatMap(handler => {
        const port = handler.event === 'notification' ? handler.port?.ref : undefined;
        return port && isNotificationPort(port) ? [port] : [];
    });
}

/** A component's `uses` ports it has `on event` handlers for, in port order (docs/LANGUAGE.md, "Events"). */
export function eventPorts(component: WithMembers): UsesPort[] {
    const handled = new Set(component.members.filter(isHandler).flatMap(handler => handler.event === 'event' && handler.port?.ref ? [handler.port.ref] : []));
    return portsOf(component).filter((port): port is UsesPort => isUsesPort(port) && handled.has(port));
}

/**
 * A server's notification ports that have `on notification` handlers, when they share the events
 * notification (a thread can be bound to one notification only): that is when the server has more than
 * one event handler, or handles events of its `uses` ports. Lane k (1, 2, 3) is bits 8k..8k+7 of the word;
 * lane 0 holds the interrupts. Sources signal their bits shifted into the lane, and the handler gets them
 * shifted back. Undefined when the server binds a single handled port's own notification, or has no such
 * handler.
 */
export function notificationLanes(component: WithMembers): Map<Port, number> | undefined {
    const handled = handledNotificationPorts(component);
    const alone = interruptPorts(component).length === 0 && eventPorts(component).length === 0;
    if (handled.length === 0 || (handled.length === 1 && alone)) return undefined;
    return new Map(handled.map((port, i) => [port, i + 1]));
}

/** How many `uses` ports a server handles events of: one bit each in its events lane. */
export const MAX_EVENT_PORTS = EVENT_LANE_BITS;

/**
 * The lane of a server's events notification that the queues of its event ports signal (port k of
 * eventPorts: bit k of the lane), the one after its notification lanes; undefined when it handles no
 * events. A program waits on a notification of its own instead (CLIENT_EVENTS_SLOT), so this is a
 * server's fact only.
 */
export function eventLane(server: WithMembers): number | undefined {
    return eventPorts(server).length > 0 ? handledNotificationPorts(server).length + 1 : undefined;
}

/** The bundled machine's device model for a device type, by its name (docs/LANGUAGE.md, "Systems"). */
export function deviceModel(typeName: string): 'uart' | 'timer' | 'block' | undefined {
    const name = typeName.toLowerCase();
    if (name.includes('16550') || name.includes('uart')) return 'uart';
    if (name.includes('timer')) return 'timer';
    if (name.includes('block') || name.includes('disk')) return 'block';
    return undefined;
}

/** The instance name of the supervisor that a system's `supervise` generates: no instance may take it. */
export const SUPERVISOR_NAME = 'supervisor';
