/**
 * What the system commands are called with: nothing (from the palette, a menu or a key: the active
 * editor's file), a URI (from the explorer or the editor title), or the language server's code lens
 * arguments `[documentUri: string, systemName: string]`. Plain data in, plain data out, so that it is
 * tested without VS Code.
 */

export interface SystemTarget {
    /** The `.uk` file's URI as a string, when the arguments name one. */
    readonly uri?: string;
    /** The system to run or compile, when the arguments name one (a file may declare several). */
    readonly system?: string;
}

/** Something with a URI, as VS Code passes a resource (`vscode.Uri` has `scheme` and `toString()`). */
interface UriLike {
    readonly scheme: string;
    toString(): string;
}

function isUriLike(value: unknown): value is UriLike {
    return typeof value === 'object' && value !== null && typeof (value as UriLike).scheme === 'string';
}

/** The target named by a command's arguments, or a sentence saying why they do not name one. */
export function systemTarget(args: readonly unknown[]): SystemTarget | { readonly error: string } {
    const [first, second] = args;
    let uri: string | undefined;
    if (typeof first === 'string') uri = first;
    else if (isUriLike(first)) uri = first.toString();
    else if (first !== undefined) return { error: `the first argument must be a .uk file's URI, not ${describe(first)}` };
    if (second !== undefined && typeof second !== 'string') return { error: `the second argument must be a system's name, not ${describe(second)}` };
    if (uri !== undefined && !/\.uk$/i.test(uri.replace(/[?#].*$/, ''))) return { error: `${uri} is not a .uk file` };
    return { uri, system: second === '' ? undefined : second };
}

function describe(value: unknown): string {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'an array';
    return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`;
}

/** `file:line:column` (as traces and messages write positions) into its parts; columns and lines are 1-based. */
export function parseLocation(location: string): { readonly file: string; readonly line: number; readonly column: number } | undefined {
    const match = /^(.*):(\d+):(\d+)$/.exec(location);
    if (!match || match[1] === '') return undefined;
    return { file: match[1], line: Number(match[2]), column: Number(match[3]) };
}
