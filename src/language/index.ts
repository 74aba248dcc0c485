/** The public face of the uk language: services, the AST, the type system and the issue codes. */
export { createUkServices, UkModule, type UkServices, type UkAddedServices } from './uk-module.js';
export * as ast from './generated/ast.js';
export { UkTypeSystem, defaultType } from './type-system/uk-type-system.js';
export * from './type-system/types.js';
export { IssueCodes, type IssueCode } from './validation/issue-codes.js';
export { methodOrdinals } from './validation/interface-checks.js';
