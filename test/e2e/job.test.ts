// UI test of a training job: Run Experiment… from the palette on a tiny experiment (a 1-layer random BERT
// fine-tuned for a few hundred steps of milliseconds each, two seeds), seen while it runs — the progress
// notification with the cell count, the cell, the step and the time left, and the status-bar item with the cells
// and the percentage, and the run's live step in the Runs view — then its end message, the finished runs in the
// Runs view, and the runs it wrote on disk, each finished with its metrics, step log and predictions.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { eventually } from './lib/eventually';
import { TINY_MODEL, tinyWorkspace } from './lib/tiny-workspace';
import { withWorkbench } from './lib/workbench';

const EXPERIMENT = 'tiny.experiment.json';
/** Enough steps for the job to be seen running (a step of the tiny model takes a few milliseconds). */
const STEPS = 300;
const TEST_ROWS = 12;

interface RunRecord {
  cellId: string;
  status: string;
  method: string;
  trainSize: number;
  seed: number;
  training: { maxSteps: number };
  metrics?: { accuracy: number };
}

test('job: Run Experiment… shows the grid\'s progress while it runs and writes its runs', { timeout: 120_000 }, async () => {
  const world = await tinyWorkspace();
  world.write(EXPERIMENT, {
    name: 'tiny',
    dataset: { train: 'train.jsonl', test: 'test.jsonl' },
    models: [TINY_MODEL],
    trainSizes: [8],
    seeds: [1, 2],
    methods: ['finetune'],
    training: { finetune: { maxSteps: STEPS, batchSize: 4, maxLength: 32, evalEverySteps: 1000 } },
  });
  try {
    await withWorkbench({
      name: 'job',
      workspace: world.dir,
      ...(process.env.ADAPT_LAB_E2E_VSIX ? { vsix: process.env.ADAPT_LAB_E2E_VSIX } : {}),
    }, async (wb) => {
      // The Adapt Lab side bar, whose Runs view shows the runs as they go.
      await wb.page.locator('.activitybar .action-item a[aria-label^="Adapt Lab"]').click();
      const runsPane = wb.page.locator('.sidebar .pane', { has: wb.page.locator('.pane-header h3.title', { hasText: /^Runs$/ }) });
      await runsPane.waitFor({ timeout: 30_000 });
      const runRows = runsPane.locator('.monaco-list-row');

      await wb.runCommand('Adapt Lab: Run Experiment…');
      // The pick lists the workspace's experiments (and "New experiment file…").
      await wb.chooseQuickPick(EXPERIMENT);

      // While it runs: one notification with the cell count, the cell, the step and (once a few steps are
      // timed) the time left…
      const cellStep = /Cell ([12])\/2 finetune__tiny__n8__s([12]) · step (\d+)\/(\d+)/;
      await wb.waitForNotification(new RegExp(`${cellStep.source} · about [^·]+ left`), 60_000);
      const progress = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'Adapt Lab: tiny.experiment.json: ' });
      // …and the status-bar item with the cells and the percentage.
      const status = wb.page.locator('.statusbar-item', { hasText: /Adapt Lab [12]\/2 · \d+%/ });
      await status.waitFor({ timeout: 10_000 });
      // The running run in the Runs view, with its live step.
      await runRows.filter({ hasText: new RegExp(`finetune · tiny\\s*8 labeled · seed [12] · running · step \\d+/${STEPS}`) }).first().waitFor({ timeout: 15_000 });
      console.log(`screenshot: ${await wb.screenshot('running')}`);
      assert.match(await progress.locator('.notification-list-item-message').innerText(), /^Adapt Lab: tiny\.experiment\.json: Cell [12]\/2 /);
      assert.equal(await progress.locator('.monaco-button', { hasText: 'Cancel' }).count(), 1, 'the job can be cancelled from its notification');

      // The notification follows the job to its end: every cell and step it shows is of this grid, the steps
      // only go forward, and the second cell is reached. Then a summary replaces it, and the status-bar item goes.
      const seen: { cell: number; step: number }[] = [];
      const summary = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'Adapt Lab: tiny.experiment.json — 2 done, 0 skipped, 0 failed.' });
      await eventually('the job ends with its summary', async () => {
        const text = await progress.textContent({ timeout: 100 }).catch(() => undefined);
        const m = text ? cellStep.exec(text) : null;
        if (m) {
          assert.equal(m[1], m[2], `cell ${m[1]} is seed ${m[1]}`);
          assert.equal(Number(m[4]), STEPS);
          seen.push({ cell: Number(m[1]), step: Number(m[3]) });
        }
        assert.ok(await summary.isVisible(), 'no summary yet');
      }, 90_000, 100);
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1], seen[i]];
        assert.ok(b.cell > a.cell || (b.cell === a.cell && b.step >= a.step), `progress went back: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
      }
      assert.ok(seen.some((p) => p.cell === 2), `the second cell was shown (seen: ${JSON.stringify(seen)})`);
      await eventually('the status-bar item is hidden', async () => assert.equal(await wb.page.locator('.statusbar-item', { hasText: /Adapt Lab \d/ }).count(), 0));
      // The Runs view: the experiment with both runs done, each with its accuracy.
      await eventually('the Runs view lists both runs done', async () => {
        const rows = await runRows.evaluateAll((els) => els.map((el) => ['.label-name', '.label-description'].map((c) => el.querySelector(c)?.textContent?.trim() ?? '').join(' — ')));
        assert.equal(rows.length, 3, rows.join(' | '));
        assert.equal(rows[0], 'tiny — 2/2 done');
        for (const [i, row] of rows.slice(1).entries()) assert.match(row, new RegExp(`^finetune · tiny — 8 labeled · seed ${i + 1} · accuracy \\d+\\.\\d%, macro-F1 \\d+\\.\\d%$`));
      });
      await summary.locator('.notification-list-item-message').waitFor({ timeout: 5_000 });
      console.log(`screenshot: ${await wb.screenshot('finished')}`);

      // The runs on disk, in the experiment's runs folder.
      const runsDir = path.join(wb.server.workspaceDir, '.adapt-lab', 'runs');
      const runs = fs.readdirSync(runsDir).sort();
      assert.equal(runs.length, 2, `runs: ${runs.join(', ')}`);
      for (const [i, id] of runs.entries()) {
        const dir = path.join(runsDir, id);
        const run = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunRecord;
        assert.equal(run.cellId, `finetune__tiny__n8__s${i + 1}`);
        assert.equal(run.status, 'done');
        assert.deepEqual([run.method, run.trainSize, run.seed, run.training.maxSteps], ['finetune', 8, i + 1, STEPS]);
        assert.ok(run.metrics && run.metrics.accuracy >= 0 && run.metrics.accuracy <= 1, 'test accuracy recorded');
        const steps = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step?: number }).step).filter((s) => s !== undefined);
        assert.equal(Math.max(...steps), STEPS, 'the step log reaches the last step');
        assert.equal(fs.readFileSync(path.join(dir, 'predictions.jsonl'), 'utf8').trim().split('\n').length, TEST_ROWS, 'a prediction per test row');
      }
    });
  } finally {
    world.dispose();
  }
});
