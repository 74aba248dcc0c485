/**
 * A file system held in memory, for a browser, a web worker or a test: the same `FileSystemProvider`
 * Langium reads through, filled with `write`. Folders exist implicitly wherever a file's path passes.
 */
import { URI, type FileSystemNode, type FileSystemProvider } from 'langium';

export class MemoryFileSystem implements FileSystemProvider {
    private readonly files = new Map<string, Uint8Array>();

    /** Adds or replaces a file (text is stored as UTF-8). */
    write(uri: URI | string, content: string | Uint8Array): void {
        const key = typeof uri === 'string' ? URI.parse(uri).toString() : uri.toString();
        this.files.set(key, typeof content === 'string' ? new TextEncoder().encode(content) : content);
    }

    async stat(uri: URI): Promise<FileSystemNode> {
        return this.statSync(uri);
    }

    statSync(uri: URI): FileSystemNode {
        const key = uri.toString();
        if (this.files.has(key)) return { isFile: true, isDirectory: false, uri };
        if (this.isFolder(key)) return { isFile: false, isDirectory: true, uri };
        throw missing(uri);
    }

    async exists(uri: URI): Promise<boolean> {
        return this.existsSync(uri);
    }

    existsSync(uri: URI): boolean {
        const key = uri.toString();
        return this.files.has(key) || this.isFolder(key);
    }

    async readBinary(uri: URI): Promise<Uint8Array> {
        return this.readBinarySync(uri);
    }

    readBinarySync(uri: URI): Uint8Array {
        const bytes = this.files.get(uri.toString());
        if (!bytes) throw missing(uri);
        return bytes;
    }

    async readFile(uri: URI): Promise<string> {
        return this.readFileSync(uri);
    }

    readFileSync(uri: URI): string {
        return new TextDecoder().decode(this.readBinarySync(uri));
    }

    async readDirectory(uri: URI): Promise<FileSystemNode[]> {
        return this.readDirectorySync(uri);
    }

    readDirectorySync(uri: URI): FileSystemNode[] {
        const prefix = folderPrefix(uri.toString());
        if (!this.isFolder(uri.toString())) throw missing(uri);
        const entries = new Map<string, FileSystemNode>();
        for (const key of this.files.keys()) {
            if (!key.startsWith(prefix)) continue;
            const rest = key.slice(prefix.length);
            const slash = rest.indexOf('/');
            const name = slash < 0 ? rest : rest.slice(0, slash);
            const child = URI.parse(prefix + name);
            entries.set(name, { isFile: slash < 0, isDirectory: slash >= 0, uri: child });
        }
        return [...entries.values()];
    }

    private isFolder(key: string): boolean {
        const prefix = folderPrefix(key);
        for (const file of this.files.keys()) if (file.startsWith(prefix)) return true;
        return false;
    }
}

function folderPrefix(key: string): string {
    return key.endsWith('/') ? key : `${key}/`;
}

/** Shaped like Node's errors, so that callers that tell "missing" from other failures treat both alike. */
function missing(uri: URI): Error {
    return Object.assign(new Error(`no such file or folder: ${uri.toString()}`), { code: 'ENOENT' });
}
