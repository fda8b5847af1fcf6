// UI test of Restricted Mode (Workspace Trust on, the folder not trusted), from the installed VSIX: Adapt Lab says
// once what is off; every command that would train, estimate, predict or load a model of the workspace is refused
// with the warning that names Restricted Mode, asks nothing, writes nothing and starts no worker; the labeling
// editor still opens, labels and saves; a template's diagnostics read no model folder of the workspace (the JSON is
// still checked); the Models view lists none of its folders.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { eventually } from './lib/eventually';
import { notificationMessages } from './lib/notifications';
import { TINY_MODEL, tinyWorkspace } from './lib/tiny-workspace';
import { openAdaptLabSidebar, viewPane, viewRows } from './lib/views';
import { withWorkbench } from './lib/workbench';
import { workerProcesses } from './lib/workers';

const TEMPLATE = 'spam.prompt.json';
const INBOX = [{ text: 'Are we still on for lunch?', label: 'ham' }, { text: 'WINNER!! Claim your free cruise now', label: 'spam' }, { text: 'Running late, ten minutes' }];

/** Each command, and the action its refusal names. */
const REFUSED: [string, string][] = [
  ['Adapt Lab: Run Experiment…', 'Running an experiment'],
  ['Adapt Lab: Estimate Cost of Experiment', 'Estimating an experiment'],
  ['Adapt Lab: Preview Prompt Template', 'Previewing a prompt template'],
  ['Adapt Lab: Zero-shot Accuracy of Prompt Template on Dev', 'Measuring a prompt template'],
  ['Adapt Lab: Launch Knowledge Distillation…', 'Distillation'],
  ['Adapt Lab: Label Next Uncertain Examples', 'Active learning'],
];

test('restricted mode: training commands refused, nothing written or started; labeling and JSON checks work', { timeout: 420_000 }, async () => {
  const world = await tinyWorkspace();
  // "excelent" splits in the vocabulary of ./tiny (a trusted workspace gets an error for it), "patern" is no key.
  world.write(TEMPLATE, { model: TINY_MODEL, patern: 'x', patterns: ['{text} This message is [MASK].'], verbalizer: { ham: 'normal', spam: 'excelent' } });
  world.write('tiny.experiment.json', {
    name: 'tiny', dataset: { train: 'train.jsonl', test: 'test.jsonl' }, prompt: TEMPLATE, models: [TINY_MODEL], trainSizes: [8], seeds: [1],
    methods: ['finetune'], training: { finetune: { maxSteps: 100_000, batchSize: 4, maxLength: 32 } },
  });
  world.write('inbox.jsonl', INBOX.map((r) => JSON.stringify(r)).join('\n') + '\n');
  try {
    await withWorkbench({
      name: 'restricted-mode',
      workspace: world.dir,
      trustWorkspace: false,
      settings: { 'editor.stickyScroll.enabled': false },
      ...(process.env.ADAPT_LAB_E2E_VSIX ? { vsix: process.env.ADAPT_LAB_E2E_VSIX } : {}),
    }, async (wb) => {
      const page = wb.page;
      const ws = wb.server.workspaceDir;
      // A worker seen at any moment of the test fails it: sampled all along, not only at the end.
      const workersSeen: string[] = [];
      const sampler = setInterval(() => workersSeen.push(...workerProcesses(wb.server.runDir).map((p) => `${p.pid} ${p.args}`)), 250);
      try {
        await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 60_000 });
        await openAdaptLabSidebar(page);
        // The notice, once (it may have left the screen already: the notification center keeps it).
        await eventually('the Restricted Mode notice', async () => {
          const notices = (await notificationMessages(page, wb.runCommand)).filter((m) => m.startsWith('Adapt Lab is in Restricted Mode: nothing is trained'));
          assert.equal(notices.length, 1, notices.join(' | '));
        }, 60_000, 1_000);
        await wb.runCommand('Notifications: Clear All Notifications');

        for (const [command, action] of REFUSED) {
          await wb.runCommand(command);
          const warning = await wb.waitForNotification(`Adapt Lab: ${action} is not available in Restricted Mode`);
          assert.equal(await warning.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).count(), 1, 'the way to trust');
          // Refused before asking anything: once the palette has closed, no quick pick or input box is open.
          await eventually(`${command} asks nothing`, async () => assert.equal(await page.locator('.quick-input-widget').isVisible(), false), 10_000);
          if (command === REFUSED[0][0]) console.log(`screenshot: ${await wb.screenshot('run-refused')}`);
          await wb.runCommand('Notifications: Clear All Notifications');
        }
        // A worker would have been forked at once and would train for minutes: a few seconds show none came.
        await page.waitForTimeout(3_000);
        assert.deepEqual(workersSeen, [], 'no worker process started');
        assert.equal(fs.existsSync(path.join(ws, '.adapt-lab')), false, 'no runs folder');

        // The labeling editor works: a label given with its key, saved with Ctrl+S.
        await wb.runCommand('Adapt Lab: Label Data…');
        await wb.chooseQuickPick('inbox.jsonl');
        const view = await wb.findWebview('#labels button[data-label]', 60_000);
        await view.locator('#text').click();
        await page.keyboard.press('f');
        await eventually('the unlabeled row', async () => assert.equal(await view.locator('#text').innerText(), INBOX[2].text));
        await page.keyboard.press('1');
        await eventually('labeled', async () => assert.match(await view.locator('#labeled').innerText(), /^3 \/ 3 labeled/));
        await page.keyboard.press('Control+s');
        await eventually('the label is on disk', () => {
          const labels = fs.readFileSync(path.join(ws, 'inbox.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { label?: string }).label);
          assert.deepEqual(labels, ['ham', 'spam', 'ham']);
        });
        console.log(`screenshot: ${await wb.screenshot('labeling')}`);

        // The template: the unknown key is an error (the JSON is checked); the words are not checked (./tiny is a
        // folder of the workspace), which an info says — and no tokenizer-based diagnostic comes.
        await wb.runCommand('View: Close All Editors');
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: TEMPLATE }).click().catch(async () => {
          await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
          await page.locator('.explorer-folders-view .monaco-list-row', { hasText: TEMPLATE }).click();
        });
        await page.locator('.editor-group-container.active .monaco-editor .view-lines', { hasText: 'excelent' }).waitFor({ timeout: 30_000 });
        await page.keyboard.press('Control+Shift+M');
        const rows = page.locator('.markers-panel .monaco-list-row');
        await eventually('the template diagnostics', async () => {
          const shown = await rows.allInnerTexts();
          assert.ok(shown.some((r) => r.includes('The words are not checked: ./tiny is a folder of this workspace, and nothing is loaded from an untrusted workspace.')), shown.join(' | '));
          assert.ok(shown.some((r) => r.includes('unknown-key')), shown.join(' | '));
        }, 60_000);
        // Both come from one pass over the template: with them shown, a split-word error would be there too.
        const shown = await rows.allInnerTexts();
        assert.ok(!shown.some((r) => /verbalizer-split|splits into/.test(r)), shown.join(' | '));
        console.log(`screenshot: ${await wb.screenshot('template')}`);

        // The Models view reads no folder of the workspace.
        await openAdaptLabSidebar(page);
        await eventually('the Models view', async () => assert.ok((await viewRows(viewPane(page, 'Models'))).includes('Not listed in Restricted Mode')));

        assert.deepEqual(workersSeen, [], 'no worker process started');
        assert.equal(fs.existsSync(path.join(ws, '.adapt-lab')), false, 'no runs folder');
      } finally {
        clearInterval(sampler);
      }
    });
  } finally {
    world.dispose();
  }
});
