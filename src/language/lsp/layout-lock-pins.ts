/**
 * The names a layout lock pins, for rename. A lock (`kv.uk.lock`, docs/ABI.md "Keeping an ABI stable")
 * records the layouts of its file's interfaces, and `ukc check` compares them with the source by
 * src/layout/diff.ts. No name travels on the wire, but that comparison matches some things by name, so
 * renaming them breaks the lock although no bit moves:
 * - interfaces (by their qualified name) and methods: a renamed one reads as removed, and a method's
 *   ordinal as taken by a new one;
 * - the enums, bitfields and unions a locked message carries, with their members, fields and variants (a
 *   field's type is compared with those names), and the structs and their fields inside a union's payload
 *   or an optional (part of the union's signature);
 * - the members of a locked method's error enum (its errors are compared by member name; the enum's own
 *   name is not compared).
 * Parameters, results and struct fields that travel as fields of their own are compared by place and type:
 * renamed, the comparison finds them "renamed in place", so the lock does not pin them. Nor does it pin
 * anything a locked method does not carry. test/language/lsp/rename-locks.test.ts renames every name of a
 * locked workspace and checks these rules against `ukc check`'s own comparison.
 */
import { type AstNode, type FileSystemProvider, type LangiumDocuments, type WorkspaceManager } from 'langium';
import type { LangiumServices } from 'langium/lsp';
import { LockError, parseLock, type InterfaceLayout, type LayoutLock } from '../../layout/index.js';
import type { InterfaceDecl, Method, Module } from '../generated/ast.js';
import { qualifiedInterfaceName } from '../model/interface-spec.js';
import { declaredInterfaces, lockUri } from '../model/layout-locks.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import type { UkType } from '../type-system/types.js';
import { shownInWorkspace } from './layout-lock-diagnostics.js';

/** Why a lock pins a name: what it records, and which of the comparison's rules reads that name. */
interface Pin {
    readonly subject: string;
    readonly rule: string;
    /**
     * Where the lock records it: the lines (trimmed, without a trailing comma) that lead there in turn, the
     * interface's name, then its method's or event's, then the name itself or the error it is.
     */
    readonly record: readonly string[];
}

/** A type's own pin, before it is placed in a method's record: it is recorded as `"name": "<recorded>"`. */
type PinType = (node: AstNode, subject: string, rule: string, recorded: string) => void;

const RULES = {
    interface: 'interfaces by name',
    method: 'methods by name (a message carries the ordinal)',
    enum: "the name of an enum in a message and its members' names",
    bitfield: "the name of a bitfield in a message and its fields' names",
    union: 'the name of a union or optional in a message, its variants\' names and the names inside their payloads',
    errors: "a method's errors by their members' names"
} as const;

export class LayoutLockPins {
    private readonly files: FileSystemProvider;
    private readonly workspace: WorkspaceManager;
    private readonly documents: LangiumDocuments;
    private readonly types: UkTypeSystem;

    constructor(services: LangiumServices & { types: { TypeSystem: UkTypeSystem } }) {
        this.files = services.shared.workspace.FileSystemProvider;
        this.workspace = services.shared.workspace.WorkspaceManager;
        this.documents = services.shared.workspace.LangiumDocuments;
        this.types = services.types.TypeSystem;
    }

    /**
     * Why renaming `declaration` would break a layout lock, or undefined when no lock pins its name. Every
     * file's lock is looked at: an interface can carry a type from a file it does not import directly (a
     * struct in the payload of a union it imports).
     */
    async refusal(declaration: AstNode & { name: string }): Promise<string | undefined> {
        for (const document of this.documents.all) {
            const module = document.parseResult.value as Module;
            // A lock records its file's interfaces: a file without any pins nothing, whatever lies beside it.
            if (declaredInterfaces(module).length === 0) continue;
            const lockFile = lockUri(document.uri);
            let text: string;
            try {
                text = await this.files.readFile(lockFile);
            } catch {
                continue; // no lock
            }
            let lock: LayoutLock;
            try {
                lock = parseLock(text);
            } catch (error) {
                // An unusable lock pins nothing; its own diagnostics say what is wrong with it.
                if (error instanceof LockError) continue;
                throw error;
            }
            const pin = this.pinsOf(module, lock).get(declaration);
            if (!pin) continue;
            const lockShown = shownInWorkspace(lockFile, this.workspace);
            const line = lineOf(text, pin.record);
            const at = line === undefined ? '' : ` (line ${line})`;
            return `'${declaration.name}' is pinned by the layout lock ${lockShown}${at}: it records ${pin.subject}, and \`ukc check\` compares ${pin.rule}, `
                + `so renaming it would break the lock although no bit on the wire changes. Rename it by hand and write the lock again with \`ukc layout ${shownInWorkspace(document.uri, this.workspace)} --lock\`.`;
        }
        return undefined;
    }

    /** Every declaration whose name `lock` pins in `module`, with why; the first reason found for each. */
    private pinsOf(module: Module, lock: LayoutLock): Map<AstNode, Pin> {
        const pins = new Map<AstNode, Pin>();
        const recorded = new Map(lock.interfaces.map(layout => [layout.name, layout]));
        for (const iface of declaredInterfaces(module)) {
            const qualified = qualifiedInterfaceName(iface);
            const locked = recorded.get(qualified);
            if (!locked) continue;
            const pin = (node: AstNode, subject: string, rule: string, ...record: string[]): void => {
                if (!pins.has(node)) pins.set(node, { subject, rule, record: [nameLine(qualified), ...record] });
            };
            pin(iface, `interface ${qualified}`, RULES.interface);
            this.pinMembers(iface, locked, qualified, pin);
        }
        return pins;
    }

    private pinMembers(iface: InterfaceDecl, locked: InterfaceLayout, qualified: string, pin: (node: AstNode, subject: string, rule: string, ...record: string[]) => void): void {
        const lockedMethods = new Map(locked.methods.map(method => [method.name, method]));
        for (const method of iface.methods) {
            const record = lockedMethods.get(method.name);
            if (!record) continue;
            const where = `${qualified}.${method.name}`;
            const methodLine = nameLine(method.name);
            pin(method, `method ${where} (ordinal ${record.ordinal})`, RULES.method, methodLine);
            const pinType: PinType = (node, subject, rule, recorded) => pin(node, subject, rule, methodLine, nameLine(recorded));
            for (const type of this.carried(method)) this.pinTypes(type, where, false, pinType, walked());
            const errors = method.raises?.ref;
            if (!errors) continue;
            // The lock lists a method's errors as `"StoreError.Full"`.
            for (const member of errors.members) {
                pin(member, `${member.name} among the errors of ${where}`, RULES.errors, methodLine, JSON.stringify(`${errors.name}.${member.name}`));
            }
        }
        const lockedEvents = new Set(locked.events.map(event => event.name));
        for (const event of iface.events) {
            if (!lockedEvents.has(event.name)) continue;
            const where = `event ${qualified}.${event.name}`;
            for (const param of event.params) {
                const pinType: PinType = (node, subject, rule, recorded) => pin(node, subject, rule, nameLine(event.name), nameLine(recorded));
                this.pinTypes(this.types.typeOfTypeRef(param.type), where, false, pinType, walked());
            }
        }
    }

    /** The types of what a method's messages carry: arguments, results, an error's payload. */
    private carried(method: Method): UkType[] {
        const refs = [...method.params.map(param => param.type), method.resultType, ...method.results.map(result => result.type), ...(method.payload?.fields ?? []).map(field => field.type)];
        return refs.filter(ref => ref !== undefined).map(ref => this.types.typeOfTypeRef(ref));
    }

    /**
     * The declarations whose names a value of `type` puts into a locked message's field types (what
     * src/layout/diff.ts's signatures of enums, bitfields and unions hold). `inPayload`: inside a union's
     * variant or an optional, where a struct's name and its fields' names are part of the signature too.
     */
    private pinTypes(type: UkType, where: string, inPayload: boolean, pin: PinType, seen: Walked): void {
        switch (type.kind) {
            case 'enum':
                pin(type.decl, `the enum ${type.decl.name} in ${where}`, RULES.enum, type.decl.name);
                for (const member of type.decl.members) pin(member, `the member ${type.decl.name}.${member.name} in ${where}`, RULES.enum, member.name);
                return;
            case 'bitfield':
                pin(type.decl, `the bitfield ${type.decl.name} in ${where}`, RULES.bitfield, type.decl.name);
                for (const field of type.decl.fields) pin(field, `the field ${type.decl.name}.${field.name} in ${where}`, RULES.bitfield, field.name);
                return;
            case 'union':
                if (!firstVisit(seen, type.decl, inPayload)) return;
                pin(type.decl, `the union ${type.decl.name} in ${where}`, RULES.union, type.decl.name);
                for (const variant of type.decl.variants) {
                    pin(variant, `the variant ${type.decl.name}.${variant.name} in ${where}`, RULES.union, variant.name);
                    if (variant.type) this.pinTypes(this.types.typeOfTypeRef(variant.type), where, true, pin, seen);
                }
                return;
            case 'optional':
                this.pinTypes(type.inner, where, true, pin, seen);
                return;
            case 'struct':
                if (!firstVisit(seen, type.decl, inPayload)) return;
                if (inPayload) pin(type.decl, `the struct ${type.decl.name} inside a union or optional in ${where}`, RULES.union, type.decl.name);
                for (const field of type.decl.fields) {
                    if (inPayload) pin(field, `the field ${type.decl.name}.${field.name} inside a union or optional in ${where}`, RULES.union, field.name);
                    this.pinTypes(this.types.typeOfTypeRef(field.type), where, inPayload, pin, seen);
                }
                return;
            case 'array': case 'vec':
                this.pinTypes(type.element, where, inPayload, pin, seen);
                return;
            default:
                return;
        }
    }
}

/** The declarations a walk has been through, outside and inside payloads (a union may contain itself). */
interface Walked { readonly plain: Set<AstNode>; readonly inPayload: Set<AstNode> }

function walked(): Walked {
    return { plain: new Set(), inPayload: new Set() };
}

function firstVisit(seen: Walked, decl: AstNode, inPayload: boolean): boolean {
    const set = inPayload ? seen.inPayload : seen.plain;
    if (set.has(decl)) return false;
    set.add(decl);
    return true;
}

/** How the lock's JSON writes a name, as a line trimmed of its indentation and trailing comma. */
function nameLine(name: string): string {
    return `"name": ${JSON.stringify(name)}`;
}

/**
 * The line (1-based) where the lock records a pin: its record's lines found in turn, each after the one
 * before. A line that is not found (a lock laid out otherwise) leaves the last one found; none, undefined.
 */
function lineOf(text: string, record: readonly string[]): number | undefined {
    const lines = text.split('\n').map(line => line.trim().replace(/,$/, ''));
    let found: number | undefined;
    for (const wanted of record) {
        const next = lines.indexOf(wanted, found === undefined ? 0 : found + 1);
        if (next < 0) break;
        found = next;
    }
    return found === undefined ? undefined : found + 1;
}
