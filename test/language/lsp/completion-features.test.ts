/**
 * The completion provider's shortcut (src/language/lsp/uk-completion-provider.ts, `findFeaturesAt`): what
 * the grammar lets come at an offset, found by parsing from the start of the top-level declaration around
 * it, against Langium's own way, parsing from the top of the file, at random offsets of every example and of
 * randomly broken versions of them (the texts completion mostly sees are being typed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AstUtils, EmptyFileSystem, GrammarAST, TextDocument, URI, type LangiumDocument } from 'langium';
import { DefaultCompletionProvider, type NextFeature } from 'langium/lsp';
import { describe, expect, test } from 'vitest';
import { createUkServices, type Module } from '../../../src/language/index.js';
import { ROOT } from './lsp-client.js';
import { applyEdit, EditGenerator, Random } from './random-edits.js';

const EXAMPLES: [string, string][] = readdirSync(path.join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' })
    .filter(name => name.endsWith('.uk'))
    .sort()
    .map(name => [name, readFileSync(path.join(ROOT, 'examples', name), 'utf8')]);

const { shared, Uk } = createUkServices(EmptyFileSystem);
const TOKENS = [...new Set(AstUtils.streamAllContents(Uk.Grammar).filter(GrammarAST.isKeyword).map(keyword => keyword.value))].sort();
const OFFSETS_PER_TEXT = 40;
const BROKEN_VERSIONS = 3;

type FindFeatures = (textDocument: TextDocument, offset: number) => NextFeature[];
const provider = Uk.lsp.CompletionProvider as unknown as { findFeaturesAt: FindFeatures };
const fromTheTop = (DefaultCompletionProvider.prototype as unknown as { findFeaturesAt: FindFeatures }).findFeaturesAt;

/** Grammar elements by a number of their own, so that two lists compare by identity. */
const ids = new Map<unknown, number>();
const describeFeatures = (features: NextFeature[]): string[] =>
    features.map(next => `${next.feature.$type}#${ids.get(next.feature) ?? ids.set(next.feature, ids.size).size - 1} ${next.property ?? ''} ${next.type ?? ''}`);

let documents = 0;
async function documentOf(text: string): Promise<LangiumDocument> {
    const document = shared.workspace.LangiumDocuments.createDocument(URI.parse(`memory:///features/${documents++}.uk`), text);
    await shared.workspace.DocumentBuilder.build([document], { validation: false });
    return document;
}

/** Whether `offset` is inside a top-level declaration (after its first character): where the shortcut applies. */
function insideDeclaration(document: LangiumDocument, offset: number): boolean {
    return (document.parseResult.value as Module).declarations.some(declaration =>
        declaration.$cstNode !== undefined && declaration.$cstNode.offset < offset && offset <= declaration.$cstNode.end);
}

/** Compares both ways at random offsets of `text`; returns how many of them took the shortcut. */
async function compareAtRandomOffsets(text: string, random: Random, label: string): Promise<number> {
    const document = await documentOf(text);
    let inside = 0;
    for (let i = 0; i < OFFSETS_PER_TEXT; i++) {
        const offset = random.below(text.length + 1);
        if (insideDeclaration(document, offset)) inside++;
        const shortcut = describeFeatures(provider.findFeaturesAt.call(Uk.lsp.CompletionProvider, document.textDocument, offset));
        const whole = describeFeatures(fromTheTop.call(Uk.lsp.CompletionProvider, document.textDocument, offset));
        expect(shortcut, `${label} at offset ${offset}`).toEqual(whole);
    }
    return inside;
}

describe('what may come at an offset, parsed from its declaration or from the top of the file', () => {
    test.each(EXAMPLES)('%s and broken versions of it', async (name, text) => {
        const random = new Random(name.length * 7919 + text.length);
        let inside = await compareAtRandomOffsets(text, random, name);
        const edits = new EditGenerator(random, TOKENS, EXAMPLES.map(([, other]) => other), 2);
        let broken = text;
        for (let version = 1; version <= BROKEN_VERSIONS; version++) {
            for (let i = 0; i < 3; i++) broken = applyEdit(broken, edits.next(broken));
            inside += await compareAtRandomOffsets(broken, random, `${name}, broken version ${version}`);
        }
        // The comparison means something only where the shortcut is taken: most offsets are in a declaration.
        expect(inside).toBeGreaterThan((1 + BROKEN_VERSIONS) * OFFSETS_PER_TEXT / 2);
    });

    test('a text the tree was not parsed from is parsed from the top', async () => {
        // The edit (not yet parsed) moved the struct: its old start is now in the middle of its fields.
        const document = await documentOf('enum Mode : u8 { Read = 0, Write = 1 }\nstruct P { x: u32 }\n');
        const edited = TextDocument.create(document.uri.toString(), 'uk', 2, 'enum M : u8 { R = 0 }\nstruct P { x: u32, y: }\n');
        const offset = edited.getText().indexOf('y: ') + 3;
        expect(describeFeatures(provider.findFeaturesAt.call(Uk.lsp.CompletionProvider, edited, offset)))
            .toEqual(describeFeatures(fromTheTop.call(Uk.lsp.CompletionProvider, edited, offset)));
    });
});
