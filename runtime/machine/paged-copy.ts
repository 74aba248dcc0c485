/**
 * Copies of byte arrays (RAM, a disk) page by page, sharing every page that did not change with the copy
 * taken before, and no page at all for zeros: a series of snapshots of a run costs the pages its program
 * writes, not the size of RAM each time. Restoring writes back only the pages that differ and names them,
 * so that whoever caches something derived from a page (decoded code) drops exactly those.
 */
import { PAGE_SHIFT, PAGE_SIZE } from './memory.js';

/** One copy: a page per index (as 32-bit words), undefined for an all-zero page. Pages are shared and never written. */
export interface PagedCopy {
    readonly length: number;
    readonly pages: readonly (Int32Array | undefined)[];
}

const WORDS_PER_PAGE = PAGE_SIZE >>> 2;

/**
 * Copies `bytes` (a multiple of PAGE_SIZE long), reusing `previous`'s page objects where the contents are
 * equal. `pageLimit` bounds the pages looked at (a RAM's high-water mark); pages past it must be zero.
 */
export function capturePages(bytes: Uint8Array, previous?: PagedCopy, pageLimit = bytes.length >>> PAGE_SHIFT): PagedCopy {
    const pages = new Array<Int32Array | undefined>(bytes.length >>> PAGE_SHIFT);
    const words = wordsOf(bytes);
    const shared = previous !== undefined && previous.length === bytes.length ? previous : undefined;
    for (let page = 0; page < pageLimit; page++) {
        const old = shared?.pages[page];
        const first = page * WORDS_PER_PAGE;
        if (old !== undefined ? equal(words, first, old) : isZero(words, first)) {
            pages[page] = old;
            continue;
        }
        pages[page] = words.slice(first, first + WORDS_PER_PAGE);
    }
    return { length: bytes.length, pages };
}

/**
 * Writes `copy` back into `bytes`; calls `changed` with each page whose contents it replaced. Pages from
 * `pageLimit` on must be zero in both.
 */
export function restorePages(bytes: Uint8Array, copy: PagedCopy, changed: (page: number) => void = () => {}, pageLimit = bytes.length >>> PAGE_SHIFT): void {
    const words = wordsOf(bytes);
    for (let page = 0; page < pageLimit; page++) {
        const saved = copy.pages[page];
        const first = page * WORDS_PER_PAGE;
        if (saved !== undefined ? equal(words, first, saved) : isZero(words, first)) continue;
        if (saved !== undefined) words.set(saved, first);
        else words.fill(0, first, first + WORDS_PER_PAGE);
        changed(page);
    }
}

/** The bytes as 32-bit words (RAM and disks are whole pages, so always a multiple of 4 long and aligned). */
function wordsOf(bytes: Uint8Array): Int32Array {
    return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
}

function equal(words: Int32Array, first: number, page: Int32Array): boolean {
    for (let i = 0; i < WORDS_PER_PAGE; i++) if (words[first + i] !== page[i]) return false;
    return true;
}

function isZero(words: Int32Array, first: number): boolean {
    for (let i = first; i < first + WORDS_PER_PAGE; i++) if (words[i] !== 0) return false;
    return true;
}
