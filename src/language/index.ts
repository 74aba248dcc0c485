/**
 * The public face of the uk language, for every stage after it (the code generator, the session, the
 * command line): the services, the syntax tree they check (generated from grammar/uk.langium; later stages
 * walk it), the type system, the model the layout engine reads (specs, ordinals, the cached layouts) and
 * the issue codes. Anything else in this folder is its own business.
 */
export { createUkServices, UkModule, type UkServices, type UkAddedServices, type UkServiceOptions } from './uk-module.js';
export * from './generated/ast.js';
export { UkTypeSystem, defaultType } from './type-system/uk-type-system.js';
export * from './type-system/types.js';
export * from './type-system/capability-count.js';
export { interfaceSpec, leaseIndex, paramTransfer, scalarKind } from './model/interface-spec.js';
export { INLINE_ITEM_LIMIT, isCounted } from './model/counted-values.js';
export { methodOrdinals } from './model/method-ordinals.js';
export { InterfaceLayouts } from './model/interface-layouts.js';
export { compareWithLock, declaredInterfaces, lockOf, lockText, lockUri, lockedSourceUri, type LockFinding } from './model/layout-locks.js';
export {
    portsOf, interruptPorts, notificationLanes, eventPorts, eventLane, deviceModel, MAX_PORTS, MAX_INTERRUPT_PORTS, MAX_NOTIFICATION_LANES, MAX_EVENT_PORTS, SUPERVISOR_NAME
} from './model/component-ports.js';
export { replyVariables, savedReplySlot } from './model/reply-state.js';
export { IssueCodes, type IssueCode } from './validation/issue-codes.js';
/** The server's start with ukc's handlers; a host gives it a connection (src/language-server on Node). */
export { startUkServer } from './lsp/start-server.js';
/** Files held in memory: what the server and the session read in a browser or web worker, and in tests. */
export { MemoryFileSystem } from './workspace/memory-file-system.js';
/** The formatter that the language server and `ukc fmt` share (format/). */
export { formatDocument, hasSyntaxErrors, astDifference, type FormatResult } from './format/index.js';
