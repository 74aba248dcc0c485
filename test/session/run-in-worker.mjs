// Runs inside a worker thread, as a browser's web worker would: it sees only dist/session.js and the source
// files it is handed (an in-memory file system), never Node's file system. It checks, compiles, boots and
// runs the system with a readable trace and posts back what a terminal would have shown.
import { parentPort, workerData } from 'node:worker_threads';

const { bundle, files, main } = workerData;
const session = await import(bundle);
const memory = new session.MemoryFileSystem();
for (const [uri, text] of Object.entries(files)) memory.write(uri, text);

const chunks = [];
const out = new session.OutputBuffer(bytes => chunks.push(bytes.slice()));
const compiled = await new session.Session(memory).compile({ uri: session.URI.parse(main), shownAs: main });
if (compiled.kind !== 'compiled') {
    parentPort.postMessage({ error: compiled.diagnostics.map(d => d.message).join('\n') });
} else {
    const run = session.bootRunnable(compiled.system, { console: out });
    const sinks = new session.TraceSinks(run, { lines: out });
    const outcome = await run.run();
    out.flush();
    sinks.finish();
    const text = chunks.map(bytes => new TextDecoder().decode(bytes)).join('');
    parentPort.postMessage({ text, outcome: outcome.kind, name: run.name });
}
