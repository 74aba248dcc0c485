/**
 * Property: whatever whitespace and comments surround the examples' tokens, the formatter gives text that
 * parses to the examples' own trees, keeps every comment, and is a fixed point. The perturbations change
 * every gap between tokens (spaces, tabs, line breaks, blank lines, nothing where nothing was) and put
 * block and line comments into random gaps.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { astDifference } from '../../../src/language/format/index.js';
import { sourceElements, type SourceElement } from '../../../src/language/format/source-elements.js';
import { formatted, parse, tree } from './format-text.js';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = ['calculator/calculator.uk', 'kv-store/kv.uk', 'name-server/names.uk', 'pipeline/pipeline.uk', 'pipeline/types.uk',
    'supervised-restart/supervised.uk', 'uart-driver/uart.uk'].map(file => `examples/${file}`);

/** What may replace a gap: whitespace that keeps apart what was apart, and optionally a comment. */
const SPACES = [' ', '  ', '\t', ' \t '];
const BREAKS = ['\n', '\n\n', '\n\n\n', '\n        ', '  \n  ', '\n\t'];

interface Perturbation { readonly whitespace: number; readonly breakInstead: boolean; readonly comment: 0 | 1 | 2 }

function elementsOf(text: string): SourceElement[] {
    const root = parse(text).parseResult.value.$cstNode;
    if (!root) throw new Error('no CST');
    return sourceElements(root, text);
}

/** The text with each gap replaced as `choices` say (cycled over the gaps). */
function perturb(text: string, elements: readonly SourceElement[], choices: readonly Perturbation[]): { text: string; comments: string[] } {
    let result = '';
    let previousEnd = 0;
    const comments: string[] = [];
    elements.forEach((element, index) => {
        const gap = text.slice(previousEnd, element.offset);
        const choice = choices[index % choices.length];
        const previous = elements[index - 1];
        const afterLineComment = previous?.kind === 'comment' && previous.style === 'line';
        const mustBreak = gap.includes('\n') || afterLineComment;
        const mayJoin = gap === '' && index > 0;
        let whitespace = mayJoin && !choice.breakInstead ? '' : choice.breakInstead || mustBreak ? BREAKS[choice.whitespace % BREAKS.length] : SPACES[choice.whitespace % SPACES.length];
        // A comment goes after the gap's line break when the previous element is a line comment, which it
        // would otherwise join.
        if (index > 0 && choice.comment !== 0) {
            const comment = choice.comment === 1 ? `/* c${index} */` : `// l${index}`;
            const end = choice.comment === 1 ? ' ' : '\n';
            comments.push(comment);
            whitespace = afterLineComment ? `${whitespace}${comment}${end}` : ` ${comment}${end}${whitespace}`;
        }
        result += (index === 0 ? gap : whitespace) + element.text;
        previousEnd = element.end;
        if (element.kind === 'comment') comments.push(element.text);
    });
    return { text: result + '\n', comments };
}

const perturbation: fc.Arbitrary<Perturbation> = fc.record({
    whitespace: fc.nat({ max: 11 }),
    breakInstead: fc.boolean(),
    comment: fc.constantFrom<0 | 1 | 2>(0, 0, 0, 0, 0, 0, 0, 0, 1, 2)
});

describe('formatting perturbed examples', () => {
    test.each(EXAMPLES)('%s: same tree, every comment kept, idempotent', file => {
        const original = readFileSync(path.join(ROOT, file), 'utf8');
        const elements = elementsOf(original);
        const originalTree = tree(original);
        fc.assert(fc.property(fc.array(perturbation, { minLength: 1, maxLength: 40 }), choices => {
            const perturbed = perturb(original, elements, choices);
            const once = formatted(perturbed.text);
            expect(astDifference(originalTree, tree(once))).toBeUndefined();
            const kept = elementsOf(once).filter(element => element.kind === 'comment').map(element => element.text);
            expect(kept).toEqual(perturbed.comments);
            expect(formatted(once)).toBe(once);
        }), { numRuns: 40, seed: 16 });
    });
});
