// UI tests: the extension installed as a user has it, driven through the page with the keyboard and
// checked through the DOM of the workbench, as a person would see it. Each test saves a screenshot.
import * as path from 'node:path';

const WORKBENCH_TIMEOUT_MS = 90_000;
const STEP_TIMEOUT_MS = 60_000;

export async function runCommand(page, title) {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(title);
    await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${title}")`, { timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press('Enter');
}

export async function quickOpen(page, file) {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(file);
    await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${file}")`, { timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.tab:has-text("${file}")`, { timeout: STEP_TIMEOUT_MS });
}

/** Puts the cursor at a 1-based line and column with Go to Line (Ctrl+G takes `line:column`). */
async function goTo(page, line, column) {
    await page.keyboard.press('Control+G');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(`${line}:${column}`);
    // Enter before the picker has read the line goes nowhere.
    await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("line ${line} at column ${column}")`, { timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-widget', { state: 'hidden' });
}

const tests = [
    ['a .uk file opens in the uk language with its grammar\'s colours', async page => {
        await quickOpen(page, 'calculator.uk');
        const mode = page.locator('.statusbar-item[id="status.editor.mode"]');
        await mode.filter({ hasText: /^\s*uk\s*$/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
        // A keyword gets another colour than a plain name: the TextMate grammar is in use.
        const colours = await page.waitForFunction(() => {
            const colourOf = text => {
                const span = [...document.querySelectorAll('.view-lines .view-line span span')].find(candidate => candidate.textContent?.trim() === text);
                return span ? getComputedStyle(span).color : undefined;
            };
            const found = { keyword: colourOf('interface'), name: colourOf('Calculator') };
            return found.keyword && found.name ? found : undefined;
        }, undefined, { timeout: STEP_TIMEOUT_MS }).then(handle => handle.jsonValue());
        if (colours.keyword === colours.name) throw new Error(`keyword not coloured: ${JSON.stringify(colours)}`);
    }],
    ['the Problems panel lists a mistake as it is typed and clears when it is undone', async (page, snap) => {
        await goTo(page, 24, 20);   // after `reply a + b` in Calc.add
        await page.keyboard.type('x');
        await page.keyboard.press('Control+Shift+M');
        await page.waitForSelector('.markers-panel .monaco-list-row:has-text("Unknown name \'bx\'.")', { timeout: STEP_TIMEOUT_MS });
        await page.waitForSelector('.squiggly-error', { timeout: STEP_TIMEOUT_MS });
        await snap('mistake');
        await page.keyboard.press('Control+1');   // the Problems panel has the focus: back to the editor
        await page.keyboard.press('Backspace');
        await page.waitForSelector('.markers-panel .monaco-list-row', { state: 'detached', timeout: STEP_TIMEOUT_MS });
    }],
    ['hovering a method shows its message layout', async page => {
        await goTo(page, 8, 6);     // `div` in interface Calculator
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        const hover = page.locator('.monaco-hover').filter({ hasText: 'Calculator.div' });
        await hover.waitFor({ timeout: STEP_TIMEOUT_MS });
        const text = await hover.innerText();
        for (const row of ['request  label 2, 2 words in registers, fastpath', 'MR1     a3      0..31   remainder: i32']) {
            if (!text.includes(row)) throw new Error(`the hover lacks '${row}':\n${text}`);
        }
    }]
];

/** The frame of the Trace view's page (a webview is an iframe inside an iframe). */
export async function traceViewFrame(page) {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
        for (const frame of page.frames()) {
            if (await frame.$('#rows').catch(() => null)) return frame;
        }
        if (Date.now() > deadline) throw new Error('no Trace view appeared');
        await page.waitForTimeout(250);
    }
}

/**
 * The lines of the editor in view that end in a call hint, top to bottom, each as `code => hint` (the hint is
 * a decoration whose text CSS draws after the line).
 */
const callHintsShown = () => [...document.querySelectorAll('.editor-instance .view-lines .view-line')]
    .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
    .flatMap(line => {
        const drawn = [...line.querySelectorAll('span[class*="ced-"]')].map(span => getComputedStyle(span, '::after').content).find(content => content.startsWith('"'));
        return drawn === undefined ? [] : [`${line.textContent.replace(/\u00a0/g, ' ').trim()} => ${JSON.parse(drawn)}`];
    });

tests.push(['Run System with Trace shows the output and the typed calls, and a selected call opens its line', async (page, snap) => {
    await quickOpen(page, 'calculator.uk');
    await page.keyboard.press('Control+B');   // no side bar: room for the editor and the Trace view
    await runCommand(page, 'ukc: Run System with Trace');
    await page.locator('.terminal-wrapper .xterm-rows').filter({ hasText: /system Demo finished at cycle \d+/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
    // The handler in view (line 22: the panel covers the rest) ends in its latest call and reply, and how
    // many calls it served.
    await waitForValue(page, 'the call hints in the editor', callHintsShown,
        ['on add(a, b) { => Calculator.add(a=2147483647, b=1) = error CalcError.Overflow  (2 calls)']);
    await snap('call-hints');
    // The page holds only the rows in the terminal's view: the panel maximized shows all the run wrote.
    await runCommand(page, 'View: Toggle Maximized Panel');
    // The program's output in the run's terminal.
    await page.locator('.terminal-wrapper .xterm-rows').filter({ hasText: '1 / 0 -> DivideByZero' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    // The window's first webview takes seconds to start; the run (0.1 s) ends long before, so its events are
    // in the terminal too, as `ukc run --trace` writes them, from the first call to the last reply.
    for (const line of ['[ 1271] client -> calc Calculator.add(a=40, b=2) fast', 'client <- calc Calculator.div = error CalcError.DivideByZero fast, 740 cycles']) {
        await page.locator('.terminal-wrapper .xterm-rows').filter({ hasText: line }).waitFor({ timeout: STEP_TIMEOUT_MS });
    }
    await snap('terminal');
    await runCommand(page, 'View: Toggle Maximized Panel');
    const view = await traceViewFrame(page);
    await view.locator('#outcome').filter({ hasText: /system Demo finished at cycle \d+/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
    // Typed calls, their error replies; the window starts at the end of the run, so filter to the method.
    await view.selectOption('#filter-method', 'Calculator.div');
    const call = view.locator('.row', { hasText: 'Calculator.div(a=1, b=0)' });
    await call.waitFor({ timeout: STEP_TIMEOUT_MS });
    await view.locator('.row.error', { hasText: 'Calculator.div = error CalcError.DivideByZero' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await call.click();
    await view.locator('#details').filter({ hasText: 'b = 0' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    // The call site: calculator.uk line 55, column 9 (`calc.div(1, 0) catch e {`).
    await page.locator('.statusbar-item', { hasText: 'Ln 55, Col 9' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.locator('.tab.active', { hasText: 'calculator.uk' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await snap('selected');
}]);

/** The glyph margin's middle beside a 1-based line of the editor, which must be in view. */
async function gutterPoint(page, line) {
    const number = page.locator('.editor-instance .margin-view-overlays .line-numbers').filter({ hasText: new RegExp(`^${line}$`) });
    const glyphs = page.locator('.editor-instance .margin .glyph-margin').first();
    const [row, margin] = await Promise.all([number.boundingBox(), glyphs.boundingBox()]);
    if (!row || !margin) throw new Error(`line ${line} or the glyph margin is not in view`);
    return { x: margin.x + margin.width / 2, y: row.y + row.height / 2 };
}

/** The lines that have a breakpoint, as the glyph margin shows them (the line numbers beside their dots). */
const breakpointLines = () => {
    const numbers = [...document.querySelectorAll('.editor-instance .margin-view-overlays .line-numbers')];
    const lineAt = y => numbers.find(number => { const box = number.getBoundingClientRect(); return y >= box.top && y < box.bottom; })?.textContent?.trim();
    return [...document.querySelectorAll('.editor-instance .codicon-debug-breakpoint')]
        .map(dot => { const box = dot.getBoundingClientRect(); return Number(lineAt(box.top + box.height / 2)); });
};

/** Polls `probe` (run in the page) until it returns `expected` (compared as JSON); fails saying what it last saw. */
async function waitForValue(page, what, probe, expected) {
    const want = JSON.stringify(expected);
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
        const seen = await page.evaluate(probe);
        if (JSON.stringify(seen) === want) return;
        if (Date.now() > deadline) throw new Error(`${what}: expected ${want}, saw ${JSON.stringify(seen)}`);
        await page.waitForTimeout(100);
    }
}

/** What the Variables view lists below its open scopes, each variable as its row reads (`a = 17`). */
const variablesShown = () => [...document.querySelectorAll('.debug-variables .monaco-list-row .expression')].map(expression => {
    const texts = [];
    for (const walker = document.createTreeWalker(expression, NodeFilter.SHOW_TEXT); walker.nextNode();) texts.push(walker.currentNode.textContent.trim());
    return texts.filter(text => text !== '').join(' ');
});

/** The Call Stack view's rows as they read: threads with their state, frames with their file and line. */
const callStackShown = () => [...document.querySelectorAll('.debug-call-stack .monaco-list-row')].map(row => {
    const texts = [];
    for (const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT); walker.nextNode();) texts.push(walker.currentNode.textContent.trim());
    return texts.filter(text => text !== '').join(' ');
});

/** Opens a row of a tree view (a scope, a thread) by its twistie, as a person clicks it, unless it is open. */
async function expandRow(page, view, label) {
    const row = page.locator(`${view} .monaco-list-row`, { hasText: label }).first();
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    if (await row.getAttribute('aria-expanded') === 'false') await row.locator('.monaco-tl-twistie').click();
}

/** Presses a button of the floating debug toolbar, found by its icon. */
async function debugToolbar(page, icon) {
    await page.locator(`.debug-toolbar .action-label.codicon-${icon}`).click();
}

tests.push(['Debug System from the code lens stops at a gutter breakpoint in the server, steps into the server from the client, and runs to the end', async (page, snap) => {
    await runCommand(page, 'View: Close All Editors');
    await quickOpen(page, 'calculator.uk');
    // Line 28 is the first statement of Calc's div handler: `if b == 0 { raise CalcError.DivideByZero }`.
    await goTo(page, 28, 9);
    const gutter = await gutterPoint(page, 28);
    await page.mouse.move(gutter.x, gutter.y);
    await page.mouse.click(gutter.x, gutter.y);
    await waitForValue(page, 'the breakpoint dots in the glyph margin', breakpointLines, [28]);
    await snap('breakpoint');

    // The system's code lens (line 71, `system Demo`): Run | Debug | Trace.
    await goTo(page, 71, 8);
    await page.locator('.codelens-decoration a', { hasText: /^Debug$/ }).click();
    await page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    // Stopped in the server's handler for the client's first div call, calc.div(17, 5).
    await page.locator('.statusbar-item', { hasText: 'Ln 28, Col 9' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await expandRow(page, '.debug-variables', 'Arguments');
    await expandRow(page, '.debug-call-stack', 'calc (runnable)');
    await waitForValue(page, 'the Variables view at the breakpoint', variablesShown, ['a = 17', 'b = 5']);
    await waitForValue(page, 'the Call Stack view at the breakpoint', callStackShown,
        ['calc (runnable) Paused on breakpoint', 'Calc.div calculator.uk 28:9', 'client waits for the reply from calc Paused']);
    await snap('stopped');

    // The dot is clicked away, so that what stops in the handler next is the step into it.
    const dot = await gutterPoint(page, 28);
    await page.mouse.move(dot.x, dot.y);
    await page.mouse.click(dot.x, dot.y);
    await waitForValue(page, 'the breakpoint dots in the glyph margin', breakpointLines, []);
    // Out of the handler: back in the client once the reply arrived, at the call it made.
    await debugToolbar(page, 'debug-step-out');
    await page.locator('.statusbar-item', { hasText: 'Ln 49, Col 9' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    // Over `print(...)` to the next call, `calc.div(1, 0) catch e {` on line 55.
    await debugToolbar(page, 'debug-step-over');
    await page.locator('.statusbar-item', { hasText: 'Ln 53, Col 9' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await debugToolbar(page, 'debug-step-over');
    await page.locator('.statusbar-item', { hasText: 'Ln 55, Col 9' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    // Into the call: through the endpoint, into the server's handler, in the other address space.
    await debugToolbar(page, 'debug-step-into');
    await page.locator('.statusbar-item', { hasText: 'Ln 28, Col 9' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await expandRow(page, '.debug-variables', 'Arguments');
    await expandRow(page, '.debug-call-stack', 'calc (runnable)');
    await waitForValue(page, 'the Variables view after stepping into the server', variablesShown, ['a = 1', 'b = 0']);
    await waitForValue(page, 'the Call Stack view after stepping into the server', callStackShown,
        ['calc (runnable) Paused on step', 'Calc.div calculator.uk 28:9', 'client waits for the reply from calc Paused',
            // The client, stepped in from, stays open: it waits in the endpoint's stub, called from line 55.
            'stub.calc.div Unknown Source 0', 'Client.main calculator.uk 55:9']);
    await snap('stepped-into-server');

    // Continue to the end: the session ends and the Debug Console holds the program's output.
    await debugToolbar(page, 'debug-continue');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
    if (!await page.locator('.repl').isVisible()) await page.keyboard.press('Control+Shift+Y');
    await waitForValue(page, 'the Debug Console', () => (document.querySelector('.repl .monaco-list-rows')?.innerText ?? '').split('\n').filter(line => line.trim() !== ''),
        ['40 + 2 = 42', '17 / 5 = 3 rem 2', '1 / 0 -> DivideByZero', 'I32_MAX + 1 -> Overflow', 'square(65536) -> Overflow']);
    await snap('ended');
}]);

/** Loads the workbench at `url` and waits until the Explorer lists the workspace. */
export async function openWorkbench(page, url) {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: WORKBENCH_TIMEOUT_MS });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: WORKBENCH_TIMEOUT_MS });
}

export async function runUiTests({ browser, base, workspace, out, record, log, only }) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', error => log('page error:', String(error).slice(0, 300)));
    try {
        await openWorkbench(page, `${base}/?folder=${encodeURIComponent(workspace)}`);
    } catch (error) {
        record('the workbench opens', error);
        await page.screenshot({ path: path.join(out, 'ui-workbench.png') }).catch(() => {});
        await page.close();
        return;
    }
    for (const [name, body] of tests) {
        if (only && !name.includes(only)) continue;
        const shot = path.join(out, `ui-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.png`);
        try {
            await body(page, suffix => page.screenshot({ path: shot.replace(/\.png$/, `-${suffix}.png`) }));
            record(`ui: ${name}`);
        } catch (error) {
            record(`ui: ${name}`, error);
        }
        await page.screenshot({ path: shot }).catch(() => {});
        await page.keyboard.press('Escape');
    }
    await page.close();
}
