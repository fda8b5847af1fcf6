// UI test of the palette commands that write or read files without training: New Prompt Template (the file, its
// editor, and the diagnostic of a label that is not one token), Use as Default Model typed in (the setting, which
// new experiments then start with), New Experiment File… (the file with the chosen data, which the CLI accepts),
// Estimate Cost of Experiment (the report, cell for cell the CLI's dry run), and Preview Prompt Template and
// Zero-shot Accuracy from the palette (their reports, from the worker). All from the installed VSIX.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixtureDir } from '../unit/grid/helpers';
import { repoRoot } from '../vscode/paths';
import { eventually } from './lib/eventually';
import { waitForQuestion } from './lib/quick-input';
import { TINY_MODEL, smsRows, tinyWorkspace } from './lib/tiny-workspace';
import { withWorkbench, type Workbench } from './lib/workbench';

const TEMPLATE = 'spam.prompt.json';
/** A real 2-layer BERT with 512 positions: the defaults of a new experiment (128 tokens) fit it, unlike tiny/. */
const SMALL_MODEL = './bert-small';
const COMPACT_DEFAULT = 'google/bert_uncased_L-2_H-128_A-2';

/** The active editor tab's file name (the tab shows the extension in an element of its own). */
async function activeTabName(wb: Workbench): Promise<string> {
  return (await wb.page.locator('.editor-group-container.active .tabs-container .tab.active .monaco-icon-label-container').innerText()).replace(/\s+/g, '');
}

/** The rows of the Problems panel (opened with Ctrl+Shift+M), as shown. */
async function problems(wb: Workbench): Promise<string[]> {
  return wb.page.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

test('palette: new template and experiment files, cost estimate, template preview and zero-shot accuracy', { timeout: 420_000 }, async () => {
  const world = await tinyWorkspace();
  world.write(TEMPLATE, { model: TINY_MODEL, patterns: ['{text} This message is [MASK].'], verbalizer: { ham: 'normal', spam: 'excellent' } });
  world.write('spam.experiment.json', {
    name: 'spam', dataset: { train: 'train.jsonl', test: 'test.jsonl' }, prompt: TEMPLATE,
    models: [TINY_MODEL], trainSizes: [8], seeds: [1], methods: ['prompt'], training: { prompt: { maxLength: 32 } },
  });
  // Data in a subfolder, with enough rows for a new experiment's default train sizes (10 and 100).
  world.write('data/sms-train.jsonl', smsRows('train.jsonl', 80, 40));
  world.write('data/sms-test.jsonl', smsRows('test.jsonl', 8, 4));
  fs.mkdirSync(path.join(world.dir, SMALL_MODEL));
  for (const f of ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']) {
    fs.copyFileSync(path.join(fixtureDir, f), path.join(world.dir, SMALL_MODEL, f));
  }
  try {
    await withWorkbench({
      name: 'commands-files',
      workspace: world.dir,
      settings: { 'editor.stickyScroll.enabled': false },
      ...(process.env.ADAPT_LAB_E2E_VSIX ? { vsix: process.env.ADAPT_LAB_E2E_VSIX } : {}),
    }, async (wb) => {
      const page = wb.page;
      const ws = wb.server.workspaceDir;

      // New Prompt Template: a name and the labels; one label ("excelent") is not one token of the default model.
      await wb.runCommand('Adapt Lab: New Prompt Template');
      await waitForQuestion(page, /Template name/);
      await wb.answerInputBox('reviews');
      await waitForQuestion(page, /labels of your data/);
      await wb.answerInputBox('good, excelent');
      const templateFile = path.join(ws, 'reviews.prompt.json');
      await eventually('reviews.prompt.json is written', () => assert.ok(fs.existsSync(templateFile)));
      const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { model: string; patterns: string[]; verbalizer: Record<string, string> };
      assert.deepEqual(template.verbalizer, { good: 'good', excelent: 'excelent' }, 'each label is a verbalizer key, starting as its own word');
      assert.equal(template.model, COMPACT_DEFAULT, 'the default model');
      assert.ok(template.patterns.length > 0 && template.patterns.every((p) => p.includes('[MASK]') && p.includes('{text}')));
      await eventually('the template is open', async () => assert.equal(await activeTabName(wb), 'reviews.prompt.json'));
      // The split label: a squiggle in the editor and its entry in the Problems panel (words of a Hub model are
      // checked against the vocabulary Adapt Lab ships); "good" is one token and has none.
      const editor = page.locator('.editor-group-container.active .monaco-editor');
      await editor.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
      await page.keyboard.press('Control+Shift+M');
      const split = `"excelent" (label "excelent") splits into ["excel", "##ent"] in the vocabulary of ${COMPACT_DEFAULT}`;
      await eventually('the Problems panel shows the split label', async () => {
        const rows = await problems(wb);
        assert.ok(rows.some((r) => r.includes(split)), rows.join(' | '));
        assert.equal(rows.filter((r) => r.includes('verbalizer-split')).length, 1, rows.join(' | '));
      });
      assert.equal(await editor.locator('.squiggly-error').count(), 1, 'one error squiggle: the split label');
      console.log(`screenshot: ${await wb.screenshot('new-template')}`);

      // The same name again: refused, and the file is left as it is.
      const written = fs.readFileSync(templateFile, 'utf8');
      await wb.runCommand('Adapt Lab: New Prompt Template');
      await waitForQuestion(page, /Template name/);
      await wb.answerInputBox('reviews');
      await waitForQuestion(page, /labels of your data/);
      await wb.answerInputBox('a, b');
      await wb.waitForNotification('Adapt Lab: reviews.prompt.json already exists.');
      assert.equal(fs.readFileSync(templateFile, 'utf8'), written);

      // Use as Default Model from the palette: typed in, kept in the workspace's settings.
      await wb.runCommand('Adapt Lab: Use as Default Model');
      const asked = await waitForQuestion(page, /Default model/);
      assert.equal(await page.locator('.quick-input-widget input').inputValue(), COMPACT_DEFAULT, `the box starts at the current default (${asked})`);
      await wb.answerInputBox(SMALL_MODEL);
      await wb.waitForNotification(`Adapt Lab: default model set to ${SMALL_MODEL}`);
      const settingsFile = path.join(ws, '.vscode', 'settings.json');
      await eventually('the workspace setting is written', () => {
        assert.equal((JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>)['adaptLab.defaultModel'], SMALL_MODEL);
      });

      // New Experiment File…: a name, then the training and test files from the workspace's data files.
      await wb.runCommand('Adapt Lab: New Experiment File…');
      await waitForQuestion(page, /Name of the experiment/);
      await wb.answerInputBox('sms-grid');
      await waitForQuestion(page, /The training \(labeled\) file/);
      await wb.chooseQuickPick('sms-train.jsonl');
      await waitForQuestion(page, /The test \(labeled\) file/);
      await wb.chooseQuickPick('sms-test.jsonl');
      await wb.waitForNotification('Adapt Lab: created sms-grid.experiment.json.');
      const experimentFile = path.join(ws, 'sms-grid.experiment.json');
      const experiment = JSON.parse(fs.readFileSync(experimentFile, 'utf8')) as { dataset: Record<string, string>; models: string[]; trainSizes: number[]; seeds: number[] };
      assert.deepEqual(experiment.dataset, { train: 'data/sms-train.jsonl', test: 'data/sms-test.jsonl', textField: 'text', labelField: 'label' }, 'the chosen files, relative to the experiment');
      assert.deepEqual(experiment.models, [SMALL_MODEL], 'the default model just set');
      await eventually('the experiment is open', async () => assert.equal(await activeTabName(wb), 'sms-grid.experiment.json'));
      console.log(`screenshot: ${await wb.screenshot('new-experiment')}`);
      // The CLI takes the new file as it is: its dry run lists the grid (train sizes × seeds) and trains nothing.
      const dry = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'run', experimentFile, '--dry-run'], { cwd: ws, encoding: 'utf8', timeout: 120_000 });
      assert.equal(dry.status, 0, `adapt-lab run --dry-run failed:\n${dry.stdout}\n${dry.stderr}`);
      const dryCells = [...dry.stdout.matchAll(/^(finetune__\S+)\s+run\s+(\S+)/gm)].map((m) => [m[1], m[2]]);
      assert.equal(dryCells.length, experiment.trainSizes.length * experiment.seeds.length, dry.stdout);
      assert.equal(fs.existsSync(path.join(ws, '.adapt-lab', 'runs')) && fs.readdirSync(path.join(ws, '.adapt-lab', 'runs')).length > 0, false, 'a dry run trains nothing');

      // Estimate Cost of Experiment on the open experiment: the report has the dry run's cells and FLOPs.
      await wb.runCommand('Adapt Lab: Estimate Cost of Experiment');
      const estimate = await wb.findWebview('h1:has-text("Cost estimate: sms-grid.experiment.json")', 120_000);
      const estimateRows = await estimate.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
      assert.deepEqual(estimateRows.map((r) => [r[0], r[1], r[2]]), dryCells.map(([cell, flops]) => [cell, 'run', flops]), 'each cell, to run, with the dry run\'s training FLOPs');
      assert.match(await estimate.locator('body').innerText(), /To run: 6 of 6 cell\(s\), \S+ training FLOPs \+ \S+ evaluation FLOPs, about .+ on this machine/);
      console.log(`screenshot: ${await wb.screenshot('estimate')}`);

      // Preview Prompt Template from the palette: two templates, so it asks which; the one an experiment uses is
      // run zero-shot on 8 training rows in the worker.
      await wb.runCommand('Adapt Lab: Preview Prompt Template');
      await waitForQuestion(page, /Choose the prompt template/);
      await wb.chooseQuickPick(TEMPLATE);
      const preview = await wb.findWebview(`h1:has-text("Zero-shot preview: ${TEMPLATE}")`, 120_000);
      assert.deepEqual(await preview.locator('table thead th').allInnerTexts(), ['line', 'text', 'gold', 'predicted', 'P(ham)', 'P(spam)', 'pattern 1']);
      const previewRows = await preview.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
      assert.equal(previewRows.length, 8);
      for (const r of previewRows) {
        const [pHam, pSpam] = [r[4], r[5]].map((p) => Number(p.replace('%', '')));
        assert.ok(Math.abs(pHam + pSpam - 100) <= 0.15, `P(ham) + P(spam) = 100% (row ${r.join(' | ')})`);
        assert.equal(r[3], pHam >= pSpam ? 'ham' : 'spam', 'the prediction is the likelier label');
      }
      console.log(`screenshot: ${await wb.screenshot('preview')}`);

      // Zero-shot Accuracy: on the experiment's test set (it has no dev set), all 12 labeled rows.
      await wb.runCommand('Adapt Lab: Zero-shot Accuracy of Prompt Template on Dev');
      await waitForQuestion(page, /Choose the prompt template/);
      await wb.chooseQuickPick(TEMPLATE);
      const accuracy = await wb.findWebview(`h1:has-text("Zero-shot accuracy: ${TEMPLATE}")`, 120_000);
      assert.ok((await accuracy.locator('body').innerText()).includes(`On test.jsonl (the test set: spam has no dev set) (12 labeled rows), model ${path.join(ws, 'tiny')} (backend`));
      const [acc, f1, labels] = await accuracy.locator('table tbody tr td').allInnerTexts();
      assert.match(acc, /^\d+\.\d%$/);
      assert.ok(Number(acc.replace('%', '')) <= 100 && Number(f1.replace('%', '')) <= 100);
      // 12 rows: an accuracy is a whole number of twelfths.
      const correct = (Number(acc.replace('%', '')) / 100) * 12;
      assert.ok(Math.abs(correct - Math.round(correct)) < 0.01, `${acc} of 12 rows`);
      assert.equal(labels, 'ham, spam');
      console.log(`screenshot: ${await wb.screenshot('zero-shot-accuracy')}`);
    });
  } finally {
    world.dispose();
  }
});
