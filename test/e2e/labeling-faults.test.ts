// UI tests of the labeling editor when things go wrong, in a real VS Code (code-server): labeling loses no label
// that the user saw applied, and never overwrites a change made to the file by someone else.
//
// What each proves, and the behaviour chosen:
// - Extension host killed (SIGKILL) mid-session: the labels live in the workbench's text document (every label is a
//   WorkspaceEdit of it), not in the extension host, so they survive, unsaved; VS Code restarts the remote
//   extension host by itself (or asks, after repeated crashes: the test clicks Restart). VS Code does not resolve a
//   custom editor again after a restart (microsoft/vscode#225410): its page stays on screen wired to nothing. The
//   labeling editor reopens such orphaned tabs in place (src/extension/labeling/orphans.ts); the new page draws the
//   document's labels, Ctrl+S writes them, and labeling goes on.
// - Window reload with unsaved labels: hot exit restores the dirty document and the labeling editor with its row
//   and filter; Ctrl+S writes the labels. (The browser workbench backs a dirty document up about a second after an
//   edit and vetoes a reload before that, so the test waits for the backup.) Closing the editor with unsaved labels
//   asks to save (VS Code's dialog); Save writes them.
// - The file changed by another program while open: (a) a document without unsaved changes is reloaded by VS Code
//   and the page follows (new rows, counts, the row shown) without a reopen. (b) Under unsaved labels VS Code keeps
//   the document, and Ctrl+S meets VS Code's save conflict ("the content of the file is newer") instead of
//   overwriting the file; the page reports the change as it happens and offers Merge, which carries the unsaved
//   labels over onto the new file by row text and saves it (src/extension/labeling/external-changes.ts, merge.ts):
//   the file then has the other program's change and the user's labels.
// Auto save is off in these workbenches (see withLabelingWorkbench).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { type FrameLocator, type Page } from 'playwright-core';
import { backupsContaining } from './lib/backups';
import { activeTab, isDirty } from './lib/editor-tabs';
import { eventually } from './lib/eventually';
import { extensionHostProcess, isAlive } from './lib/processes';
import { answerSaveDialog } from './lib/save-dialog';
import { withWorkbench, type Workbench } from './lib/workbench';

const FILE = 'inbox.jsonl';

/** Two labeled rows (so the buttons are 1 ham, 2 spam) and four to label. */
const ROWS: { text: string; label?: string }[] = [
  { text: 'Are we still on for lunch tomorrow?', label: 'ham' },
  { text: 'WINNER!! You have been selected for a free cruise. Reply YES to claim.', label: 'spam' },
  { text: 'Running late, be there in ten minutes' },
  { text: 'URGENT: your mobile number has won a cash prize, call 09061701461 now' },
  { text: 'Can you pick up some milk on the way home?' },
  { text: 'Free entry in a weekly competition, text WIN to 80086' },
];

const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** The rows as the file on disk has them. */
function rowsOnDisk(file: string): { text: string; label?: string }[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { text: string; label?: string });
}

const labelsOnDisk = (file: string) => rowsOnDisk(file).map((r) => r.label);

/**
 * A workbench on a folder holding inbox.jsonl (ROWS); `body` gets the path of the file in the opened folder.
 * Auto save is off, as in desktop VS Code (the browser workbench defaults to saving a second after each edit), so
 * that labels stay unsaved for as long as a test needs: what survives is then the document, not the file.
 */
async function withLabelingWorkbench(name: string, body: (wb: Workbench, file: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adapt-lab-e2e-faults-'));
  fs.writeFileSync(path.join(dir, FILE), jsonl(ROWS));
  try {
    await withWorkbench({
      name,
      workspace: dir,
      settings: { 'files.autoSave': 'off' },
      ...(process.env.ADAPT_LAB_E2E_VSIX ? { vsix: process.env.ADAPT_LAB_E2E_VSIX } : {}),
    },
      (wb) => body(wb, path.join(wb.server.workspaceDir, FILE)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Label Data… (the only dataset, so no question) and the labeling page, once it shows a row. */
async function openLabeling(wb: Workbench): Promise<FrameLocator> {
  await wb.runCommand('Adapt Lab: Label Data…');
  return livePage(wb.page);
}

/**
 * The labeling page of an editor resolved by the running extension host: one that has no `data-e2e-stale` mark
 * (markStale puts it on a page before its host is killed).
 */
async function livePage(page: Page, timeoutMs = 90_000): Promise<FrameLocator> {
  return findWebviewWhere(page, '#labels button[data-label]', async (view) => (await view.locator('body[data-e2e-stale]').count()) === 0, timeoutMs);
}

async function findWebviewWhere(page: Page, selector: string, ok: (view: FrameLocator) => Promise<boolean>, timeoutMs: number): Promise<FrameLocator> {
  return eventually(`a webview with "${selector}"`, async () => {
    const n = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < n; i++) {
      const view = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('iframe#active-frame');
      if ((await view.locator(selector).count()) > 0 && (await ok(view))) return view;
    }
    throw new Error(`none of ${n} webviews`);
  }, timeoutMs, 500);
}

/** Marks the page's document, so that a page drawn again by a new host can be told from this one. */
async function markStale(view: FrameLocator): Promise<void> {
  await view.locator('body').evaluate((b) => b.setAttribute('data-e2e-stale', ''));
}

/** Focuses the page (as a click on the example does) and presses `keys` one by one, each after the last is shown. */
async function label(page: Page, view: FrameLocator, keys: string[], expectLabeled: number[]): Promise<void> {
  await view.locator('#text').click();
  for (const [i, key] of keys.entries()) {
    await page.keyboard.press(key);
    if (expectLabeled[i] !== undefined) {
      await eventually(`"${key}" applied`, async () => assert.match(await view.locator('#labeled').innerText(), new RegExp(`^${expectLabeled[i]} / `)));
    }
  }
}

/** Turns on the filter for unlabeled rows (F) if it is off, so that each label moves on to the next row to label. */
async function onlyUnlabeled(page: Page, view: FrameLocator): Promise<void> {
  if (await view.locator('#filter').isChecked()) return;
  await view.locator('#text').click();
  await page.keyboard.press('f');
  await eventually('the filter is on', async () => assert.equal(await view.locator('#filter').isChecked(), true));
}

const chips = async (view: FrameLocator) => view.locator('#counts .chip').allInnerTexts();

test('labeling faults: the extension host killed mid-session loses no label, and the editor works again', { timeout: 300_000 }, async () => {
  await withLabelingWorkbench('labeling-faults-crash', async (wb, file) => {
    const original = fs.readFileSync(file, 'utf8');
    const view = await openLabeling(wb);
    await onlyUnlabeled(wb.page, view);
    // 1 → ham, 2 → spam on rows 3 and 4, each seen applied (the count moves).
    assert.equal(await view.locator('#text').innerText(), ROWS[2].text);
    await label(wb.page, view, ['1', '2'], [3, 4]);
    assert.deepEqual(await chips(view), ['ham: 2', 'spam: 2']);
    await eventually('the tab shows unsaved changes', async () => assert.equal(await isDirty(activeTab(wb.page)), true));
    assert.equal(fs.readFileSync(file, 'utf8'), original, 'nothing is saved yet');

    // Kill the extension host as a crash would.
    const host = extensionHostProcess(wb.server.runDir);
    console.log(`extension host: pid ${host.pid}: ${host.args.slice(0, 240)}`);
    await markStale(view);
    process.kill(host.pid, 'SIGKILL');
    await eventually('the extension host is gone', () => assert.equal(isAlive(host.pid), false), 10_000);

    // VS Code restarts it (a prompt to restart appears instead after repeated crashes: answer it).
    const restarted = await eventually('a new extension host', async () => {
      const restart = wb.page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: /Restart/ });
      if ((await restart.count()) > 0) await restart.first().click();
      const next = extensionHostProcess(wb.server.runDir);
      assert.notEqual(next.pid, host.pid);
      return next;
    }, 90_000, 500);
    console.log(`new extension host: pid ${restarted.pid}`);

    // The labeling editor comes back, drawn by the new host from the document: the labels are all there, unsaved.
    const again = await livePage(wb.page);
    await eventually('the document\'s labels in the reopened editor', async () => {
      assert.match(await again.locator('#labeled').innerText(), /^4 \/ 6 labeled/);
      assert.deepEqual(await chips(again), ['ham: 2', 'spam: 2']);
    });
    // …at the row and with the filter it showed before the crash.
    assert.equal(await again.locator('#filter').isChecked(), true, 'the filter for unlabeled rows is still on');
    assert.equal(await again.locator('#text').innerText(), ROWS[4].text, 'the row shown before the crash');
    await eventually('the labels are still unsaved changes of the document', async () => assert.equal(await isDirty(activeTab(wb.page)), true));
    console.log(`screenshot: ${await wb.screenshot('reopened')}`);
    assert.equal(fs.readFileSync(file, 'utf8'), original);

    // Ctrl+S writes them; and the editor works again: one more label, saved too.
    await again.locator('#text').click();
    await wb.page.keyboard.press('Control+s');
    await eventually('the labels are on disk', () => assert.deepEqual(labelsOnDisk(file), ['ham', 'spam', 'ham', 'spam', undefined, undefined]));
    await eventually('the tab is clean', async () => assert.equal(await isDirty(activeTab(wb.page)), false));
    await onlyUnlabeled(wb.page, again);
    assert.equal(await again.locator('#text').innerText(), ROWS[4].text);
    await label(wb.page, again, ['1'], [5]);
    await eventually('the tab shows the new label unsaved', async () => assert.equal(await isDirty(activeTab(wb.page)), true));
    await wb.page.keyboard.press('Control+s');
    await eventually('the new label is on disk', () => assert.deepEqual(labelsOnDisk(file), ['ham', 'spam', 'ham', 'spam', 'ham', undefined]));
    await eventually('the tab is clean', async () => assert.equal(await isDirty(activeTab(wb.page)), false));
    assert.deepEqual(rowsOnDisk(file).map((r) => r.text), ROWS.map((r) => r.text));
  });
});

test('labeling faults: unsaved labels survive a window reload, and closing the editor asks to save them', { timeout: 300_000 }, async () => {
  await withLabelingWorkbench('labeling-faults-reload', async (wb, file) => {
    const original = fs.readFileSync(file, 'utf8');
    const view = await openLabeling(wb);
    await onlyUnlabeled(wb.page, view);
    await label(wb.page, view, ['2', '1'], [3, 4]);
    await eventually('the tab shows unsaved changes', async () => assert.equal(await isDirty(activeTab(wb.page)), true));
    assert.equal(fs.readFileSync(file, 'utf8'), original);

    // Developer: Reload Window. Hot exit keeps the dirty document (a backup) and reopens the labeling editor.
    // (The browser workbench vetoes a reload until the changes are backed up, a second or so after the last edit.)
    await eventually('VS Code backed up the unsaved labels', () => assert.notEqual(backupsContaining(wb.server.runDir, JSON.stringify({ ...ROWS[3], label: 'ham' })).length, 0));
    await markStale(view);
    await wb.runCommand('Developer: Reload Window');
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const again = await livePage(wb.page);
    await eventually('the unsaved labels after the reload', async () => {
      assert.match(await again.locator('#labeled').innerText(), /^4 \/ 6 labeled/);
      assert.deepEqual(await chips(again), ['ham: 2', 'spam: 2']);
    });
    await eventually('the restored document is dirty', async () => assert.equal(await isDirty(activeTab(wb.page)), true));
    assert.equal(fs.readFileSync(file, 'utf8'), original, 'the reload saved nothing');
    console.log(`screenshot: ${await wb.screenshot('restored')}`);
    await again.locator('#text').click();
    await wb.page.keyboard.press('Control+s');
    await eventually('the labels are on disk', () => assert.deepEqual(labelsOnDisk(file), ['ham', 'spam', 'spam', 'ham', undefined, undefined]));
    await eventually('the tab is clean', async () => assert.equal(await isDirty(activeTab(wb.page)), false));

    // One more label, then close the editor: VS Code asks to save; Save writes it.
    await onlyUnlabeled(wb.page, again);
    await label(wb.page, again, ['2'], [5]);
    await eventually('the tab shows unsaved changes', async () => assert.equal(await isDirty(activeTab(wb.page)), true));
    await wb.runCommand('View: Close Editor');
    await answerSaveDialog(wb.page, FILE, 'Save');
    await eventually('the last label is on disk', () => assert.deepEqual(labelsOnDisk(file), ['ham', 'spam', 'spam', 'ham', 'spam', undefined]));
    await eventually('the editor is closed', async () => assert.equal(await wb.page.locator('.tabs-container .tab').count(), 0));
  });
});

test('labeling faults: the file changed by another program while open', { timeout: 300_000 }, async () => {
  await withLabelingWorkbench('labeling-faults-external', async (wb, file) => {
    const view = await openLabeling(wb);
    await eventually('the file as opened', async () => assert.match(await view.locator('#labeled').innerText(), /^2 \/ 6 labeled/));

    // (a) Not modified in VS Code: another program relabels row 1 and appends two rows. VS Code reloads the
    // document, and the page follows without being reopened.
    const changed = [{ ...ROWS[0], label: 'spam' }, ...ROWS.slice(1), { text: 'Call me when you get home', label: 'ham' }, { text: 'You have won a £1000 voucher! Text CLAIM now' }];
    fs.writeFileSync(file, jsonl(changed));
    await eventually('the page shows the new content', async () => {
      assert.match(await view.locator('#labeled').innerText(), /^3 \/ 8 labeled/);
      assert.deepEqual(await chips(view), ['ham: 1', 'spam: 2']);
      assert.match(await view.locator('#current-label').innerText(), /^Label: spam$/);
    }, 60_000);
    assert.equal(await isDirty(activeTab(wb.page)), false);
    // The new rows are rows like the others: label what is left, the new unlabeled one last.
    await onlyUnlabeled(wb.page, view);
    await label(wb.page, view, ['1', '2', '1', '2', '2'], [4, 5, 6, 7, 8]);
    await wb.page.keyboard.press('Control+s');
    await eventually('the labels are on disk, with the other program\'s changes', () =>
      assert.deepEqual(labelsOnDisk(file), ['spam', 'spam', 'ham', 'spam', 'ham', 'spam', 'ham', 'spam']));
    assert.deepEqual(rowsOnDisk(file).map((r) => r.text), changed.map((r) => r.text));

    // (b) Unsaved labels, and the file changes on disk: VS Code keeps the document, and saving does not overwrite
    // the other program's change; the page reports it, and Merge carries the labels over by row text.
    await view.locator('#filter').click();
    await eventually('the first row, in file order', async () => assert.equal(await view.locator('#text').innerText(), changed[0].text));
    // (Each label relabels a row, so the count stays: wait for the next row instead.)
    await view.locator('#text').click();
    for (const next of [changed[1], changed[2]]) {
      await wb.page.keyboard.press('1');
      await eventually('the next row', async () => assert.equal(await view.locator('#text').innerText(), next.text));
    }
    await eventually('rows 1 and 2 relabeled ham, unsaved', async () => {
      assert.deepEqual(await chips(view), ['ham: 5', 'spam: 3']);
      assert.equal(await isDirty(activeTab(wb.page)), true);
    });
    const theirs = rowsOnDisk(file);
    theirs[2] = { ...theirs[2], label: 'spam' };
    theirs.push({ text: 'See you at the station at 7' });
    fs.writeFileSync(file, jsonl(theirs));
    const external = fs.readFileSync(file, 'utf8');
    await eventually('the page reports the change on disk', async () => assert.match(await view.locator('#changed-on-disk').innerText(), /was changed on disk by another program/), 60_000);
    assert.deepEqual(await chips(view), ['ham: 5', 'spam: 3'], 'the document keeps the unsaved labels');
    assert.equal(await isDirty(activeTab(wb.page)), true);
    console.log(`screenshot: ${await wb.screenshot('changed-on-disk')}`);

    // Ctrl+S: VS Code's save conflict, and the file stays as the other program wrote it.
    await view.locator('#text').click();
    await wb.page.keyboard.press('Control+s');
    await wb.waitForNotification(/The content of the file is newer/, 60_000);
    assert.equal(fs.readFileSync(file, 'utf8'), external);

    // Merge: the file gets the user's two labels on top of the other program's change, and is saved.
    await view.locator('#merge').click();
    await wb.waitForNotification(/merged 2 label\(s\) into inbox\.jsonl/, 60_000);
    const expected = theirs.map((r, i) => (i < 2 ? { ...r, label: 'ham' } : r));
    assert.equal(fs.readFileSync(file, 'utf8'), jsonl(expected));
    await eventually('the editor shows the merged file, saved', async () => {
      assert.match(await view.locator('#labeled').innerText(), /^8 \/ 9 labeled/);
      assert.deepEqual(await chips(view), ['ham: 4', 'spam: 4']);
      assert.equal(await view.locator('#changed-on-disk').count(), 0);
      assert.equal(await isDirty(activeTab(wb.page)), false);
    });
    console.log(`screenshot: ${await wb.screenshot('merged')}`);
  });
});
