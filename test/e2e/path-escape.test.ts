// UI test of the path guard: an experiment whose training file lies outside the workspace (`../outside/train.jsonl`,
// a folder beside it) is not run before the person says so. Run Experiment… shows a modal warning that lists the
// field and the path; Cancel runs nothing (no runs folder appears); run again and Allow → the grid runs and its run
// is on disk; a third run does not ask again (the answer is remembered for this experiment and these paths).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { eventually } from './lib/eventually';
import { smsRows, TINY_MODEL, tinyWorkspace } from './lib/tiny-workspace';
import { withWorkbench, type Workbench } from './lib/workbench';

const EXPERIMENT = 'escape.experiment.json';

async function runFromPalette(wb: Workbench): Promise<void> {
  await wb.runCommand('Adapt Lab: Run Experiment…');
  await wb.chooseQuickPick(EXPERIMENT);
}

test('path-escape: an experiment reading outside the workspace asks first; Cancel runs nothing, Allow runs and is remembered', { timeout: 240_000 }, async () => {
  const world = await tinyWorkspace();
  world.write(EXPERIMENT, {
    name: 'escape',
    dataset: { train: '../outside/train.jsonl', test: 'test.jsonl' },
    models: [TINY_MODEL],
    trainSizes: [8],
    seeds: [1],
    methods: ['finetune'],
    training: { finetune: { maxSteps: 5, batchSize: 4, maxLength: 32, evalEverySteps: 1000 } },
  });
  try {
    await withWorkbench({
      name: 'path-escape',
      workspace: world.dir,
      ...(process.env.ADAPT_LAB_E2E_VSIX ? { vsix: process.env.ADAPT_LAB_E2E_VSIX } : {}),
    }, async (wb) => {
      // The folder beside the workspace copy the workbench opened (the session's folder, removed with it).
      const outsideFile = path.join(path.dirname(wb.server.workspaceDir), 'outside', 'train.jsonl');
      fs.mkdirSync(path.dirname(outsideFile), { recursive: true });
      fs.writeFileSync(outsideFile, smsRows('train.jsonl', 16, 8));
      const runsDir = path.join(wb.server.workspaceDir, '.adapt-lab', 'runs');
      const dialog = wb.page.locator('.monaco-dialog-box');
      const button = (label: string) => dialog.locator('.dialog-buttons .monaco-button', { hasText: label });

      // 1. The modal names the field and the real path; Cancel runs nothing.
      await runFromPalette(wb);
      await dialog.waitFor({ state: 'visible', timeout: 60_000 });
      const text = await dialog.innerText();
      assert.match(text, /escape\.experiment\.json reads a file outside the workspace/);
      assert.ok(text.includes(`dataset.train (line 4) → ${fs.realpathSync(outsideFile)}`), text);
      console.log(`screenshot: ${await wb.screenshot('asked')}`);
      await button('Cancel').click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
      // Nothing follows a Cancel; give a started job time to have shown itself before checking it did not.
      await new Promise((r) => setTimeout(r, 3_000));
      assert.equal(fs.existsSync(runsDir), false, 'Cancel created a runs folder');
      assert.equal(await wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'Adapt Lab: escape.experiment.json' }).count(), 0, 'Cancel started a job');

      // 2. Asked again (Cancel remembered nothing); Allow runs the grid, and its run is on disk.
      await runFromPalette(wb);
      await dialog.waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(fs.existsSync(runsDir), false);
      await button('Allow for This Experiment').click();
      await wb.waitForNotification('Adapt Lab: escape.experiment.json — 1 done, 0 skipped, 0 failed.', 120_000);
      const runs = fs.readdirSync(runsDir).filter((f) => !f.startsWith('.'));
      assert.equal(runs.length, 1, runs.join(', '));
      const run = JSON.parse(fs.readFileSync(path.join(runsDir, runs[0], 'run.json'), 'utf8')) as { status: string };
      assert.equal(run.status, 'done');

      // 3. The same experiment and paths: no question this time (the finished cell is skipped).
      await runFromPalette(wb);
      await eventually('the third run ends without asking', async () => {
        assert.equal(await wb.page.locator('.monaco-dialog-box:visible').count(), 0, 'the modal asked again');
        assert.ok(await wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'Adapt Lab: escape.experiment.json — 0 done, 1 skipped, 0 failed.' }).first().isVisible(), 'no summary yet');
      }, 120_000, 100);
    });
  } finally {
    world.dispose();
  }
});
