/**
 * Random edits of a uk text for the language server's fuzz test, from a seeded generator so that a failing
 * seed replays exactly: deleting spans, typing the grammar's tokens (keywords, punctuation, the starts of
 * comments and literals), names from the text itself, and pasting halves of other files.
 */

/** A small deterministic generator (mulberry32): every draw follows from the seed alone. */
export class Random {
    private state: number;

    constructor(seed: number) {
        this.state = seed >>> 0;
    }

    /** A number in [0, 1). */
    next(): number {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    /** An integer in [0, bound). */
    below(bound: number): number {
        return Math.floor(this.next() * bound);
    }

    chance(probability: number): boolean {
        return this.next() < probability;
    }

    pick<T>(items: readonly T[]): T {
        return items[this.below(items.length)];
    }
}

/** One edit: the text between offsets `start` and `end` is replaced by `text`. */
export interface TextEdit {
    readonly start: number;
    readonly end: number;
    readonly text: string;
    /** What kind of edit this is, for a failure message. */
    readonly kind: 'delete' | 'token' | 'name' | 'paste' | 'newline';
}

/** Pieces of text that are not grammar keywords but start tokens (or fail to): comments, literals, numbers. */
const LEXICAL_PIECES = ['//', '/*', '*/', '"', '"text"', "'", "'a'", '0', '7', '0x', '0xff', '1_000', '4294967296', '\\', '#', '$'];

export class EditGenerator {
    constructor(
        private readonly random: Random,
        /** The grammar's keywords and punctuation. */
        private readonly tokens: readonly string[],
        /** Texts to paste halves of. */
        private readonly sources: readonly string[],
        /** A text this many times longer than the original is only shortened, so that it stays editable. */
        private readonly maxLength: number
    ) {}

    next(text: string): TextEdit {
        const random = this.random;
        const at = random.below(text.length + 1);
        const roll = random.next();
        if (text.length > this.maxLength || roll < 0.35) {
            // Mostly short spans (a character, a word), sometimes several lines.
            const length = random.chance(0.8) ? 1 + random.below(12) : 1 + random.below(300);
            const start = Math.min(at, Math.max(0, text.length - 1));
            return { start, end: Math.min(text.length, start + length), text: '', kind: 'delete' };
        }
        if (roll < 0.7) {
            const token = random.chance(0.8) ? random.pick(this.tokens) : random.pick(LEXICAL_PIECES);
            const spaced = random.chance(0.5) ? ` ${token} ` : token;
            return { start: at, end: at, text: spaced, kind: 'token' };
        }
        if (roll < 0.85) {
            const names = text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? ['x'];
            return { start: at, end: at, text: random.pick(names), kind: 'name' };
        }
        if (roll < 0.92) return { start: at, end: at, text: '\n', kind: 'newline' };
        const source = random.pick(this.sources);
        const lines = source.split('\n');
        const middle = Math.floor(lines.length / 2);
        const half = random.chance(0.5) ? lines.slice(0, middle) : lines.slice(middle);
        return { start: at, end: at, text: half.join('\n'), kind: 'paste' };
    }
}

export function applyEdit(text: string, edit: TextEdit): string {
    return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}
