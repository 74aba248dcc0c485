/**
 * The single composition point of the uk language: Langium's defaults plus ukc's own services.
 * Every override is a class named for its job, registered here and nowhere else.
 */
import {
    inject, type DeepPartial, type LangiumSharedCoreServices, type Module
} from 'langium';
import {
    createDefaultModule, createDefaultSharedModule, type DefaultSharedModuleContext, type LangiumServices,
    type LangiumSharedServices, type PartialLangiumServices
} from 'langium/lsp';
import { UkGeneratedModule, UkGeneratedSharedModule } from './generated/module.js';
import { UkLexerErrorMessageProvider, UkParserErrorMessageProvider } from './parser/uk-parser-error-messages.js';
import { UkTokenBuilder } from './parser/uk-token-builder.js';
import { createUkRecoveringParser } from './parser/uk-recovering-parser.js';
import { createUkCompletionParser } from './parser/uk-completion-parser.js';
import { UkHoverProvider } from './lsp/uk-hover-provider.js';
import { UkFoldingRangeProvider } from './lsp/uk-folding-range-provider.js';
import { UkCompletionProvider } from './lsp/uk-completion-provider.js';
import { UkDocumentSymbolProvider } from './lsp/uk-document-symbol-provider.js';
import { UkNodeKindProvider } from './lsp/uk-node-kind-provider.js';
import { UkRenameProvider } from './lsp/uk-rename-provider.js';
import { UkCodeLensProvider } from './lsp/uk-code-lens-provider.js';
import { UkSelectionRangeProvider } from './lsp/uk-selection-range-provider.js';
import { UkFormatter } from './lsp/uk-formatter.js';
import { UkSemanticTokenProvider } from './lsp/uk-semantic-token-provider.js';
import { UkInlayHintProvider } from './lsp/uk-inlay-hint-provider.js';
import { UkCodeActionProvider } from './lsp/uk-code-action-provider.js';
import { UkSignatureHelpProvider } from './lsp/uk-signature-help-provider.js';
import { UkConfigurationProvider, UkSettings } from './lsp/uk-settings.js';
import { LayoutLockDiagnostics } from './lsp/layout-lock-diagnostics.js';
import { LayoutLockPins } from './lsp/layout-lock-pins.js';
import { UkDocumentUpdateHandler } from './lsp/uk-document-update-handler.js';
import { UkFastParser } from './parser/fast/uk-fast-parser.js';
import { UkValueConverter } from './parser/uk-value-converter.js';
import { InterfaceLayouts } from './model/interface-layouts.js';
import { ModuleImports } from './references/module-imports.js';
import { UkLinker } from './references/uk-linker.js';
import { UkAstNodeDescriptionProvider } from './references/uk-ast-node-description-provider.js';
import { UkScopeComputation } from './references/uk-scope-computation.js';
import { UkScopeProvider } from './references/uk-scope-provider.js';
import { UkTypeSystem } from './type-system/uk-type-system.js';
import { UkDocumentValidator } from './validation/uk-document-validator.js';
import { NoReferenceIndex } from './workspace/no-reference-index.js';
import { UkDocumentFactory } from './workspace/uk-document-factory.js';
import { UkWorkspaceManager } from './workspace/uk-workspace-manager.js';
import { UkDocumentBuilder } from './workspace/uk-document-builder.js';
import { UkIndexManager } from './workspace/uk-index-manager.js';
import { UkReferenceDescriptionProvider } from './workspace/uk-reference-description-provider.js';
import { createUkChecks, UkChecks } from './validation/uk-validator.js';

/** Services that exist only in ukc. */
export interface UkAddedServices {
    lsp: {
        /** Expand selection; Langium has no such provider (registered by lsp/start-server.ts). */
        SelectionRangeProvider: UkSelectionRangeProvider,
        /** The editor's `ukc.*` settings (inlay hints on or off, the ABI profile). */
        Settings: UkSettings,
        /** What a file's layout lock finds, as diagnostics (published by lsp/start-server.ts). */
        LayoutLockDiagnostics: LayoutLockDiagnostics,
        /** The names layout locks pin, which rename refuses. */
        LayoutLockPins: LayoutLockPins
    },
    parser: {
        /** The hand-written parser for files without syntax errors; see workspace/uk-document-factory.ts. */
        FastParser: UkFastParser
    },
    references: {
        ModuleImports: ModuleImports
    },
    types: {
        TypeSystem: UkTypeSystem
    },
    layout: {
        /** Every interface's message layouts, cached per interface and ABI profile. */
        InterfaceLayouts: InterfaceLayouts
    },
    validation: {
        Checks: UkChecks
    }
}

export type UkServices = LangiumServices & UkAddedServices;

export const UkModule: Module<UkServices, PartialLangiumServices & DeepPartial<UkAddedServices>> = {
    parser: {
        ValueConverter: () => new UkValueConverter(),
        ParserErrorMessageProvider: () => new UkParserErrorMessageProvider(),
        LexerErrorMessageProvider: () => new UkLexerErrorMessageProvider(),
        TokenBuilder: () => new UkTokenBuilder(),
        LangiumParser: (services) => createUkRecoveringParser(services),
        CompletionParser: (services) => createUkCompletionParser(services),
        FastParser: (services) => new UkFastParser(services)
    },
    references: {
        ModuleImports: (services) => new ModuleImports(services),
        ScopeComputation: (services) => new UkScopeComputation(services),
        ScopeProvider: (services) => new UkScopeProvider(services),
        Linker: (services) => new UkLinker(services)
    },
    types: {
        TypeSystem: (services) => new UkTypeSystem(services.shared as LangiumSharedCoreServices)
    },
    layout: {
        InterfaceLayouts: (services) => new InterfaceLayouts(services.shared as LangiumSharedCoreServices, services.types.TypeSystem)
    },
    workspace: {
        AstNodeDescriptionProvider: (services) => new UkAstNodeDescriptionProvider(services),
        ReferenceDescriptionProvider: (services) => new UkReferenceDescriptionProvider(services)
    },
    lsp: {
        HoverProvider: (services) => new UkHoverProvider(services),
        FoldingRangeProvider: (services) => new UkFoldingRangeProvider(services),
        CompletionProvider: (services) => new UkCompletionProvider(services),
        DocumentSymbolProvider: (services) => new UkDocumentSymbolProvider(services),
        RenameProvider: (services) => new UkRenameProvider(services),
        CodeLensProvider: (services) => new UkCodeLensProvider(services),
        SelectionRangeProvider: () => new UkSelectionRangeProvider(),
        Formatter: (services) => new UkFormatter(services),
        SemanticTokenProvider: (services) => new UkSemanticTokenProvider(services),
        InlayHintProvider: (services) => new UkInlayHintProvider(services),
        CodeActionProvider: (services) => new UkCodeActionProvider(services),
        SignatureHelp: (services) => new UkSignatureHelpProvider(services),
        Settings: (services) => new UkSettings(services.shared.workspace.ConfigurationProvider),
        LayoutLockDiagnostics: (services) => new LayoutLockDiagnostics(services),
        LayoutLockPins: (services) => new LayoutLockPins(services)
    },
    validation: {
        DocumentValidator: (services) => new UkDocumentValidator(services),
        Checks: (services) => createUkChecks(services)
    }
};

export interface UkServiceOptions {
    /**
     * Whether to keep the index of references that find-references and rename use. Editors need it; a
     * one-shot check (the CLI) does not, and skipping it saves a fifth of a large check.
     */
    readonly referenceIndex?: boolean;
    /**
     * Whether to build each file's concrete syntax tree only when something needs a position (a
     * diagnostic, the code generator's line table); see parser/fast/deferred-cst.ts. A one-shot check of a
     * workspace without mistakes then never builds one, which halves parsing. `'unopened'` (a language
     * server) defers the trees of files the editor does not have open: an open file needs its CST at once,
     * the rest of the workspace only for what the user asks about it (references, a diagnostic).
     */
    readonly deferCst?: boolean | 'unopened';
    /**
     * A language server's way to collect the engine's young generation where no request waits (see
     * workspace/uk-document-builder.ts); the Node server passes one, a browser has none.
     */
    readonly collectYoungGarbage?: () => void;
}

/** Shared services: documents are parsed by the fast parser when they have no syntax errors. */
const UkSharedModule: Module<LangiumSharedServices, DeepPartial<LangiumSharedServices>> = {
    lsp: {
        NodeKindProvider: () => new UkNodeKindProvider(),
        DocumentUpdateHandler: (shared) => new UkDocumentUpdateHandler(shared)
    },
    workspace: {
        LangiumDocumentFactory: (shared) => new UkDocumentFactory(shared),
        ConfigurationProvider: (shared) => new UkConfigurationProvider(shared),
        WorkspaceManager: (shared) => new UkWorkspaceManager(shared),
        DocumentBuilder: (shared) => new UkDocumentBuilder(shared),
        IndexManager: (shared) => new UkIndexManager(shared)
    }
};

/** Overrides for one-shot use, where nothing outlives the build. */
const UkBatchModule: Module<UkServices, PartialLangiumServices> = {
    workspace: {
        ReferenceDescriptionProvider: () => new NoReferenceIndex()
    }
};

/** The fast parser leaves each tree's CST (or that of each file not open) to be built when first needed. */
function deferredCstModule(deferCst: true | 'unopened'): Module<UkServices, DeepPartial<UkAddedServices>> {
    return {
        parser: {
            FastParser: (services) => new UkFastParser(services, { deferCst })
        }
    };
}

/** The builder collects the young generation where no request waits (workspace/uk-document-builder.ts). */
function youngGarbageModule(collectYoungGarbage: () => void): Module<LangiumSharedServices, DeepPartial<LangiumSharedServices>> {
    return {
        workspace: {
            DocumentBuilder: (shared) => new UkDocumentBuilder(shared, { collectYoungGarbage })
        }
    };
}

/**
 * Creates the shared services and the uk language services. `context` supplies the file system (Node's
 * for the CLI and the language server, an empty one in a browser) and, for a language server, the
 * connection.
 */
export function createUkServices(context: DefaultSharedModuleContext, options: UkServiceOptions = {}): { shared: LangiumSharedServices; Uk: UkServices } {
    const shared = inject(createDefaultSharedModule(context), UkGeneratedSharedModule, UkSharedModule,
        options.collectYoungGarbage ? youngGarbageModule(options.collectYoungGarbage) : {});
    const Uk = inject(createDefaultModule({ shared }), UkGeneratedModule, UkModule,
        options.referenceIndex === false ? UkBatchModule : {},
        options.deferCst === true || options.deferCst === 'unopened' ? deferredCstModule(options.deferCst) : {});
    shared.ServiceRegistry.register(Uk);
    if (!context.connection) {
        // Without a language server nobody triggers the configuration update the builder waits for.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Uk };
}
