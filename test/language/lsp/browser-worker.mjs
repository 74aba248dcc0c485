// A worker thread that stands in for a browser's web worker: `self` is given the one thing a dedicated
// worker's global scope offers the server, a port to post and receive messages on (one end of the message
// channel the test holds the other end of), and the browser bundle is loaded and started there with the
// workspace's files in a MemoryFileSystem, or (without files) with its default, no file system at all.
// The bundle itself neither knows nor imports Node.
import { workerData } from 'node:worker_threads';

globalThis.self = workerData.endpoint;
const { MemoryFileSystem, startUkBrowserLanguageServer } = await import(workerData.bundle);
if (workerData.files) {
    const fileSystem = new MemoryFileSystem();
    for (const [uri, text] of Object.entries(workerData.files)) fileSystem.write(uri, text);
    startUkBrowserLanguageServer({ fileSystem });
} else {
    startUkBrowserLanguageServer();
}
