/**
 * The debug adapter as editors start it, `bin/ukc.js debug-adapter` (the command users configure), driven
 * by @vscode/debugadapter-testsupport's DebugClient.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import * as path from 'node:path';
import { ROOT } from '../cli/run-ukc.js';

const UKC = path.join(ROOT, 'bin/ukc.js');

/** A client of a fresh `ukc debug-adapter` process; `prepare` subscribes to events before it starts. */
export async function startDebugClient(prepare?: (client: DebugClient) => void): Promise<DebugClient> {
    const client = new DebugClient(UKC, 'debug-adapter', 'ukc');
    client.defaultTimeout = 20_000;
    prepare?.(client);
    await client.start();
    return client;
}
