/**
 * The files the session library reads, as the editor has them: an open document's text (saved or not),
 * otherwise the file on disk. So Run and Compile act on what the user sees.
 */
import type { URI } from 'langium';
import { NodeFileSystemProvider } from 'langium/node';
import * as vscode from 'vscode';

export class EditorFileSystem extends NodeFileSystemProvider {
    private openText(uri: URI): string | undefined {
        const key = uri.toString();
        return vscode.workspace.textDocuments.find(document => document.uri.toString() === key)?.getText();
    }

    override async readFile(uri: URI): Promise<string> {
        return this.openText(uri) ?? super.readFile(uri);
    }

    override readFileSync(uri: URI): string {
        return this.openText(uri) ?? super.readFileSync(uri);
    }

    override async readBinary(uri: URI): Promise<Uint8Array> {
        const text = this.openText(uri);
        return text !== undefined ? new TextEncoder().encode(text) : super.readBinary(uri);
    }
}
