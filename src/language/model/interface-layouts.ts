/**
 * The one place an interface is laid out: validation (layout problems), the hover, the code generator (and
 * through it the trace map) and `ukc layout` all ask this service, which computes a layout once per
 * interface and ABI profile and keeps it while the workspace is unchanged. Any change to a document drops
 * every cached layout, since an interface's layout depends on types it may import from other files.
 */
import { WorkspaceCache, type LangiumSharedCoreServices } from 'langium';
import { layoutInterface, profileOrDefault, type AbiProfile, type InterfaceSpec, type LayoutResult } from '../../layout/index.js';
import type { InterfaceDecl } from '../generated/ast.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { interfaceSpec } from './interface-spec.js';

interface CachedInterface {
    readonly spec: InterfaceSpec;
    readonly layouts: Map<AbiProfile, LayoutResult>;
}

export class InterfaceLayouts {
    private readonly cache: WorkspaceCache<InterfaceDecl, CachedInterface>;

    constructor(shared: LangiumSharedCoreServices, private readonly types: UkTypeSystem) {
        this.cache = new WorkspaceCache<InterfaceDecl, CachedInterface>(shared);
    }

    /** The interface as the layout engine reads it (plain data; see interface-spec.ts). */
    specOf(iface: InterfaceDecl): InterfaceSpec {
        return this.entry(iface).spec;
    }

    /**
     * The layout of every method of `iface` on `profile` (by default the bundled machine's, ukvm32, which
     * the checks and the code generator use), with whatever could not be placed. The same object for the
     * same interface and profile until a document changes.
     */
    layoutOf(iface: InterfaceDecl, profile: AbiProfile = profileOrDefault()): LayoutResult {
        const entry = this.entry(iface);
        let result = entry.layouts.get(profile);
        if (!result) {
            result = layoutInterface(entry.spec, profile);
            entry.layouts.set(profile, result);
        }
        return result;
    }

    private entry(iface: InterfaceDecl): CachedInterface {
        return this.cache.get(iface, () => ({ spec: interfaceSpec(iface, this.types), layouts: new Map() }));
    }
}
