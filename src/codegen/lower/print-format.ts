/** Print formats: `{}`, `{:x}`, `{:b}`, `{:c}` placeholders and `{{` `}}` braces. */

/** Text and placeholders of a print format (`{{` and `}}` are braces). */
export function splitFormat(format: string): ({ kind: 'text'; text: string } | { kind: 'value'; spec: string })[] {
    const pieces: ({ kind: 'text'; text: string } | { kind: 'value'; spec: string })[] = [];
    let text = '';
    for (let i = 0; i < format.length; i++) {
        const c = format[i];
        if (c === '{' && format[i + 1] === '{') { text += '{'; i++; continue; }
        if (c === '}' && format[i + 1] === '}') { text += '}'; i++; continue; }
        if (c === '{') {
            const close = format.indexOf('}', i);
            pieces.push({ kind: 'text', text });
            text = '';
            const spec = format.slice(i + 1, close);
            pieces.push({ kind: 'value', spec: spec.startsWith(':') ? spec.slice(1) : '' });
            i = close;
            continue;
        }
        text += c;
    }
    pieces.push({ kind: 'text', text });
    return pieces;
}
