/**
 * An image directory on disk, read back through the session library for `ukc run`.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { readImageDirectory, type RunnableSystem } from '../session/index.js';

export async function isImageDirectory(target: string): Promise<boolean> {
    try {
        return (await stat(target)).isDirectory();
    } catch {
        return false;
    }
}

/** Reads the image directory `folder` (shown as `shownAs`); a damaged one is an `ImageError`. */
export function readImageFolder(folder: string, shownAs: string): Promise<RunnableSystem> {
    const read = async (file: string): Promise<Uint8Array | undefined> => {
        try {
            return new Uint8Array(await readFile(path.join(folder, file)));
        } catch {
            return undefined;
        }
    };
    // Images written before debug.json recorded the system's name are named after their folder.
    return readImageDirectory(read, shownAs, path.basename(folder).replace(/\.image$/, ''));
}
