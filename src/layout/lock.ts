/**
 * Layout locks: the layouts of a file's interfaces on one ABI profile, written down so that a later version
 * of the source can be compared with what is deployed (`ukc diff kv.uk.lock kv.uk`) even when the old source
 * is gone. The text is JSON, deterministic (same layouts, same bytes) so that it can be committed and
 * reviewed. Enum values, bigints in memory, are written as decimal strings: JSON numbers lose 64-bit values.
 */
import type { InterfaceLayout } from './types.js';

/** Names the format and its version; a reader refuses other versions instead of misreading them. */
export const LOCK_FORMAT = 'ukc-layout-lock/1';

export interface LayoutLock {
    readonly profile: string;
    readonly interfaces: readonly InterfaceLayout[];
}

/** A lock file that is not one, or of another version. */
export class LockError extends Error {}

export function serializeLock(lock: LayoutLock): string {
    const document = { format: LOCK_FORMAT, profile: lock.profile, interfaces: lock.interfaces };
    return JSON.stringify(document, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2) + '\n';
}

export function parseLock(text: string): LayoutLock {
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch {
        throw new LockError('it is not JSON');
    }
    if (!isRecord(document) || typeof document.format !== 'string') {
        throw new LockError('it has no "format" field');
    }
    if (document.format !== LOCK_FORMAT) {
        throw new LockError(`its format is '${document.format}'; this ukc reads '${LOCK_FORMAT}'`);
    }
    if (typeof document.profile !== 'string' || !Array.isArray(document.interfaces) || !document.interfaces.every(isInterfaceLayout)) {
        throw new LockError('its "profile" or "interfaces" field is malformed');
    }
    // Read back, enum values are the decimal strings written above, not bigints: the comparison only ever
    // prints them, which gives the same text for both.
    return { profile: document.profile, interfaces: document.interfaces };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the shape the comparison relies on (names, ordinals and messages with their scalars); the rest is
 * trusted, as the file is written by ukc and only read back by it.
 */
function isInterfaceLayout(value: unknown): value is InterfaceLayout {
    return isRecord(value) && typeof value.name === 'string' && Array.isArray(value.methods) && value.methods.every(method =>
        isRecord(method) && typeof method.name === 'string' && typeof method.ordinal === 'number'
        && isMessage(method.request) && (method.reply === undefined || isMessage(method.reply))
        && Array.isArray(method.errors) && method.errors.every(isMessage)
        && Array.isArray(method.errorNames) && method.errorNames.every(name => typeof name === 'string'));
}

function isMessage(value: unknown): boolean {
    return isRecord(value) && Array.isArray(value.scalars) && Array.isArray(value.caps) && Array.isArray(value.bulk)
        && value.scalars.every(scalar => isRecord(scalar) && typeof scalar.path === 'string'
            && isRecord(scalar.type) && isRecord(scalar.placement));
}
