/**
 * How a compiled component finds its kernel resources: fixed capability slots and addresses that the
 * code generator and the boot manifest it writes agree on (docs/ABI.md, "Compiled components").
 */
import type { AstNode } from 'langium';
import { isDevicePort, isInterruptPort, isNotificationPort, isUsesPort, type Port } from '../language/generated/ast.js';
import { DEFAULT_IPC_BUFFER_BASE } from '../../runtime/kernel/boot.js';
import { MAX_LABEL } from '../../runtime/kernel/abi.js';

/** A server's own endpoint (read right): it receives its requests here. */
export const OWN_ENDPOINT_SLOT = 1;
/** The component's own thread, so that a program can suspend itself when `main` returns. */
export const OWN_TCB_SLOT = 2;
/** The first port (`uses`, `notification`, `device`, `interrupt`); ports follow in declaration order. */
export const FIRST_PORT_SLOT = 3;
/** The main thread's IPC buffer (the manifest's default). */
export const IPC_BUFFER = DEFAULT_IPC_BUFFER_BASE;
/** The reply label for a request whose label names no method of the interface. */
export const UNKNOWN_METHOD_LABEL = MAX_LABEL;
/** Where code starts; read-only data and data follow, each on its own pages. */
export const TEXT_BASE = 0x1_0000;

/** A component's ports in declaration order: port i has capability slot FIRST_PORT_SLOT + i. */
export function portsOf(component: { readonly members: readonly AstNode[] }): Port[] {
    return component.members.filter((member): member is Port => isUsesPort(member) || isNotificationPort(member) || isDevicePort(member) || isInterruptPort(member));
}
