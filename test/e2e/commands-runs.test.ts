// UI test of the commands that work on runs, on one workspace trained once through Run Experiment… (a fine-tuned
// and a prompted run of a 1-layer BERT, models saved): Show Log (the worker's lines), Open Run (the report of the
// run on disk), Export Model… through the browser's file dialog (a Hugging Face folder the CLI reads), Label Next
// Uncertain Examples (the labeling editor in the order of the helper run's uncertainty, which the CLI's predict
// confirms), Launch Knowledge Distillation… (its five questions → a distillation file that runs to a finished
// student), Show Jobs and Cancel Job on a long run (cancelled on disk, worker gone), Delete Run from the Runs
// view's context menu (Cancel keeps it, Delete removes it), and the Models view's Refresh and Use as Default Model.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../vscode/paths';
import { answerDialog } from './lib/dialog';
import { eventually } from './lib/eventually';
import { chooseFolder } from './lib/file-dialog';
import { isAlive } from './lib/processes';
import { chooseQuickPicks, waitForQuestion } from './lib/quick-input';
import { TINY_MODEL, tinyWorkspace } from './lib/tiny-workspace';
import { clickViewAction, contextMenu, openAdaptLabSidebar, viewPane, viewRows } from './lib/views';
import { withWorkbench, type Workbench } from './lib/workbench';
import { workerProcesses } from './lib/workers';

const CLI = path.join(repoRoot, 'dist', 'cli.js');
const INBOX = ['free prize call now', 'see you at lunch', 'URGENT you won cash', 'ok thanks', 'Call 0800 to claim your reward', 'Are you coming home for dinner?'];

interface RunRecord {
  id: string;
  cellId: string;
  experiment: string;
  method: string;
  status: string;
  teacher?: { runId: string };
  metrics?: { accuracy: number; macroF1: number };
  data?: { labeled: number; unlabeled: number };
}

function runsOnDisk(ws: string): RunRecord[] {
  const dir = path.join(ws, '.adapt-lab', 'runs');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((id) => fs.existsSync(path.join(dir, id, 'run.json'))).map((id) => JSON.parse(fs.readFileSync(path.join(dir, id, 'run.json'), 'utf8')) as RunRecord);
}

function cli(args: string[], cwd: string, input?: string): { stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `adapt-lab ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** The "Adapt Lab" output channel as VS Code writes it to its log folder: every line, not only those on screen. */
function outputChannel(wb: Workbench): string {
  const logs = path.join(wb.server.runDir, 'ud', 'logs');
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (/^\d+-Adapt Lab\.log$/.test(e.name)) found.push(path.join(dir, e.name));
    }
  };
  walk(logs);
  assert.equal(found.length, 1, `one log of the "Adapt Lab" channel under ${logs}: ${found.join(', ')}`);
  return fs.readFileSync(found[0], 'utf8');
}

async function closeAllEditors(wb: Workbench): Promise<void> {
  await wb.runCommand('View: Close All Editors');
  await eventually('every editor is closed', async () => assert.equal(await wb.page.locator('.tabs-container .tab').count(), 0));
}

test('runs: log, open, export, active learning, distillation, jobs, cancel, delete, models', { timeout: 420_000 }, async () => {
  const world = await tinyWorkspace();
  world.write('spam.prompt.json', { model: TINY_MODEL, patterns: ['{text} This message is [MASK].'], verbalizer: { ham: 'normal', spam: 'excellent' } });
  world.write('tiny.experiment.json', {
    name: 'tiny', dataset: { train: 'train.jsonl', test: 'test.jsonl' }, prompt: 'spam.prompt.json',
    models: [TINY_MODEL], trainSizes: [8], seeds: [1], methods: ['finetune', 'prompt'], saveModels: true,
    training: {
      // A high learning rate: the fine-tuned model's confidences then differ clearly from row to row.
      finetune: { maxSteps: 40, batchSize: 4, maxLength: 32, learningRate: 0.003 },
      prompt: { maxSteps: 20, batchSize: 4, maxLength: 32 },
      distill: { batchSize: 4, maxLength: 32 },
    },
  });
  // Long enough to be cancelled while it trains.
  world.write('long.experiment.json', {
    name: 'long', dataset: { train: 'train.jsonl', test: 'test.jsonl' }, models: [TINY_MODEL], trainSizes: [8], seeds: [1],
    methods: ['finetune'], training: { finetune: { maxSteps: 100_000, batchSize: 4, maxLength: 32 } },
  });
  world.write('inbox.jsonl', INBOX.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  try {
    await withWorkbench({
      name: 'commands-runs',
      workspace: world.dir,
      ...(process.env.ADAPT_LAB_E2E_VSIX ? { vsix: process.env.ADAPT_LAB_E2E_VSIX } : {}),
    }, async (wb) => {
      const page = wb.page;
      const ws = wb.server.workspaceDir;
      await openAdaptLabSidebar(page);
      const runsPane = viewPane(page, 'Runs');

      // The runs everything below works on.
      await wb.runCommand('Adapt Lab: Run Experiment…');
      await wb.chooseQuickPick('tiny.experiment.json');
      await wb.waitForNotification('Adapt Lab: tiny.experiment.json — 2 done, 0 skipped, 0 failed.', 180_000);
      const trained = runsOnDisk(ws);
      const finetune = trained.find((r) => r.method === 'finetune')!;
      assert.deepEqual(trained.map((r) => [r.method, r.status]).sort(), [['finetune', 'done'], ['prompt', 'done']]);

      // Show Log: the output channel, with the worker's lines.
      await wb.runCommand('Adapt Lab: Show Log');
      const outputView = page.locator('.part.panel .monaco-editor .view-lines');
      // (The editor draws spaces as no-break spaces, and may wrap a line.)
      await eventually('the log shows the end of the job', async () => {
        const shown = (await outputView.innerText()).replace(/\s+/g, ' ');
        assert.ok(shown.includes('[2/2] prompt__tiny__n8__s1: done — accuracy') && shown.includes('2 done, 0 skipped, 0 failed'), JSON.stringify(shown));
      });
      const log = outputChannel(wb);
      assert.match(log, /^— Run tiny\.experiment\.json$/m);
      assert.match(log, /^worker \d+ started \(Node v\d+/m);
      assert.match(log, /^experiment "tiny": 2 cell\(s\), backend \w+/m);
      assert.match(log, /^\[1\/2\] finetune__tiny__n8__s1: step 40\/40 loss \d/m);
      assert.match(log, /^2 done, 0 skipped, 0 failed$/m);
      console.log(`screenshot: ${await wb.screenshot('log')}`);

      // Open Run: the report of the fine-tuned run, with the numbers of its run.json.
      await wb.runCommand('Adapt Lab: Open Run');
      await waitForQuestion(page, /Open which run\?/);
      await wb.chooseQuickPick('finetune · tiny');
      const report = await wb.findWebview(`h1:has-text("Run ${finetune.id}")`, 60_000);
      const reportText = await report.locator('body').innerText();
      assert.ok(reportText.includes(`Accuracy ${(100 * finetune.metrics!.accuracy).toFixed(1)}%, macro-F1 ${(100 * finetune.metrics!.macroF1).toFixed(1)}%.`), reportText);
      assert.match(reportText, /status\s+done/);
      console.log(`screenshot: ${await wb.screenshot('open-run')}`);

      // Export Model…: the browser's file dialog, answered with a folder outside the workspace.
      const exports = path.join(wb.server.runDir, 'exports');
      fs.mkdirSync(exports);
      await wb.runCommand('Adapt Lab: Export Model…');
      await waitForQuestion(page, /Export the model of which run\?/);
      await wb.chooseQuickPick('finetune · tiny');
      await waitForQuestion(page, new RegExp(`Export the model of ${finetune.id}`));
      await chooseFolder(page, exports, 'Export Here');
      const exported = path.join(exports, finetune.id);
      await wb.waitForNotification(`Adapt Lab: exported ${finetune.id} to ${exported}`);
      for (const f of ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json']) assert.ok(fs.existsSync(path.join(exported, f)), `${f} is exported`);
      const savedWeights = path.join(ws, '.adapt-lab', 'runs', finetune.id, 'model', 'model.safetensors');
      assert.ok(fs.readFileSync(path.join(exported, 'model.safetensors')).equals(fs.readFileSync(savedWeights)), 'the trained weights, byte for byte');
      const info = JSON.parse(cli(['info', '--model', exported], ws).stdout) as { layers: number; taskHeads: { classifier?: { numLabels: number } } };
      assert.equal(info.layers, 1);
      assert.equal(info.taskHeads.classifier?.numLabels, 2, 'the fine-tuned classifier head is in the export');
      // The same folder again: refused, the export there is kept.
      await wb.runCommand('Adapt Lab: Export Model…');
      await wb.chooseQuickPick('finetune · tiny');
      await chooseFolder(page, exports, 'Export Here');
      await wb.waitForNotification(`Adapt Lab: ${exported} already exists; choose another folder or delete it.`);

      // Label Next Uncertain Examples: the inbox's rows, least confident first by the fine-tuned run.
      await closeAllEditors(wb);
      await wb.runCommand('Adapt Lab: Label Next Uncertain Examples');
      await waitForQuestion(page, /Choose the dataset file to label/);
      await wb.chooseQuickPick('inbox.jsonl');
      await waitForQuestion(page, /Helper run\(s\) for active learning/);
      await chooseQuickPicks(page, ['finetune · tiny']);
      const labeling = await wb.findWebview('#suggestion', 120_000);
      assert.equal(await labeling.locator('#queue').innerText(), `Most uncertain first (finetune · tiny) — ${INBOX.length} left`);
      console.log(`screenshot: ${await wb.screenshot('uncertain')}`);
      const shown: { text: string; label: string; confidence: number }[] = [];
      for (let i = 0; i < INBOX.length; i++) {
        const text = await labeling.locator('#text').innerText();
        const m = /^Model suggests: (\w+) \((\d+)%\)$/.exec(await labeling.locator('#suggestion').innerText());
        assert.ok(m, 'a suggestion with its confidence');
        shown.push({ text, label: m[1], confidence: Number(m[2]) });
        // S skips to the next row of the queue.
        await labeling.locator('#text').click();
        await page.keyboard.press('s');
        if (i + 1 < INBOX.length) await eventually('the next row', async () => assert.notEqual(await labeling.locator('#text').innerText(), text));
      }
      // The same model through the CLI: the queue is its rows by ascending confidence, with its labels.
      const predictions = cli(['predict', '--run', path.join(ws, '.adapt-lab', 'runs', finetune.id), '--input', path.join(ws, 'inbox.jsonl')], ws).stdout
        .trim().split('\n').map((l, i) => {
          const p = JSON.parse(l) as { label: string; probs: Record<string, number> };
          return { text: INBOX[i], label: p.label, confidence: Math.max(...Object.values(p.probs)) };
        });
      const expected = [...predictions].sort((a, b) => a.confidence - b.confidence);
      assert.deepEqual(shown.map((s) => s.text), expected.map((e) => e.text), 'most uncertain first');
      assert.deepEqual(shown.map((s) => s.label), expected.map((e) => e.label));
      for (const [i, s] of shown.entries()) assert.ok(Math.abs(s.confidence - 100 * expected[i].confidence) <= 1, `${s.confidence}% vs ${expected[i].confidence}`);
      // Only looked at: the file is unchanged.
      assert.equal(fs.readFileSync(path.join(ws, 'inbox.jsonl'), 'utf8'), INBOX.map((text) => JSON.stringify({ text })).join('\n') + '\n');

      // Launch Knowledge Distillation…: teacher, student, unlabeled data, temperature, epochs.
      await closeAllEditors(wb);
      await wb.runCommand('Adapt Lab: Launch Knowledge Distillation…');
      await waitForQuestion(page, /Knowledge distillation \(1\/5\)/);
      await wb.chooseQuickPick('finetune · tiny');
      await waitForQuestion(page, /Knowledge distillation \(2\/5\)/);
      await wb.chooseQuickPick('tiny');
      await waitForQuestion(page, /Knowledge distillation \(3\/5\)/);
      await wb.chooseQuickPick('inbox.jsonl');
      await waitForQuestion(page, /Knowledge distillation \(4\/5\) — Temperature/);
      await wb.answerInputBox('2');
      await waitForQuestion(page, /Knowledge distillation \(5\/5\) — Epochs/);
      await wb.answerInputBox('1');
      const kdName = `tiny.kd-${finetune.cellId}.experiment.json`;
      await wb.waitForNotification(`Adapt Lab: ${kdName} — 1 done, 0 skipped, 0 failed.`, 180_000);
      const kd = JSON.parse(fs.readFileSync(path.join(ws, kdName), 'utf8')) as { dataset: { unlabeled?: string }; methods: { distill: unknown }[] };
      assert.deepEqual(kd.methods, [{ distill: { teacherRunId: finetune.id, student: { model: 'tiny' }, temperature: 2, training: { epochs: 1 } } }]);
      assert.equal(kd.dataset.unlabeled, 'inbox.jsonl');
      assert.match((await page.locator('.editor-group-container.active .tab.active').innerText()).replace(/\s+/g, ''), new RegExp(`^${kdName.replace(/\./g, '\\.')}`), 'the distillation file is open');
      const student = runsOnDisk(ws).find((r) => r.method === 'distill');
      assert.ok(student, 'a distillation run on disk');
      assert.equal(student.status, 'done');
      assert.equal(student.teacher?.runId, finetune.id);
      assert.ok((student.data?.unlabeled ?? 0) >= INBOX.length, `the inbox's rows were soft-labeled (${JSON.stringify(student.data)})`);
      console.log(`screenshot: ${await wb.screenshot('distilled')}`);

      // Show Jobs and Cancel Job, on a long run.
      await closeAllEditors(wb);
      await wb.runCommand('Adapt Lab: Run Experiment…');
      await wb.chooseQuickPick('long.experiment.json');
      await wb.waitForNotification(/long\.experiment\.json: Cell 1\/1 finetune__tiny__n8__s1 · step \d+\/100000/, 60_000);
      const workers = workerProcesses(wb.server.runDir);
      assert.equal(workers.length, 1, 'one worker trains');
      await wb.runCommand('Adapt Lab: Show Jobs');
      await waitForQuestion(page, /Adapt Lab jobs/);
      // Each row's label (the first line of a row; a second line, when a row has a detail, has a label-name too).
      const jobRows = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row .quick-input-list-row:first-child .label-name').allInnerTexts();
      assert.deepEqual(jobRows.map((r) => r.trim()), ['Cancel Run long.experiment.json', 'Show Log', 'Show Runs']);
      await wb.chooseQuickPick('Show Runs');
      await runsPane.locator('.monaco-list-row', { hasText: /running · step \d+\/100000/ }).waitFor({ timeout: 30_000 });
      console.log(`screenshot: ${await wb.screenshot('long-running')}`);
      await wb.runCommand('Adapt Lab: Cancel Job');
      await wb.waitForNotification('Adapt Lab: long.experiment.json — 0 done, 0 skipped, 0 failed, cancelled.', 60_000);
      const cancelled = runsOnDisk(ws).find((r) => r.experiment === 'long');
      assert.equal(cancelled?.status, 'cancelled');
      await eventually('the worker is gone', () => assert.equal(isAlive(workers[0].pid), false), 30_000);
      assert.match(outputChannel(wb), /^\[1\/1\] finetune__tiny__n8__s1: cancelled/m);
      console.log(`screenshot: ${await wb.screenshot('cancelled')}`);

      // Delete Run from the Runs view: Cancel in the dialog keeps the run; Delete removes its folder.
      const cancelledDir = path.join(ws, '.adapt-lab', 'runs', cancelled.id);
      const cancelledRow = () => runsPane.locator('.monaco-list-row', { hasText: /8 labeled · seed 1 · cancelled/ }).first();
      const question = `Delete run ${cancelled.id}? Its folder (metrics, predictions) is removed`;
      const deleteFromView = async (answer: 'Cancel' | 'Delete') => {
        for (let attempt = 1; ; attempt++) {
          await contextMenu(page, cancelledRow(), 'Delete Run');
          // While VS Code fetches the view again after a refresh (a run's record changed on disk), a context-menu
          // command gets no run, and asks which one: then the menu is used again, a few times at most.
          const asked = await eventually('the confirmation (or the question which run)', async () => {
            if (await page.locator('.monaco-dialog-box', { hasText: question }).isVisible()) return 'dialog';
            if (await page.locator('.quick-input-widget input[placeholder="Delete which run?"]').isVisible()) return 'pick';
            throw new Error('neither is shown');
          });
          if (asked === 'dialog') return answerDialog(page, question, answer);
          assert.ok(attempt < 3, 'the context menu gave Delete Run its run');
          await page.keyboard.press('Escape');
        }
      };
      await deleteFromView('Cancel');
      assert.ok(fs.existsSync(path.join(cancelledDir, 'run.json')), 'Cancel deletes nothing');
      assert.ok((await viewRows(runsPane)).some((r) => r.startsWith('long')), 'still listed');
      await deleteFromView('Delete');
      await eventually('the run folder is gone', () => assert.equal(fs.existsSync(cancelledDir), false));
      await eventually('the Runs view no longer lists it', async () => {
        const rows = await viewRows(runsPane);
        assert.ok(!rows.some((r) => r.startsWith('long')), rows.join(' | '));
        assert.ok(rows.some((r) => r.startsWith('tiny — 2/2 done')), rows.join(' | '));
      });
      assert.equal(runsOnDisk(ws).length, 3, 'the other runs are kept');
      console.log(`screenshot: ${await wb.screenshot('deleted')}`);

      // The Models view: a model that appears in the Hugging Face cache (outside the workspace, so no watcher
      // sees it) is listed after Refresh; Use as Default Model on it writes the setting.
      const modelsPane = viewPane(page, 'Models');
      if ((await modelsPane.locator('.pane-header').getAttribute('aria-expanded')) !== 'true') await modelsPane.locator('.pane-header').click();
      await eventually('the Models view lists the workspace model', async () => assert.ok((await viewRows(modelsPane)).includes('tiny — tiny')));
      const commit = 'a'.repeat(40);
      const cached = path.join(wb.server.runDir, 'xdg', 'huggingface', 'hub', 'models--acme--tiny-bert');
      fs.cpSync(path.join(ws, 'tiny'), path.join(cached, 'snapshots', commit), { recursive: true });
      fs.mkdirSync(path.join(cached, 'refs'), { recursive: true });
      fs.writeFileSync(path.join(cached, 'refs', 'main'), commit);
      await page.waitForTimeout(2_000);
      assert.ok(!(await viewRows(modelsPane)).some((r) => r.startsWith('acme/tiny-bert')), 'not listed before Refresh');
      await clickViewAction(modelsPane, 'Refresh');
      await eventually('Refresh lists the cached model', async () => {
        const rows = await viewRows(modelsPane);
        // The runs' saved models are not model folders of the workspace: they are in the Runs view.
        assert.deepEqual(rows, ['Workspace folders', 'tiny — tiny', 'Hugging Face cache', 'acme/tiny-bert — main']);
      });
      await clickViewAction(runsPane, 'Refresh');
      await eventually('the Runs view still lists the runs', async () => assert.equal((await viewRows(runsPane)).length, 5));
      await contextMenu(page, modelsPane.locator('.monaco-list-row', { hasText: 'acme/tiny-bert' }), 'Use as Default Model');
      await wb.waitForNotification('Adapt Lab: default model set to acme/tiny-bert');
      await eventually('the setting is written', () => {
        const settings = JSON.parse(fs.readFileSync(path.join(ws, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
        assert.equal(settings['adaptLab.defaultModel'], 'acme/tiny-bert');
      });
      console.log(`screenshot: ${await wb.screenshot('models')}`);
      // The Datasets view: files at the workspace's top level show no folder beside their name.
      assert.deepEqual(await viewRows(viewPane(page, 'Datasets')), ['inbox.jsonl', 'test.jsonl', 'train.jsonl']);
    });
  } finally {
    world.dispose();
  }
});
