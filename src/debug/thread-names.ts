/** Threads are named `component` or `component.thread`: the component a thread belongs to. */
export function componentOf(thread: string): string {
    const dot = thread.indexOf('.');
    return dot > 0 ? thread.slice(0, dot) : thread;
}
