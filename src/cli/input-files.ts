/**
 * Files named on the command line, for the session library: paths become URIs read through Node's file
 * system provider, and messages name them as the user typed them.
 */
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import * as path from 'node:path';
import { InputError, Session, readInput, type SourceInput } from '../session/checking.js';

export { InputError };

/** The file system every command reads through. */
export const nodeFiles = NodeFileSystem.fileSystemProvider();

/** A session over the real file system. */
export function nodeSession(): Session {
    return new Session(nodeFiles);
}

/** A path as typed (relative to `cwd`) as a session input. */
export function inputOf(file: string, cwd: string): SourceInput {
    return { uri: URI.file(path.resolve(cwd, file)), shownAs: file };
}

/** Reads a file a command names; failing is an input error that says why. */
export function readInputFile(file: string, cwd: string): Promise<Uint8Array> {
    return readInput(inputOf(file, cwd), nodeFiles);
}
