// UI test of a prompt template in the editor: a verbalizer word that the model's vocabulary splits gets a red
// squiggle, a hover and a Problems entry saying how it splits; the CodeLenses are shown above the patterns; the
// quick fix (Ctrl+.) replaces the word, the diagnostic goes, and the "Preview on 8 rows" CodeLens runs the
// template zero-shot in the worker and shows its report. The model is a 1-layer random BERT folder in the
// workspace with the bert-base-uncased vocabulary, and an experiment there gives the template its data.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { eventually } from './lib/eventually';
import { TINY_MODEL, tinyWorkspace } from './lib/tiny-workspace';
import { withWorkbench } from './lib/workbench';

const TEMPLATE = 'spam.prompt.json';
const SPLIT_MESSAGE = '"excelent" (label "spam") splits into ["excel", "##ent"] in the vocabulary of ./tiny';

test('prompt template: a split verbalizer word has a diagnostic and a quick fix; the CodeLens previews it', { timeout: 120_000 }, async () => {
  const world = await tinyWorkspace();
  world.write(TEMPLATE, { model: TINY_MODEL, patterns: ['{text} This message is [MASK].'], verbalizer: { ham: 'normal', spam: 'excelent' } });
  world.write('spam.experiment.json', {
    name: 'spam', dataset: { train: 'train.jsonl', test: 'test.jsonl' }, prompt: TEMPLATE,
    models: [TINY_MODEL], trainSizes: [8], seeds: [1], methods: ['prompt'],
  });
  try {
    await withWorkbench({
      name: 'prompt-template',
      workspace: world.dir,
      // Sticky scroll would cover the first lines of the small editor once the Problems panel opens.
      settings: { 'editor.stickyScroll.enabled': false },
      ...(process.env.ADAPT_LAB_E2E_VSIX ? { vsix: process.env.ADAPT_LAB_E2E_VSIX } : {}),
    }, async (wb) => {
      const page = wb.page;
      const file = path.join(wb.server.workspaceDir, TEMPLATE);
      // Open the template from the Explorer.
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: TEMPLATE }).click();
      const editor = page.locator('.editor-group-container.active .monaco-editor');
      await editor.locator('.view-lines', { hasText: 'excelent' }).waitFor({ timeout: 30_000 });

      // The squiggle, on the word (the extension activates on the file type, then diagnoses it).
      const squiggle = editor.locator('.squiggly-error');
      await squiggle.first().waitFor({ timeout: 60_000 });
      assert.equal(await squiggle.count(), 1, 'one error: the split word');
      // The CodeLenses above "patterns".
      const lens = editor.locator('.codelens-decoration');
      await lens.filter({ hasText: 'Preview on 8 rows' }).waitFor({ timeout: 30_000 });
      assert.match(await lens.first().innerText(), /Preview on 8 rows\s*\|\s*Zero-shot accuracy on dev/);

      // Problems panel (Ctrl+Shift+M, the cursor on the word): the diagnostic, from Adapt Lab.
      const word = editor.locator('.view-lines span', { hasText: /^"excelent"$/ });
      await word.click();
      await page.keyboard.press('Control+Shift+M');
      const problem = page.locator('.markers-panel .monaco-list-row', { hasText: SPLIT_MESSAGE });
      await problem.waitFor({ timeout: 30_000 });
      // Its source and code, and where it is: line 8, on the opening quote of the word.
      assert.match(await problem.innerText(), /Adapt Lab\s*\(?verbalizer-split\)?\s*\[Ln 8, Col 13\]/);

      // The squiggle, the CodeLens and the Problems entry together.
      await page.mouse.move(0, 0);
      console.log(`screenshot: ${await wb.screenshot('diagnostic')}`);

      // The hover on the word says the same, with the alternatives.
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: SPLIT_MESSAGE });
      await eventually('the hover on the squiggle', async () => {
        await page.mouse.move(0, 0);
        await word.hover();
        await hover.waitFor({ timeout: 3_000 });
      }, 30_000, 0);
      assert.match(await hover.innerText(), /excellent/);
      console.log(`screenshot: ${await wb.screenshot('hover')}`);

      // Ctrl+. on the word: the single-token alternative replaces it, and the diagnostic goes.
      await page.keyboard.press('Escape');
      await word.click();
      await page.keyboard.press('Control+.');
      const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Use "excellent"' }).first();
      await fix.waitFor({ timeout: 30_000 });
      await fix.click();
      await editor.locator('.view-lines', { hasText: '"spam": "excellent"' }).waitFor({ timeout: 10_000 });
      await eventually('the squiggle is gone', async () => assert.equal(await squiggle.count(), 0));
      await eventually('the problem is gone', async () => assert.equal(await page.locator('.markers-panel .monaco-list-row', { hasText: 'excelent' }).count(), 0));

      // The CodeLens runs the preview in the worker (saving the template first) and shows its report.
      await lens.locator('a', { hasText: 'Preview on 8 rows' }).click();
      const report = await wb.findWebview('h1', 90_000);
      await eventually('the preview report', async () => {
        assert.equal(await report.locator('h1').first().innerText(), `Zero-shot preview: ${TEMPLATE}`);
        assert.equal(await report.locator('table tbody tr').count(), 8);
      }, 30_000);
      assert.deepEqual(await report.locator('table thead th').allInnerTexts(), ['line', 'text', 'gold', 'predicted', 'P(ham)', 'P(spam)', 'pattern 1']);
      assert.match(fs.readFileSync(file, 'utf8'), /"spam": "excellent"/, 'the fixed template was saved before the preview');
      console.log(`screenshot: ${await wb.screenshot('preview')}`);
    });
  } finally {
    world.dispose();
  }
});
