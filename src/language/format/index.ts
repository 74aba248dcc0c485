/**
 * The formatter: the canonical style of uk source as edits (docs/LANGUAGE.md, "Formatting"), shared by the
 * language server and `ukc fmt`.
 */
export { formatDocument, hasSyntaxErrors, type FormatResult, type TreeParser } from './format-document.js';
export { applyEdits, formatEdits, type FormatEdit } from './format-edits.js';
export { astDifference } from './ast-equality.js';
