/**
 * The trace view's page (runs inside the webview, bundled for the browser): one lane per instance,
 * events top to bottom in emulated-cycle order, calls and replies as arrows between lanes. Only the rows
 * in the viewport are in the DOM (TraceViewModel.window), so scrolling 100,000 events costs the same as
 * scrolling 50. Selecting a row shows its decoded values and asks the extension to open its source line.
 */
import type { RowKind, TraceRow } from '../trace-model/trace-row.js';
import { NO_FILTER, TraceViewModel, type RowFilter } from '../trace-model/trace-view-model.js';
import type { FromView, ToView } from './protocol.js';

declare function acquireVsCodeApi(): { postMessage(message: FromView): void };

const ROW_HEIGHT = 22;
const STAMP_WIDTH = 64;
const LANE_WIDTH = 72;

const vscode = acquireVsCodeApi();
const model = new TraceViewModel();
let selected: number | undefined;
let follow = true;
let drawScheduled = false;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const scroller = element<HTMLDivElement>('scroller');
const spacer = element<HTMLDivElement>('spacer');
const rowsLayer = element<HTMLDivElement>('rows');
const lanesHeader = element<HTMLDivElement>('lanes');
const details = element<HTMLDivElement>('details');
const outcome = element<HTMLDivElement>('outcome');
const counter = element<HTMLSpanElement>('count');
const filters = {
    instances: element<HTMLSelectElement>('filter-instance'),
    interfaces: element<HTMLSelectElement>('filter-interface'),
    methods: element<HTMLSelectElement>('filter-method'),
    kinds: element<HTMLSelectElement>('filter-kind')
};

function laneX(lane: string): number {
    const position = model.lanes.indexOf(lane);
    return STAMP_WIDTH + (position < 0 ? 0 : position) * LANE_WIDTH + LANE_WIDTH / 2;
}

function scheduleDraw(): void {
    if (drawScheduled) return;
    drawScheduled = true;
    requestAnimationFrame(() => {
        drawScheduled = false;
        draw();
    });
}

/** Redraws the lanes header and the rows in the viewport. */
function draw(): void {
    const width = STAMP_WIDTH + Math.max(1, model.lanes.length) * LANE_WIDTH;
    spacer.style.height = `${model.count * ROW_HEIGHT}px`;
    spacer.style.width = `${width + 400}px`;
    lanesHeader.replaceChildren(...model.lanes.map(lane => {
        const head = document.createElement('div');
        head.className = 'lane-head';
        head.textContent = lane;
        head.title = lane;
        head.style.left = `${laneX(lane) - LANE_WIDTH / 2}px`;
        head.style.width = `${LANE_WIDTH}px`;
        return head;
    }));
    counter.textContent = model.count === model.total ? `${model.total} events` : `${model.count} of ${model.total} events`;
    const view = model.window(scroller.scrollTop, scroller.clientHeight, ROW_HEIGHT);
    const fragment = document.createDocumentFragment();
    view.rows.forEach((row, offset) => fragment.appendChild(rowElement(row, view.top + offset * ROW_HEIGHT, width)));
    rowsLayer.replaceChildren(fragment);
}

const ARROW_KINDS: ReadonlySet<RowKind> = new Set(['call', 'send', 'reply', 'signal', 'restart']);

function rowElement(row: TraceRow, top: number, width: number): HTMLElement {
    // `width` covers the stamp and the lanes; the label runs on to the right of them.
    const line = document.createElement('div');
    line.className = `row kind-${row.kind}${row.error ? ' error' : ''}${row.index === selected ? ' selected' : ''}`;
    line.style.top = `${top}px`;
    line.style.width = `${width + 400}px`;
    line.dataset.index = String(row.index);
    const stamp = document.createElement('span');
    stamp.className = 'stamp';
    stamp.textContent = String(row.cycle);
    line.appendChild(stamp);
    for (const lane of model.lanes) {
        const guide = document.createElement('span');
        guide.className = 'guide';
        guide.style.left = `${laneX(lane)}px`;
        line.appendChild(guide);
    }
    const start = laneX(row.from);
    const end = row.to !== undefined && ARROW_KINDS.has(row.kind) ? laneX(row.to) : start;
    const arrow = document.createElement('span');
    arrow.className = end === start ? 'dot' : `arrow ${end > start ? 'right' : 'left'}`;
    arrow.style.left = `${Math.min(start, end)}px`;
    arrow.style.width = `${Math.abs(end - start)}px`;
    line.appendChild(arrow);
    const label = document.createElement('span');
    label.className = 'label';
    // Labels line up in one column right of the lanes, so the trace reads as a list too.
    label.style.left = `${STAMP_WIDTH + model.lanes.length * LANE_WIDTH + 8}px`;
    label.textContent = row.label;
    line.appendChild(label);
    if (row.fastpath !== undefined) {
        const path = document.createElement('span');
        path.className = row.fastpath ? 'tag fast' : 'tag slow';
        path.textContent = row.fastpath ? 'fast' : 'slow';
        label.appendChild(path);
    }
    return line;
}

function showDetails(row: TraceRow): void {
    const lines = [
        `${row.label}`,
        `cycle ${row.cycle}, ${row.kind}: ${row.from}${row.to !== undefined ? ` → ${row.to}` : ''}${row.fastpath === undefined ? '' : row.fastpath ? ', fastpath' : ', slow path'}${row.elapsed !== undefined ? `, ${row.elapsed} cycles after the call` : ''}`,
        ...row.details
    ];
    details.replaceChildren(...lines.map((text, index) => {
        const line = document.createElement('div');
        line.className = index === 0 ? 'details-title' : 'details-line';
        line.textContent = text;
        return line;
    }));
    for (const [name, location] of [['call site', row.site], ['handler', row.handler]] as const) {
        if (location === undefined) continue;
        details.appendChild(link(`${name}: ${location}`, location));
    }
}

function link(text: string, location: string): HTMLElement {
    const anchor = document.createElement('a');
    anchor.className = 'source-link';
    anchor.textContent = text;
    anchor.href = '#';
    anchor.addEventListener('click', event => {
        event.preventDefault();
        vscode.postMessage({ type: 'open', location });
    });
    const line = document.createElement('div');
    line.appendChild(anchor);
    return line;
}

/** Selects a row of the whole trace: details, the row scrolled into view, and its source line opened. */
function select(index: number): void {
    const row = model.row(index);
    if (!row) return;
    selected = index;
    showDetails(row);
    const position = model.positionOf(index);
    if (position >= 0) {
        const top = position * ROW_HEIGHT;
        if (top < scroller.scrollTop || top + ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top - scroller.clientHeight / 2;
    }
    follow = false;
    const location = row.site ?? row.handler;
    if (location !== undefined) vscode.postMessage({ type: 'open', location });
    scheduleDraw();
}

function fillFilterMenus(): void {
    const facets = model.facets();
    const fill = (menu: HTMLSelectElement, values: readonly string[], all: string) => {
        const current = menu.value;
        if (menu.options.length === values.length + 1) return;
        menu.replaceChildren(new Option(all, ''), ...values.map(value => new Option(value, value)));
        menu.value = values.includes(current) ? current : '';
    };
    fill(filters.instances, facets.instances, 'all instances');
    fill(filters.interfaces, facets.interfaces, 'all interfaces');
    fill(filters.methods, facets.methods, 'all methods');
    fill(filters.kinds, facets.kinds, 'all kinds');
}

function currentFilter(): RowFilter {
    const one = <T extends string>(menu: HTMLSelectElement) => new Set<T>(menu.value === '' ? [] : [menu.value as T]);
    return { instances: one(filters.instances), interfaces: one(filters.interfaces), methods: one(filters.methods), kinds: one<RowKind>(filters.kinds) };
}

for (const menu of Object.values(filters)) {
    menu.addEventListener('change', () => {
        model.setFilter(currentFilter());
        scroller.scrollTop = 0;
        scheduleDraw();
    });
}
scroller.addEventListener('scroll', () => {
    follow = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - ROW_HEIGHT;
    // The header scrolls sideways with the rows.
    lanesHeader.style.transform = `translateX(${-scroller.scrollLeft}px)`;
    scheduleDraw();
});
rowsLayer.addEventListener('click', event => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('.row');
    if (row?.dataset.index !== undefined) select(Number(row.dataset.index));
});
element<HTMLButtonElement>('export').addEventListener('click', () => vscode.postMessage({ type: 'export' }));
window.addEventListener('resize', scheduleDraw);

window.addEventListener('message', (event: MessageEvent<ToView>) => {
    const message = event.data;
    switch (message.type) {
        case 'reset':
            model.clear();
            model.setFilter(NO_FILTER);
            selected = undefined;
            follow = true;
            document.title = message.title;
            element<HTMLSpanElement>('title').textContent = message.title;
            outcome.replaceChildren();
            details.replaceChildren();
            for (const menu of Object.values(filters)) menu.replaceChildren();
            scheduleDraw();
            return;
        case 'rows':
            model.append(message.rows);
            fillFilterMenus();
            if (follow) scroller.scrollTop = model.count * ROW_HEIGHT;
            scheduleDraw();
            return;
        case 'outcome':
            outcome.className = message.ok ? 'outcome ok' : 'outcome failed';
            outcome.replaceChildren(...message.lines.map(line => {
                if (line.location === undefined) {
                    const text = document.createElement('div');
                    text.textContent = line.text;
                    return text;
                }
                return link(line.text, line.location);
            }));
            return;
    }
});
vscode.postMessage({ type: 'ready' });
