// UI test of the labeling editor, as a person labels: Label Data… from the palette, the dataset chosen in its
// quick pick, the filter and the labels given with the page's hotkeys, a label taken back with U (VS Code's own
// undo of the file), a new label typed in, Ctrl+S — and then the file on disk holds exactly those labels, and
// nothing before the save.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { eventually } from './lib/eventually';
import { withWorkbench } from './lib/workbench';

const ROWS = [
  { text: 'Are we still on for lunch tomorrow?', label: 'ham' },
  { text: 'WINNER!! You have been selected for a free cruise. Reply YES to claim.', label: 'spam' },
  { text: 'Running late, be there in ten minutes' },
  { text: 'URGENT: your mobile number has won a cash prize, call 09061701461 now' },
  { text: 'Can you pick up some milk on the way home?' },
];

/** The rows' labels as the file on disk has them (undefined: no label). */
function labelsOnDisk(file: string): (string | undefined)[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => (JSON.parse(l) as { label?: string }).label);
}

test('labeling: Label Data… from the palette, hotkeys, undo, Ctrl+S writes the labels to the file', { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adapt-lab-e2e-labeling-'));
  // Two dataset files: Label Data… asks which one.
  fs.writeFileSync(path.join(dir, 'inbox.jsonl'), ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'archive.jsonl'), JSON.stringify({ text: 'an older message', label: 'ham' }) + '\n');
  try {
    await withWorkbench({
      name: 'labeling',
      workspace: dir,
      ...(process.env.ADAPT_LAB_E2E_VSIX ? { vsix: process.env.ADAPT_LAB_E2E_VSIX } : {}),
    }, async (wb) => {
      const file = path.join(wb.server.workspaceDir, 'inbox.jsonl');
      const original = fs.readFileSync(file, 'utf8');

      await wb.runCommand('Adapt Lab: Label Data…');
      await wb.chooseQuickPick('inbox.jsonl');
      const view = await wb.findWebview('#labels button[data-label]', 60_000);
      const labeled = view.locator('#labeled');
      const text = view.locator('#text');
      const current = view.locator('#current-label');

      // The buttons are the file's labels, in order, with their number keys; the first row is shown.
      await eventually('the label buttons', async () => assert.deepEqual(await view.locator('#labels button[data-label]').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.label)), ['ham', 'spam']));
      assert.match(await view.locator('#labels button[data-label="spam"]').innerText(), /^2\s+spam$/);
      assert.equal(await text.innerText(), ROWS[0].text);
      assert.match(await labeled.innerText(), /^2 \/ 5 labeled/);

      // Keys go to the page once it has the focus, as after a click on the example.
      await text.click();
      // F: only unlabeled rows — the first of them is shown.
      await wb.page.keyboard.press('f');
      await eventually('the filter is on', async () => {
        assert.equal(await view.locator('#filter').isChecked(), true);
        assert.equal(await text.innerText(), ROWS[2].text);
      });
      assert.equal(await current.innerText(), 'Unlabeled');

      // 1 → ham, 2 → spam, 1 → ham: each label is an edit of the document, and the next unlabeled row follows.
      await wb.page.keyboard.press('1');
      await eventually('row 3 labeled ham, row 4 shown', async () => {
        assert.match(await labeled.innerText(), /^3 \/ 5 labeled/);
        assert.equal(await text.innerText(), ROWS[3].text);
      });
      await wb.page.keyboard.press('2');
      await eventually('row 4 labeled spam, row 5 shown', async () => {
        assert.match(await labeled.innerText(), /^4 \/ 5 labeled/);
        assert.equal(await text.innerText(), ROWS[4].text);
      });
      await wb.page.keyboard.press('1');
      await eventually('every row labeled', async () => {
        assert.match(await labeled.innerText(), /^5 \/ 5 labeled \(100%\)/);
        assert.equal(await view.locator('#message').innerText(), 'Every row is labeled.');
      });

      // U: VS Code undoes the last edit of the file; the page shows the row that lost its label.
      await wb.page.keyboard.press('u');
      await eventually('the last label is taken back', async () => {
        assert.match(await labeled.innerText(), /^4 \/ 5 labeled/);
        assert.equal(await text.innerText(), ROWS[4].text);
        assert.equal(await current.innerText(), 'Unlabeled');
      });
      assert.deepEqual(await view.locator('#counts .chip').allInnerTexts(), ['ham: 2', 'spam: 2']);

      // A new label typed in the page gets the next button and number key (typing it is not taken as hotkeys).
      await view.locator('#new-label').click();
      await wb.page.keyboard.type('unsure');
      await wb.page.keyboard.press('Enter');
      await eventually('the new label\'s button', async () => assert.match(await view.locator('#labels button[data-label="unsure"]').innerText(), /^3\s+unsure$/));
      assert.match(await labeled.innerText(), /^4 \/ 5 labeled/, 'typing "unsure" labeled nothing');

      // Unsaved: the editor is dirty, and the file on disk is untouched.
      const tab = wb.page.locator('.tabs-container .tab.active');
      await eventually('the tab shows unsaved changes', async () => assert.match((await tab.getAttribute('class')) ?? '', /\bdirty\b/));
      assert.equal(fs.readFileSync(file, 'utf8'), original);
      console.log(`screenshot: ${await wb.screenshot('editor')}`);

      await text.click();
      await wb.page.keyboard.press('3');
      await eventually('row 5 labeled unsure', async () => assert.match(await labeled.innerText(), /^5 \/ 5 labeled/));

      // Ctrl+S in the labeling editor saves the file.
      await wb.page.keyboard.press('Control+s');
      await eventually('the labels are on disk', () => assert.deepEqual(labelsOnDisk(file), ['ham', 'spam', 'ham', 'spam', 'unsure']));
      await eventually('the tab is clean', async () => assert.doesNotMatch((await tab.getAttribute('class')) ?? '', /\bdirty\b/));
      // Only the labels changed: every row keeps its text, in its place.
      assert.deepEqual(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text), ROWS.map((r) => r.text));
      assert.equal(fs.readFileSync(path.join(wb.server.workspaceDir, 'archive.jsonl'), 'utf8'), JSON.stringify({ text: 'an older message', label: 'ham' }) + '\n');
      console.log(`screenshot: ${await wb.screenshot('saved')}`);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
