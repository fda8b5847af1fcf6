// The labeling bundle in a real browser (headless chromium) on the editor's exact page and Content Security Policy,
// with the extension side played by its own pure modules (dataset-doc edits, the session, view-state) over a JSON
// Lines text. Checks that the page runs with no CSP violation or error, shows what the host sends (dataset text as
// text, never markup), sends the right checked messages for clicks, hotkeys and the new-label field, keeps the
// row and filter across a reload, and refuses a malformed state. Skipped when no chromium is installed (CI
// installs it with the VS Code harness).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { labelCounts, labelEdits, parseLabelingDocument, type LabelingDocument } from '../../../src/extension/labeling/dataset-doc';
import { labelingHtml } from '../../../src/extension/labeling/html';
import { LabelingSession, type Queue } from '../../../src/extension/labeling/session';
import { viewState } from '../../../src/extension/labeling/view-state';
import { checkViewMessage, type HostMessage, type ViewMessage } from '../../../webview/labeling/protocol';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const chromiumPath = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));

/** Plays the labeling editor (src/extension/labeling/labeling-editor.ts) over a text held in memory. */
class FakeEditor {
  private seen = 0;
  doc: LabelingDocument;
  readonly session = new LabelingSession();
  labels: string[] = [];
  private readonly undoStack: string[] = [];

  constructor(private readonly page: Page, public text: string) {
    this.doc = parseLabelingDocument(text, 'jsonl');
    this.labels = [...labelCounts(this.doc.rows).keys()].sort();
  }

  async send(m: HostMessage | unknown): Promise<void> {
    await this.page.evaluate((msg) => window.postMessage(msg, '*'), m);
  }

  async postState(): Promise<void> {
    await this.send({ type: 'state', state: viewState('sms.jsonl', this.doc, this.session, this.labels) });
  }

  /** Every message the page posted since the last call, each checked as the editor checks it. */
  async posted(): Promise<ViewMessage[]> {
    const all = await this.page.evaluate(() => (window as unknown as { __labelingPosted: unknown[] }).__labelingPosted);
    const fresh = all.slice(this.seen).map((m) => checkViewMessage(m));
    this.seen = all.length;
    return fresh;
  }

  /** Acts on the page's new messages as the editor does and answers with the new state; returns them. */
  async pump(): Promise<ViewMessage[]> {
    await this.page.waitForTimeout(30);
    const fresh = await this.posted();
    for (const m of fresh) this.act(m);
    if (fresh.length > 0) {
      await this.postState();
      await this.page.waitForTimeout(30);
    }
    return fresh;
  }

  private act(m: ViewMessage): void {
    const rows = this.doc.rows;
    switch (m.type) {
      case 'ready':
        if (m.unlabeledOnly !== undefined) this.session.unlabeledOnly = m.unlabeledOnly;
        if (m.index !== undefined && m.index < rows.length) this.session.current = m.index;
        this.session.settle(rows);
        return;
      case 'label':
        this.addLabel(m.label);
        this.setLabel(m.index, m.label);
        this.session.next(this.doc.rows);
        return;
      case 'clear':
        this.setLabel(m.index, undefined);
        return;
      case 'skip':
        return this.session.next(rows);
      case 'back':
        this.session.back(rows);
        return;
      case 'undo':
        if (this.undoStack.length > 0) this.setText(this.undoStack.pop()!);
        return;
      case 'filter':
        this.session.unlabeledOnly = m.unlabeledOnly;
        if (this.session.current !== undefined && m.unlabeledOnly && rows[this.session.current]?.label !== undefined) this.session.next(rows);
        this.session.settle(rows);
        return;
      case 'addLabel':
        return this.addLabel(m.label.trim());
      case 'stopQueue':
        return this.session.stopQueue(rows);
      case 'redo':
      case 'merge':
        return;
    }
  }

  private addLabel(label: string): void {
    if (!this.labels.includes(label)) this.labels.push(label);
  }

  private setLabel(index: number, label: string | undefined): void {
    let text = this.text;
    for (const e of labelEdits(text, this.doc, index, label).sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    this.undoStack.push(this.text);
    this.setText(text);
  }

  private setText(text: string): void {
    this.text = text;
    this.doc = parseLabelingDocument(text, 'jsonl');
    this.session.settle(this.doc.rows);
  }
}

const XSS = '<img src=x onerror="document.title=\'pwned\'"> free <b>entry</b>';
const FILE = [
  { text: 'see you at 6', label: 'ham' },
  { text: XSS },
  { text: 'call now to claim' },
  { text: 'on my way' },
].map((o) => JSON.stringify(o)).join('\n') + '\n';

async function openPage(browser: Browser, url: string, problems: string[], savedState?: unknown): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/malformed message/.test(m.text())) problems.push(`console: ${m.text()}`); });
  await page.addInitScript((saved) => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    if (saved !== undefined) (window as unknown as { __labelingState: unknown }).__labelingState = saved;
  }, savedState);
  await page.goto(url);
  return page;
}

const text = (page: Page, selector: string) => page.locator(selector).textContent();

test('the labeling page in chromium under the editor\'s CSP: shows the state, sends checked actions, no violation', { skip: chromiumPath ? false : 'no chromium installed', timeout: 120_000 }, async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'adapt-label-page-'));
  const browser = await chromium.launch({ executablePath: chromiumPath!, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    // The two outputs esbuild.mjs writes, built the same way.
    await esbuild.build({
      entryPoints: [path.join(repoRoot, 'webview/labeling/main.ts')], outfile: path.join(out, 'labeling.js'),
      bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'error',
    });
    await esbuild.build({ entryPoints: [path.join(repoRoot, 'webview/labeling/labeling.css')], outfile: path.join(out, 'labeling.css'), bundle: true, logLevel: 'error' });
    const html = labelingHtml({ cspSource: 'file:', scriptUri: `file://${path.join(out, 'labeling.js')}`, styleUri: `file://${path.join(out, 'labeling.css')}`, nonce: 'testnonce' });
    assert.match(html, /content="default-src 'none'; style-src file:; script-src 'nonce-testnonce'"/);
    writeFileSync(path.join(out, 'index.html'), html);
    const url = `file://${path.join(out, 'index.html')}`;
    const problems: string[] = [];
    const page = await openPage(browser, url, problems);
    const ext = new FakeEditor(page, FILE);

    // Start: the page asks first, with nothing saved; then draws the first row.
    assert.deepEqual(await ext.pump(), [{ type: 'ready' }]);
    assert.equal(await text(page, '#text'), 'see you at 6');
    assert.equal(await text(page, '#current-label'), 'Label: ham');
    assert.equal(await text(page, '#labeled'), '1 / 4 labeled (25%)');
    assert.equal(await page.locator('#progress').getAttribute('aria-valuenow'), '25');
    assert.equal(await page.locator('#progress .bar').evaluate((el) => (el as HTMLElement).style.width), '25%');
    assert.deepEqual(await page.locator('#labels button[data-label]').evaluateAll((bs) => bs.map((b) => [b.getAttribute('data-label'), b.textContent, b.className])), [['ham', '1  ham', 'chosen']]);
    assert.equal(await page.locator('#back').isDisabled(), true, 'nothing visited yet');
    assert.equal(await page.locator('#clear').isDisabled(), false);
    // The style sheet is loaded (from the file the <link> names, which the CSP allows).
    assert.equal(await page.locator('#text').evaluate((el) => getComputedStyle(el).whiteSpace), 'pre-wrap');

    // Skip (S): the row with markup in its text is shown as text.
    await page.keyboard.press('s');
    assert.deepEqual(await ext.pump(), [{ type: 'skip' }]);
    assert.equal(await text(page, '#text'), XSS);
    assert.equal(await page.locator('#text img, #text b').count(), 0, 'dataset text never becomes markup');
    assert.equal(await text(page, '#current-label'), 'Unlabeled');
    assert.equal(await page.locator('#clear').isDisabled(), true, 'nothing to clear');

    // A new label: typing digits in the field is typing, not hotkeys; Enter adds it, the field keeps the focus.
    await page.locator('#new-label').fill('');
    await page.locator('#new-label').pressSequentially('spam 2');
    await page.locator('#new-label').press('Enter');
    assert.deepEqual(await ext.pump(), [{ type: 'addLabel', label: 'spam 2' }]);
    assert.deepEqual(await page.locator('#labels button[data-label]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-label'))), ['ham', 'spam 2']);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'new-label');
    assert.equal(await page.locator('#new-label').inputValue(), '');

    // Key 2 labels the row "spam 2": the host edits the text and moves on.
    await page.locator('#text').click();
    await page.keyboard.press('2');
    assert.deepEqual(await ext.pump(), [{ type: 'label', index: 1, label: 'spam 2' }]);
    assert.equal(ext.text.split('\n')[1], JSON.stringify({ text: XSS, label: 'spam 2' }));
    assert.equal(await text(page, '#text'), 'call now to claim');
    assert.equal(await text(page, '#labeled'), '2 / 4 labeled (50%)');
    assert.deepEqual(await page.locator('#counts .chip').allTextContents(), ['ham: 1', 'spam 2: 1']);

    // A click on a label button does the same; a label typed while a state arrives is kept.
    await page.locator('#new-label').fill('draft');
    await page.locator('#labels button[data-label="ham"]').click();
    assert.deepEqual(await ext.pump(), [{ type: 'label', index: 2, label: 'ham' }]);
    assert.equal(await page.locator('#new-label').inputValue(), 'draft');
    await page.locator('#new-label').fill('');
    assert.equal(await text(page, '#text'), 'on my way');

    // Back (button and B): the rows shown before; Clear removes a label; U undoes the last change.
    await page.locator('#back').click();
    assert.deepEqual(await ext.pump(), [{ type: 'back' }]);
    assert.equal(await text(page, '#current-label'), 'Label: ham');
    await page.locator('#clear').click();
    assert.deepEqual(await ext.pump(), [{ type: 'clear', index: 2 }]);
    assert.equal(await text(page, '#current-label'), 'Unlabeled');
    await page.locator('#text').click();
    await page.keyboard.press('u');
    assert.deepEqual(await ext.pump(), [{ type: 'undo' }]);
    assert.equal(await text(page, '#current-label'), 'Label: ham');

    // F: only unlabeled rows; the checkbox shows it, and the host moves to an unlabeled row.
    await page.keyboard.press('f');
    assert.deepEqual(await ext.pump(), [{ type: 'filter', unlabeledOnly: true }]);
    assert.equal(await page.locator('#filter').isChecked(), true);
    assert.equal(await text(page, '#text'), 'on my way');
    await page.locator('#filter').click();
    assert.deepEqual(await ext.pump(), [{ type: 'filter', unlabeledOnly: false }]);
    await page.locator('#filter').click();
    assert.deepEqual(await ext.pump(), [{ type: 'filter', unlabeledOnly: true }]);

    // Hotkeys with a modifier are VS Code's; a number with no button does nothing.
    await page.locator('#text').click();
    await page.keyboard.press('Control+u');
    await page.keyboard.press('7');
    assert.deepEqual(await ext.pump(), []);

    // The webview state holds the row and the filter: a reload (hide/show) asks for them back.
    const saved = await page.evaluate(() => (window as unknown as { __labelingState: unknown }).__labelingState);
    assert.deepEqual(saved, { index: 3, unlabeledOnly: true });

    // A queue from Label Next Uncertain Examples: its title, what is left, the suggestion, the suggested button.
    const queue: Queue = { title: 'most uncertain first for finetune · tiny', texts: ['on my way', 'call now to claim'], suggestions: new Map([['on my way', { label: 'ham', confidence: 0.71, score: 0.6 }]]) };
    ext.session.startQueue(queue, ext.doc.rows);
    await ext.postState();
    assert.equal(await text(page, '#queue'), 'most uncertain first for finetune · tiny — 1 left');
    assert.equal(await text(page, '#suggestion'), 'Model suggests: ham (71%)');
    assert.equal(await page.locator('#labels button.suggested').getAttribute('data-label'), 'ham');
    const screens = path.join(repoRoot, 'test-output', 'screenshots');
    mkdirSync(screens, { recursive: true });
    await page.screenshot({ path: path.join(screens, 'labeling-browser.png'), fullPage: true });
    await page.keyboard.press('1');
    assert.deepEqual(await ext.pump(), [{ type: 'label', index: 3, label: 'ham' }]);
    assert.equal(await text(page, '#message'), 'Every row of the queue is labeled.');
    assert.equal(await page.locator('#labels button[data-label]').first().isDisabled(), true, 'no row: nothing to label');
    assert.equal(await page.locator('#text').count(), 0);
    await page.locator('#stop-queue').click();
    assert.deepEqual(await ext.pump(), [{ type: 'stopQueue' }]);
    assert.equal(await page.locator('#queue').count(), 0);

    // A malformed state is refused with its field named; the last good state stays until a good one arrives.
    const shown = await text(page, '#labeled');
    await ext.send({ type: 'state', state: { ...viewState('sms.jsonl', ext.doc, ext.session, ext.labels), labeled: 99 } });
    assert.match(await text(page, '#notice[role="alert"]') ?? '', /state\.labeled: expected at most the 4 rows/);
    assert.equal(await text(page, '#labeled'), shown);
    await ext.postState();
    assert.equal(await page.locator('#notice').count(), 0);

    // The file changed on disk under unsaved labels: the notice (text only: it names the file) and its Merge button.
    const onDisk = (canMerge: boolean) => ext.send({ type: 'state', state: { ...viewState('sms.jsonl', ext.doc, ext.session, ext.labels), changedOnDisk: { message: `<b>sms.jsonl</b> was changed on disk`, canMerge } } });
    await onDisk(true);
    assert.equal(await text(page, '#changed-on-disk[role="alert"] span'), '<b>sms.jsonl</b> was changed on disk');
    assert.equal(await page.locator('#changed-on-disk b').count(), 0);
    await page.locator('#merge').click();
    assert.deepEqual(await ext.pump(), [{ type: 'merge' }]);
    assert.equal(await page.locator('#changed-on-disk').count(), 0, 'gone with the next state that has none');
    await onDisk(false);
    assert.equal(await page.locator('#changed-on-disk').count(), 1);
    assert.equal(await page.locator('#merge').count(), 0, 'no merge offered when it cannot be done');
    await ext.postState();

    // After a reload the page starts where it was.
    const again = await openPage(browser, url, problems, saved);
    const ext2 = new FakeEditor(again, ext.text);
    assert.deepEqual(await ext2.pump(), [{ type: 'ready', index: 3, unlabeledOnly: true }]);
    assert.equal(await text(again, '#text'), 'on my way');
    assert.equal(await again.locator('#filter').isChecked(), true);
    assert.equal(await page.title(), 'Adapt Lab labeling', 'no markup from the data ran');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    rmSync(out, { recursive: true, force: true });
  }
});
