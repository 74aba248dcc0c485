/**
 * Checks on systems: instance and device properties, connections (who may call whom, which device and
 * interrupt a driver gets, who may signal whom), badges, ports left unconnected, supervision, and the
 * kernel personality a `kernel:` line chooses.
 */
import { AstUtils, type ValidationAcceptor } from 'langium';
import {
    isBuiltinCall, isDeviceInstance, isDevicePort, isHandler, isInstance, isInterruptPort, isNameRef, isNotificationPort, isServerDecl, isUsesPort,
    type Connection, type DeviceInstance, type Instance, type KernelSetting, type Property, type Supervision, type SystemDecl
} from '../generated/ast.js';
import { KERNEL_PERSONALITIES, isKernelPersonality } from '../../../runtime/contract/index.js';
import { lineOf, type CheckSupport } from './check-support.js';
import { reportDuplicates, reportNotConstant } from './declaration-checks.js';
import { IssueCodes } from './issue-codes.js';

interface PropertyRule {
    readonly min: bigint;
    readonly max: bigint;
    readonly multipleOf?: bigint;
    readonly meaning: string;
}

/** What an instance may set, with the limits the kernel enforces (docs/LANGUAGE.md lists them). */
export const INSTANCE_PROPERTIES: Record<string, PropertyRule> = {
    priority: { min: 0n, max: 255n, meaning: 'the scheduling priority; 0 is the lowest' },
    stack: { min: 1024n, max: 1n << 20n, multipleOf: 16n, meaning: 'the stack size in bytes' },
    timeslice: { min: 100n, max: 1n << 30n, meaning: 'the round-robin time slice in cycles' }
};

export const DEVICE_PROPERTIES: Record<string, PropertyRule> = {
    base: { min: 0n, max: 0xffff_ffffn, multipleOf: 4096n, meaning: 'the physical address of the register page' },
    irq: { min: 1n, max: 63n, meaning: 'the interrupt line' }
};

/** seL4 badges on 32-bit kernels are 28 bits; 0 means "no badge". */
export const MAX_BADGE = (1n << 28n) - 1n;

export class SystemChecks {
    constructor(private readonly support: CheckSupport) {}

    checkSystem(system: SystemDecl, accept: ValidationAcceptor): void {
        const nodes = system.items.filter(item => isInstance(item) || isDeviceInstance(item));
        reportDuplicates(nodes, 'instance', accept);
        if (!system.items.some(isInstance)) {
            accept('warning', `System '${system.name}' has no instances.`, { node: system, property: 'name', code: IssueCodes.EmptySystem });
        }
        const connections = system.items.filter((item): item is Connection => item.$type === 'Connection');
        this.checkConnectionsOnce(connections, accept);
        this.checkBadges(connections, accept);
        this.checkUnconnected(system, connections, accept);
        const supervised = new Map<string, Supervision>();
        for (const supervision of system.items.filter((item): item is Supervision => item.$type === 'Supervision')) {
            const name = supervision.target?.$refText;
            const earlier = supervised.get(name);
            if (earlier) {
                accept('error', `'${name}' is already supervised on line ${lineOf(earlier)}.`, { node: supervision, property: 'target', code: IssueCodes.DuplicateSupervision });
            } else {
                supervised.set(name, supervision);
            }
        }
        this.checkKernel(system.items.filter((item): item is KernelSetting => item.$type === 'KernelSetting'), accept);
    }

    /** One `kernel:` line at most, naming a personality the kernel has. */
    private checkKernel(settings: readonly KernelSetting[], accept: ValidationAcceptor): void {
        for (const [index, setting] of settings.entries()) {
            if (index > 0) {
                accept('error', `The kernel is already chosen on line ${lineOf(settings[0])}.`, { node: setting, code: IssueCodes.DuplicateKernel });
            } else if (setting.personality !== undefined && !isKernelPersonality(setting.personality)) {
                accept('error', `Unknown kernel personality '${setting.personality}'; known: ${KERNEL_PERSONALITIES.join(', ')}.`,
                    { node: setting, property: 'personality', code: IssueCodes.UnknownKernel });
            }
        }
    }

    checkInstance(instance: Instance, accept: ValidationAcceptor): void {
        this.checkProperties(instance.properties, INSTANCE_PROPERTIES, 'an instance', accept);
    }

    checkDeviceInstance(device: DeviceInstance, accept: ValidationAcceptor): void {
        this.checkProperties(device.properties, DEVICE_PROPERTIES, 'a device', accept);
        if (!device.properties.some(property => property.name === 'base')) {
            accept('error', `Device '${device.name}' needs a 'base' address.`, { node: device, property: 'name', code: IssueCodes.MissingProperty });
        }
    }

    private checkProperties(properties: readonly Property[], rules: Record<string, PropertyRule>, owner: string, accept: ValidationAcceptor): void {
        reportDuplicates(properties, 'property', accept);
        for (const property of properties) {
            const rule = rules[property.name];
            if (!rule) {
                const known = Object.keys(rules).join(', ');
                accept('error', `Unknown property '${property.name}' for ${owner}; known: ${known}.`, { node: property, property: 'name', code: IssueCodes.UnknownProperty });
                continue;
            }
            const result = this.support.types.evaluate(property.value);
            if (!result.ok) {
                reportNotConstant(result.reason, property.value, `Property '${property.name}'`, accept);
                continue;
            }
            if (result.value < rule.min || result.value > rule.max || (rule.multipleOf && result.value % rule.multipleOf !== 0n)) {
                const multiple = rule.multipleOf ? `, a multiple of ${rule.multipleOf}` : '';
                accept('error', `'${property.name}' must be between ${rule.min} and ${rule.max}${multiple} (${rule.meaning}), not ${result.value}.`,
                    { node: property, property: 'value', code: IssueCodes.InvalidProperty });
            }
        }
    }

    checkConnection(connection: Connection, accept: ValidationAcceptor): void {
        const port = connection.source?.port?.ref;
        const target = connection.target?.ref;
        if (!port || !target) return;
        const sourceName = `${connection.source?.instance?.$refText}.${port.name}`;
        const invalid = (message: string, property: 'target' | 'targetPort' | 'badge' = 'target') =>
            accept('error', message, { node: connection, property, code: IssueCodes.InvalidConnection });
        if (connection.badge && !isUsesPort(port) && !isNotificationPort(port)) {
            invalid(`Only 'uses' and notification connections carry a badge.`, 'badge');
        }
        if (isUsesPort(port)) {
            const wanted = port.interface?.ref;
            if (!isInstance(target)) {
                invalid(`${sourceName} needs a server that implements ${wanted?.name}; ${target.name} is a device.`);
                return;
            }
            if (connection.targetPort) {
                invalid(`A 'uses' port connects to a server instance itself, not to one of its ports.`, 'targetPort');
                return;
            }
            const component = target.component?.ref;
            if (!isServerDecl(component)) {
                invalid(`${target.name} is an instance of program ${component?.name}, which serves nothing; ${sourceName} needs a server.`);
                return;
            }
            const provided = component.interface?.ref;
            if (wanted && provided && provided !== wanted) {
                accept('error', `${target.name} implements ${provided.name}, but ${sourceName} needs ${wanted.name}.`, { node: connection, property: 'target', code: IssueCodes.InterfaceMismatch });
            }
            if (target === connection.source?.instance?.ref) {
                invalid(`${sourceName} connects ${target.name} to itself; a server cannot call its own endpoint without deadlocking.`);
            }
            this.checkBadgeValue(connection, accept);
            return;
        }
        if (isDevicePort(port) || isInterruptPort(port)) {
            if (!isDeviceInstance(target)) {
                invalid(`${sourceName} is a ${isDevicePort(port) ? 'device' : 'interrupt'} port; connect it to a device instance, not to ${target.name}.`);
                return;
            }
            if (connection.targetPort) {
                invalid(`A device has no ports; connect ${sourceName} to '${target.name}' itself.`, 'targetPort');
                return;
            }
            if (isDevicePort(port) && port.device?.ref && target.device?.ref && port.device?.ref !== target.device?.ref) {
                invalid(`${sourceName} needs a ${port.device?.ref.name} device, but ${target.name} is a device of type ${target.device?.ref.name}.`);
            }
            if (isInterruptPort(port) && !target.properties.some(property => property.name === 'irq')) {
                invalid(`Device ${target.name} has no 'irq' property, so it has no interrupt to give ${sourceName}.`);
            }
            return;
        }
        if (isNotificationPort(port)) {
            const targetPort = connection.targetPort?.ref;
            if (!isInstance(target) || !isNotificationPort(targetPort)) {
                invalid(`${sourceName} is a notification port; connect it to a notification port of another instance, as in 'connect a.done -> b.done'.`,
                    connection.targetPort ? 'targetPort' : 'target');
                return;
            }
            this.checkBadgeValue(connection, accept);
            this.checkSignalOnly(connection, accept);
        }
    }

    /**
     * The source of a notification connection holds only the right to signal the target's notification:
     * waiting on it, polling it or handling it would read a notification it cannot read. Reported at each such
     * use in the component, or at the connection when the component is in another file.
     */
    private checkSignalOnly(connection: Connection, accept: ValidationAcceptor): void {
        const port = connection.source?.port?.ref;
        const component = connection.source?.instance?.ref?.component?.ref;
        if (!isNotificationPort(port) || !component) return;
        const source = `${connection.source?.instance?.$refText}.${port.name}`;
        const sameFile = AstUtils.getDocument(component) === AstUtils.getDocument(connection);
        for (const node of AstUtils.streamAllContents(component)) {
            const waits = isBuiltinCall(node) && (node.name === 'wait' || node.name === 'poll')
                && isNameRef(node.args[0]) && node.args[0].target?.ref === port;
            const handles = isHandler(node) && node.event === 'notification' && node.port?.ref === port;
            if (!waits && !handles) continue;
            const what = waits ? `'${node.name}'` : `'on notification ${port.name}'`;
            const message = `${source} only signals ${connection.target?.$refText}.${connection.targetPort?.$refText} ('connect' at line ${lineOf(connection)}); ${what} on it cannot receive anything. Connect another notification port to it to wait on.`;
            if (sameFile) accept('error', message, { node, code: IssueCodes.InvalidConnection });
            else accept('error', `${message} (${what} is at line ${lineOf(node)} of ${AstUtils.getDocument(component).uri.path.split('/').pop()}.)`, { node: connection, code: IssueCodes.InvalidConnection });
        }
    }

    private checkBadgeValue(connection: Connection, accept: ValidationAcceptor): void {
        if (!connection.badge) return;
        const result = this.support.types.evaluate(connection.badge);
        if (!result.ok) {
            reportNotConstant(result.reason, connection.badge, 'A badge', accept);
        } else if (result.value < 1n || result.value > MAX_BADGE) {
            accept('error', `A badge must be between 1 and ${MAX_BADGE} (28 bits; 0 means no badge), not ${result.value}.`, { node: connection, property: 'badge', code: IssueCodes.InvalidProperty });
        }
    }

    /** A port is connected once: it names one capability in the component's capability space. */
    private checkConnectionsOnce(connections: readonly Connection[], accept: ValidationAcceptor): void {
        const seen = new Map<string, Connection>();
        for (const connection of connections) {
            const key = `${connection.source?.instance?.$refText}.${connection.source?.port?.$refText}`;
            const earlier = seen.get(key);
            if (earlier) {
                accept('error', `${key} is already connected on line ${lineOf(earlier)}.`, { node: connection, property: 'source', code: IssueCodes.DuplicateConnection });
            } else {
                seen.set(key, connection);
            }
        }
    }

    /** Badges tell a server's clients apart, so two clients of one server may not share one. */
    private checkBadges(connections: readonly Connection[], accept: ValidationAcceptor): void {
        const byServer = new Map<string, Map<bigint, Connection>>();
        for (const connection of connections) {
            if (!connection.badge || !isUsesPort(connection.source?.port?.ref)) continue;
            const value = this.support.types.evaluate(connection.badge);
            if (!value.ok) continue;
            const server = connection.target?.$refText;
            const badges = byServer.get(server) ?? new Map<bigint, Connection>();
            byServer.set(server, badges);
            const earlier = badges.get(value.value);
            if (earlier) {
                accept('error', `Badge ${value.value} is already given to ${earlier.source?.instance?.$refText}.${earlier.source?.port?.$refText} for ${server} (line ${lineOf(earlier)}).`,
                    { node: connection, property: 'badge', code: IssueCodes.DuplicateBadge });
            } else {
                badges.set(value.value, connection);
            }
        }
    }

    private checkUnconnected(system: SystemDecl, connections: readonly Connection[], accept: ValidationAcceptor): void {
        const connected = new Set<string>();
        for (const connection of connections) {
            connected.add(`${connection.source?.instance?.$refText}.${connection.source?.port?.$refText}`);
            if (connection.targetPort) connected.add(`${connection.target?.$refText}.${connection.targetPort?.$refText}`);
        }
        for (const instance of system.items.filter(isInstance)) {
            const component = instance.component?.ref;
            if (!component) continue;
            for (const member of component.members) {
                if (!isUsesPort(member) && !isDevicePort(member) && !isInterruptPort(member) && !isNotificationPort(member)) continue;
                if (connected.has(`${instance.name}.${member.name}`)) continue;
                // A notification port the component hands on as a value (`subscribe(done)`) needs no connection.
                if (isNotificationPort(member) && AstUtils.streamAllContents(component).some(node =>
                    isNameRef(node) && node.target?.ref === member && !isBuiltinCall(node.$container))) continue;
                const what = isUsesPort(member) ? `${member.interface?.$refText}` : member.$type === 'DevicePort' ? 'device' : isInterruptPort(member) ? 'interrupt' : 'notification';
                const severity = isNotificationPort(member) ? 'warning' : 'error';
                accept(severity, `Port ${instance.name}.${member.name} (${what}) is not connected.`, { node: instance, property: 'name', code: IssueCodes.UnconnectedPort });
            }
        }
    }
}
