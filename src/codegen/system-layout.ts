/**
 * Where a component's ports are: their order (which decides their capability slots, FIRST_PORT_SLOT on),
 * their device windows and notification lanes. The fixed slots and addresses themselves are the
 * contract's (runtime/contract/component-slots.ts, docs/ABI.md, "Compiled components").
 */
import type { AstNode } from 'langium';
import { isDevicePort, isHandler, isInterruptPort, isNotificationPort, isUsesPort, type Port } from '../language/index.js';
import { DEVICE_WINDOW } from '../../runtime/contract/index.js';

/** A component's ports in declaration order: port i has capability slot FIRST_PORT_SLOT + i. */
export function portsOf(component: { readonly members: readonly AstNode[] }): Port[] {
    return component.members.filter((member): member is Port => isUsesPort(member) || isNotificationPort(member) || isDevicePort(member) || isInterruptPort(member));
}

/** The address a device port's register page is mapped at in its component. */
export function deviceWindow(component: { readonly members: readonly AstNode[] }, port: Port): number {
    return DEVICE_WINDOW + 0x1000 * portsOf(component).indexOf(port);
}

/** The bundled machine's device model for a device type, by its name (docs/LANGUAGE.md, "Systems"). */
export function deviceModel(typeName: string): 'uart' | 'timer' | 'block' | undefined {
    const name = typeName.toLowerCase();
    if (name.includes('16550') || name.includes('uart')) return 'uart';
    if (name.includes('timer')) return 'timer';
    if (name.includes('block') || name.includes('disk')) return 'block';
    return undefined;
}

/** A component's interrupt ports in declaration order: port i signals bit i of its events notification. */
export function interruptPorts(component: { readonly members: readonly AstNode[] }): Port[] {
    return portsOf(component).filter(isInterruptPort);
}

/**
 * A server's notification ports that have `on notification` handlers, when they share the events
 * notification (a thread can be bound to one notification only): that is when the server has more than
 * one event handler. Lane k (1, 2, 3) is bits 8k..8k+7 of the word; lane 0 holds the interrupts. Sources
 * signal their bits shifted into the lane, and the handler gets them shifted back. Undefined when the
 * server binds a single handled port's own notification, or has no such handler.
 */
export function notificationLanes(component: { readonly members: readonly AstNode[] }): Map<Port, number> | undefined {
    const handled = component.members.filter(isHandler).flatMap(handler => {
        const port = handler.event === 'notification' ? handler.port?.ref : undefined;
        return port && isNotificationPort(port) ? [port] : [];
    });
    if (handled.length === 0 || (handled.length === 1 && interruptPorts(component).length === 0)) return undefined;
    return new Map(handled.map((port, i) => [port, i + 1]));
}
