// The dashboard bundle in a real browser (headless chromium) under the panel's exact Content Security Policy,
// with the extension side played by its own modules (run index, requests) over a run store on disk. Checks that
// the page runs with no CSP violation or error, that every view shows the numbers the analysis gives, and that
// the interactions (cost axis, budget, selection from table and keyboard, detail, significance, exports) work.
// Skipped when no chromium is installed (CI installs it with the VS Code harness).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { dashboardHtml } from '../../../src/extension/dashboard/html';
import { renderHtmlReport } from '../../../src/extension/dashboard/html-report';
import { DashboardRequests } from '../../../src/extension/dashboard/requests';
import { RunIndex } from '../../../src/extension/dashboard/run-index';
import { checkViewMessage, type HostMessage, type ViewMessage } from '../../../webview/dashboard/protocol';
import { makeStore } from './world';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const chromiumPath = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));

/** Plays the extension: answers the page's requests with the real host modules. */
class FakeExtension {
  private seen = 0;
  readonly exports: ViewMessage[] = [];
  constructor(private readonly page: Page, readonly index: RunIndex, private readonly requests: DashboardRequests) {}

  async send(m: HostMessage | unknown): Promise<void> {
    await this.page.evaluate((msg) => window.postMessage(msg, '*'), m);
  }

  async posted(): Promise<ViewMessage[]> {
    return (await this.page.evaluate(() => (window as unknown as { __dashboardPosted: unknown[] }).__dashboardPosted)).map((m) => checkViewMessage(m));
  }

  /** Answers every new request; returns the new messages. */
  async pump(): Promise<ViewMessage[]> {
    await this.page.waitForTimeout(50);
    const all = await this.posted();
    const fresh = all.slice(this.seen);
    this.seen = all.length;
    for (const m of fresh) {
      if (m.type === 'compare') {
        await this.send({ type: 'comparisons', requestId: m.requestId, results: m.pairs.map((p) => ({ key: p.key, ...this.requests.compare(p.a, p.b) })) });
      } else if (m.type === 'detail') {
        const { details, problem } = this.requests.detail(m.refs);
        const msg: HostMessage = { type: 'detail', requestId: m.requestId, details, ...(problem ? { problem } : {}) };
        if (m.refs.length === 2) msg.disagreements = await this.requests.disagreements(m.refs[0], m.refs[1]);
        await this.send(msg);
      } else if (m.type === 'export' || m.type === 'exportReport') {
        this.exports.push(m);
        await this.send({ type: 'exported', requestId: m.requestId, ok: true, message: `Saved ${m.name}` });
      }
    }
    if (fresh.length > 0) await this.page.waitForTimeout(50);
    return fresh;
  }

  /** Pumps until the page has nothing more to ask. */
  async settle(): Promise<void> {
    for (let i = 0; i < 10; i++) if ((await this.pump()).length === 0) return;
  }
}

const data = (page: Page, chart: string) => page.locator(`[data-chart="${chart}"]`).evaluate((el) => ({ ...(el as HTMLElement).dataset }));

test('the dashboard in chromium under the panel\'s CSP: every view, the interactions, no violation', { skip: chromiumPath ? false : 'no chromium installed', timeout: 120_000 }, async () => {
  const w = makeStore();
  const out = mkdtempSync(path.join(tmpdir(), 'adapt-dash-page-'));
  const browser = await chromium.launch({ executablePath: chromiumPath!, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    await esbuild.build({
      entryPoints: [path.join(repoRoot, 'webview/dashboard/main.ts')], outfile: path.join(out, 'dashboard.js'),
      bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'error',
    });
    // The panel's page, with file: standing in for webview.cspSource; a light theme's body class and colours.
    const html = dashboardHtml({ cspSource: 'file:', scriptUri: `file://${path.join(out, 'dashboard.js')}`, nonce: 'testnonce' })
      .replace('<body>', '<body class="vscode-light">');
    writeFileSync(path.join(out, 'index.html'), html);

    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' || /violat/i.test(m.text())) problems.push(`console: ${m.text()}`); });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    await page.goto(`file://${path.join(out, 'index.html')}`);

    const index = new RunIndex();
    index.addFolder(w.runsDir);
    const ext = new FakeExtension(page, index, new DashboardRequests(index));
    assert.deepEqual((await ext.pump()).map((m) => m.type), ['ready']);
    await ext.send({ type: 'runs', runs: index.summaries(), problems: [], folders: index.dirs });
    await ext.settle();

    // 1. Accuracy vs labels: 2 model panels, 6 curves (distillation only into the small model), 16 points, the
    //    prompt/finetune crossover in each panel; n.s. marks where the paired test does not support the gap.
    const labels = await data(page, 'labels');
    assert.deepEqual([labels.panels, labels.curves, labels.points, labels.crossovers], ['2', '6', '16', '2']);
    assert.equal(labels.series, 'finetune|prompt|distill←finetune|distill←prompt');
    const findings = await page.locator('[data-testid="crossover-findings"] li').allTextContents();
    assert.deepEqual(findings, [
      'bert_uncased_L-2_H-128_A-2: prompt beats finetune below ~520 labels; finetune is ahead above.',
      'bert_uncased_L-4_H-256_A-4: prompt beats finetune below ~520 labels; finetune is ahead above.',
    ]);
    // 6. Significance (small model): supported at 10 labels (18 examples only prompt gets right), not at 100
    //    (5 vs 0) nor at 1000 (0 vs 2).
    const verdicts = await page.locator('[data-testid="significance-table"] tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-size'), r.querySelector('[data-verdict]')?.getAttribute('data-verdict')]));
    assert.deepEqual(verdicts, [['10', 'supported'], ['100', 'not-supported'], ['1000', 'not-supported']]);
    assert.ok(Number(labels.notSupported) >= 2, `n.s. marks: ${labels.notSupported}`);

    // 2. Accuracy vs cost: 18 configurations; frontier of 2 on inference FLOPs, of 4 on labels.
    assert.deepEqual(await data(page, 'cost-compute').then((d) => [d.axis, d.points, d.frontier, d.dominated]), ['inferFlopsPerExample', '18', '2', '16']);
    assert.deepEqual(await data(page, 'cost-data').then((d) => [d.axis, d.points, d.frontier]), ['labeled', '18', '4']);
    // Pareto over inference FLOPs and labels together: 8 on the joint frontier (see the analysis tests).
    await page.locator('[data-testid="joint-pareto"]').click();
    await ext.settle();
    assert.equal((await data(page, 'cost-data')).dominated, '10', '18 − the 8 on the joint frontier');
    // Switch the cost axis to training time.
    await page.locator('[data-testid="cost-axis"]').click();
    await page.locator('[data-testid="cost-axis"] vscode-option[value="trainSeconds"]').click();
    await ext.settle();
    const byTime = await data(page, 'cost-compute');
    assert.deepEqual([byTime.axis, byTime.points], ['trainSeconds', '18']);
    assert.match(await page.locator('[data-summary-of="cost-compute"]').textContent() ?? '', /against training time/);

    // 3. Budget: ≤ 3 ms, ≤ 100 labels → distill←prompt into the small model at 100 labels, runner-up prompt.
    await page.locator('[data-testid="budget-maxLatencyMs"] input').fill('3');
    await page.locator('[data-testid="budget-maxLabeled"] input').fill('100');
    await ext.settle();
    assert.match(await page.locator('[data-testid="budget-best"]').innerText(), /distill←prompt · bert_uncased_L-2_H-128_A-2 · 100 labels[\s\S]*accuracy 0\.810 ± 0\.014/);
    assert.match(await page.locator('[data-testid="budget-runner-up"]').innerText(), /^Runner-up\s+prompt · bert_uncased_L-2_H-128_A-2 · 100 labels/);
    assert.match(await page.locator('[data-testid="budget-counts"]').innerText(), /2 limit\(s\)\. 9 configuration\(s\) fit, 9 over budget/);
    await page.locator('[data-testid="budget-maxLatencyMs"] input').fill('fast');
    await ext.settle();
    assert.equal(await page.locator('[data-testid="budget-maxLatencyMs"]').getAttribute('aria-invalid'), 'true');

    // 4. Table: 18 groups; selecting a row highlights it and its point in every chart, and opens its detail.
    const table = page.locator('[data-testid="runs-table"]');
    assert.equal(await table.getAttribute('data-rows'), '18');
    const first = table.locator('tbody tr').first();
    await first.click();
    await ext.settle();
    assert.equal(await first.getAttribute('aria-selected'), 'true');
    assert.equal(await table.locator('tbody tr[aria-selected="true"]').count(), 1);
    assert.equal((await data(page, 'cost-compute')).selected, '1');
    assert.equal((await data(page, 'cost-data')).selected, '1');
    // 5. Detail of the group's first seed: costs, training options, confusion matrix, learning curve.
    assert.equal(await page.locator('[data-testid="run-detail"]').count(), 2, 'a group of two seeds: A and B');
    assert.equal((await data(page, 'learning')).points, '6');
    assert.match(await page.locator('[data-testid="disagreements"]').innerText(), /Where A and B disagree: 2 of 50 test examples/);
    assert.match(await page.locator('[data-testid="disagreements"] tbody').innerText(), /message number 25 <b>bold<\/b>/, 'example text shown as text');
    assert.equal(await page.locator('[data-testid="disagreements"] b').count(), 0, 'and never as markup');

    // Keyboard: arrow down to the next row, Enter selects it.
    await first.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await ext.settle();
    assert.equal(await table.locator('tbody tr').nth(1).getAttribute('aria-selected'), 'true');
    assert.equal(await first.getAttribute('aria-selected'), 'false');
    // Ctrl-click adds a second configuration: the significance view compares the two.
    await table.locator('tbody tr').nth(0).click({ modifiers: ['Control'] });
    await ext.settle();
    assert.equal(await table.locator('tbody tr[aria-selected="true"]').count(), 2);
    assert.match(await page.locator('[data-testid="selected-comparison"]').innerText(), /McNemar p = /);

    // Exports: CSV of the table as shown, the HTML report (which the extension renders without complaint).
    await page.locator('[data-testid="export-csv"]').click();
    await page.locator('[data-testid="export-report"]').click();
    await page.locator('[data-testid="export-labels-svg"]').click();
    await page.locator('[data-testid="export-labels-png"]').click();
    await ext.settle();
    const [csv, report, svg, png] = ext.exports;
    assert.ok(csv.type === 'export' && csv.format === 'csv' && csv.name === 'study-runs.csv');
    assert.equal(csv.content.split('\r\n').length, 20);
    assert.ok(report.type === 'exportReport');
    assert.equal(report.report.charts.length, 3);
    assert.equal(report.report.table.rows.length, 18);
    assert.ok(report.report.findings.some((f) => /prompt beats finetune below ~520 labels/.test(f)));
    const reportHtml = renderHtmlReport(report.report, 'now');
    assert.equal((reportHtml.match(/<svg/g) ?? []).length, 3);
    assert.ok(svg.type === 'export' && svg.format === 'svg' && /^<svg[\s>]/.test(svg.content));
    assert.ok(png.type === 'export' && png.content.startsWith('data:image/png;base64,iVBORw0KGgo'));
    assert.equal(await page.locator('[data-testid="export-status"]').textContent(), 'Saved study-accuracy-vs-labels.png');

    // State survives a reload: the choices are in the webview state.
    const state = await page.evaluate(() => (window as unknown as { __dashboardState: { costAxis: string; joint: boolean; selection: string[] } }).__dashboardState);
    assert.deepEqual([state.costAxis, state.joint, state.selection.length], ['trainSeconds', true, 4]);

    // Live update: a new run arrives; a malformed message is refused with its field named, and nothing breaks.
    await ext.send({ type: 'runs', runs: [{ ...index.summaries()[0], metrics: { accuracy: 7, macroF1: 0 } }], problems: [], folders: [] });
    assert.match(await page.locator('header .problem[role="alert"]').innerText(), /runs\[0\]\.metrics\.accuracy/);
    assert.equal(await table.getAttribute('data-rows'), '18', 'the last good runs are still shown');

    const screens = path.join(repoRoot, 'test-output', 'screenshots');
    mkdirSync(screens, { recursive: true });
    await page.screenshot({ path: path.join(screens, 'dashboard-browser-light.png'), fullPage: true });
    // Narrow: one column, nothing wider than the panel (wide tables scroll inside their own box).
    await page.setViewportSize({ width: 360, height: 1800 });
    await page.waitForTimeout(400);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'no horizontal scrolling at 360 px');
    assert.equal((await data(page, 'labels')).panels, '2', 'panels stacked, still both there');
    await page.screenshot({ path: path.join(screens, 'dashboard-browser-narrow.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    rmSync(out, { recursive: true, force: true });
    w.dispose();
  }
});
