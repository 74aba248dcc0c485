/**
 * When a traced run opens its Trace view and its terminal (RunSurfaces): just after the first hints are
 * drawn, never in the same turn; at once when there are no hints to wait for; at the latest CALL_WAIT_MS
 * after the start, or when the run ends; once. And what they are sent meanwhile (Later): every call, in
 * order, nothing lost, checked against calling the target directly on random sequences.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { CALL_WAIT_MS, Later, RunSurfaces } from '../../extension/src/session-commands/run-surfaces.js';
import { xorshift32 } from '../random.js';

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

/** A gate whose opening is written to `log`, beside what the test writes there. */
function gate(waitForHints: boolean): { surfaces: RunSurfaces; log: string[] } {
    const log: string[] = [];
    return { surfaces: new RunSurfaces(() => log.push('open'), waitForHints), log };
}

test('with no hints to wait for they open at once, and once', () => {
    const { surfaces, log } = gate(false);
    expect(log).toEqual(['open']);
    expect(surfaces.openedFor).toBe('no hints to wait for');
    surfaces.hintsDrawn();
    surfaces.runEnded();
    vi.advanceTimersByTime(CALL_WAIT_MS * 2);
    expect(log).toEqual(['open']);
    expect(vi.getTimerCount()).toBe(0);
});

test('the first hints drawn open them on the next turn, after the hints, and the wait for a call ends', () => {
    const { surfaces, log } = gate(true);
    expect(log).toEqual([]);
    log.push('hints');
    surfaces.hintsDrawn();
    // Not in the same turn: the editor's message goes first.
    expect(log).toEqual(['hints']);
    expect(surfaces.openedFor).toBeUndefined();
    vi.advanceTimersByTime(0);
    expect(log).toEqual(['hints', 'open']);
    expect(surfaces.openedFor).toBe('hints drawn');
    // Later hints and the run's end open nothing more; no timer is left.
    surfaces.hintsDrawn();
    surfaces.runEnded();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(CALL_WAIT_MS * 2);
    expect(log).toEqual(['hints', 'open']);
});

test('hints drawn again before they open schedule no second opening', () => {
    const { surfaces, log } = gate(true);
    surfaces.hintsDrawn();
    surfaces.hintsDrawn();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(0);
    expect(log).toEqual(['open']);
});

test('a run with no call by CALL_WAIT_MS gets its view and terminal then, without hints', () => {
    const { surfaces, log } = gate(true);
    vi.advanceTimersByTime(CALL_WAIT_MS - 1);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['open']);
    expect(surfaces.openedFor).toBe('no call yet');
    surfaces.hintsDrawn();
    vi.advanceTimersByTime(0);
    surfaces.runEnded();
    expect(log).toEqual(['open']);
});

test('a run that ends without hints opens them at once', () => {
    const { surfaces, log } = gate(true);
    vi.advanceTimersByTime(CALL_WAIT_MS / 2);
    surfaces.runEnded();
    expect(log).toEqual(['open']);
    expect(surfaces.openedFor).toBe('run ended');
    expect(vi.getTimerCount()).toBe(0);
});

test('a run that ends in the turn its first hints are drawn still opens them after the hints', () => {
    // The calculator's whole run fits in one slice: its first hints are drawn when it has ended.
    const { surfaces, log } = gate(true);
    log.push('hints');
    surfaces.hintsDrawn();
    surfaces.runEnded();
    expect(log).toEqual(['hints']);
    vi.advanceTimersByTime(0);
    expect(log).toEqual(['hints', 'open']);
    expect(surfaces.openedFor).toBe('hints drawn');
});

test('calls made before the target is there reach it on arrival, in order; later ones at once', () => {
    const later = new Later<string[]>();
    const target: string[] = [];
    expect(later.is(() => true)).toBe(false);
    later.call(log => log.push('reset'));
    later.call(log => log.push('row 0'));
    expect(target).toEqual([]);
    later.arrived(target);
    expect(target).toEqual(['reset', 'row 0']);
    later.call(log => log.push('row 1'));
    expect(target).toEqual(['reset', 'row 0', 'row 1']);
    expect(later.is(log => log.length === 3)).toBe(true);
    expect(later.is(log => log.length === 0)).toBe(false);
});

test('random sequences: the target gets exactly what it would have got at once, wherever it arrives', () => {
    for (let seed = 1; seed <= 200; seed++) {
        const random = xorshift32(seed);
        const count = random() % 50;
        const arrival = random() % (count + 1);
        const later = new Later<number[]>();
        const target: number[] = [];
        const direct: number[] = [];
        for (let index = 0; index < count; index++) {
            if (index === arrival) later.arrived(target);
            const value = random();
            later.call(log => log.push(value));
            direct.push(value);
        }
        if (arrival === count) later.arrived(target);
        expect(target, `seed ${seed}`).toEqual(direct);
    }
});
