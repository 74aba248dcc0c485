// UI tests: the extension installed as a user has it, driven through the page with the keyboard and
// checked through the DOM of the workbench, as a person would see it. Each test saves a screenshot.
import * as path from 'node:path';

const WORKBENCH_TIMEOUT_MS = 90_000;
const STEP_TIMEOUT_MS = 60_000;

async function runCommand(page, title) {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(title);
    await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${title}")`, { timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press('Enter');
}

async function quickOpen(page, file) {
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
async function traceViewFrame(page) {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
        for (const frame of page.frames()) {
            if (await frame.$('#rows').catch(() => null)) return frame;
        }
        if (Date.now() > deadline) throw new Error('no Trace view appeared');
        await page.waitForTimeout(250);
    }
}

tests.push(['Run System with Trace shows the output and the typed calls, and a selected call opens its line', async (page, snap) => {
    await quickOpen(page, 'calculator.uk');
    await page.keyboard.press('Control+B');   // no side bar: room for the editor and the Trace view
    await runCommand(page, 'ukc: Run System with Trace');
    // The program's output in the run's terminal.
    await page.locator('.terminal-wrapper .xterm-rows').filter({ hasText: '1 / 0 -> DivideByZero' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.locator('.terminal-wrapper .xterm-rows').filter({ hasText: /system Demo finished at cycle \d+/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
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

export async function runUiTests({ browser, base, workspace, out, record, log, only }) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', error => log('page error:', String(error).slice(0, 300)));
    try {
        await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: WORKBENCH_TIMEOUT_MS });
        await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: WORKBENCH_TIMEOUT_MS });
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
