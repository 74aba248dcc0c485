/**
 * The space between two tokens on one line: one, or none where the canonical style joins them (calls and
 * indexing, member access, ranges, unary operators, before separators and an optional's `?`, inside
 * `endpoint<I>` and `reply<I.m>`). Joining never
 * merges two tokens into another: no two tokens joined here can lex as one.
 */
import type { SourceToken } from './source-elements.js';

/** Rules whose `(` or `[` follows a name without a space: calls, declarations' parameters, indexing, `bytes[N]`, `string[N]`, `vec[T; N]`, a match arm's binding. */
const JOINED_OPENERS = new Set(['PostfixExpr', 'BuiltinCall', 'PrintStmt', 'AssertStmt', 'Method', 'EventDecl', 'EmitStmt', 'FunctionDecl', 'Handler', 'Annotation', 'BytesTypeRef', 'StringTypeRef', 'VecTypeRef', 'MatchArm']);

/** Types written with angle brackets, `endpoint<I>` and `reply<I.m>`, which hold no spaces. */
const ANGLED_TYPES = new Set(['EndpointTypeRef', 'ReplyTypeRef']);

/** `enum E : u8` and `bitfield F : u8` set their base type apart; every other `:` follows its name. */
const SPACED_COLONS = new Set(['EnumDecl', 'BitfieldDecl']);

export function spaceBetween(left: SourceToken, right: SourceToken): '' | ' ' {
    if (left.text === '(' || left.text === '[' || left.text === '.' || left.text === '..' || left.text === '@') return '';
    if (right.text === ')' || right.text === ']' || right.text === ',' || right.text === ';' || right.text === '.' || right.text === '..') return '';
    if (right.text === ':' && !SPACED_COLONS.has(right.rule)) return '';
    // `u32?`: the optional's `?` follows its type.
    if (right.text === '?') return '';
    if (left.rule === 'UnaryExpr' && (left.text === '-' || left.text === '!' || left.text === '~')) return '';
    if (ANGLED_TYPES.has(left.rule) && left.text === '<') return '';
    if (ANGLED_TYPES.has(right.rule) && (right.text === '<' || right.text === '>')) return '';
    // A method's results, `-> (a: u32, b: u32)`, are a list of their own.
    if ((right.text === '(' || right.text === '[') && JOINED_OPENERS.has(right.rule) && left.text !== '->') return '';
    return ' ';
}
