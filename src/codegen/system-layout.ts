/**
 * Where a component's device ports are mapped. The ports' order, interrupt ports and notification lanes
 * are the language model's (src/language/model/component-ports.ts), which the checker asks too; the fixed
 * slots and addresses are the contract's (runtime/contract/component-slots.ts, docs/ABI.md).
 */
import type { AstNode } from 'langium';
import { portsOf, type Port } from '../language/index.js';
import { DEVICE_WINDOW } from '../../runtime/contract/index.js';

/** The address a device port's register page is mapped at in its component. */
export function deviceWindow(component: { readonly members: readonly AstNode[] }, port: Port): number {
    return DEVICE_WINDOW + 0x1000 * portsOf(component).indexOf(port);
}
