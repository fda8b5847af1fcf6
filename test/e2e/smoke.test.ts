// UI smoke test: the extension as users get it (installed from the VSIX into a fresh VS Code) works through the
// command palette, its activity-bar views are there, and a Hugging Face token is kept only in secret storage.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { filesUnder } from '../lib/files';
import { withWorkbench } from './lib/workbench';

const workspace = path.join(__dirname, 'workspace');

test('palette: Select Compute Backend → cpu saves the setting and says so', { timeout: 180_000 }, async () => {
  await withWorkbench({ name: 'smoke', workspace }, async (wb) => {
    await wb.runCommand('Adapt Lab: Select Compute Backend');
    await wb.chooseQuickPick('cpu');
    await wb.waitForNotification('compute backend set to cpu');
    // A user setting: code-server keeps it in its user-data folder, on the server's disk.
    const settings = JSON.parse(fs.readFileSync(path.join(wb.server.runDir, 'ud', 'User', 'settings.json'), 'utf8'));
    assert.equal(settings['adaptLab.backend'], 'cpu');
    console.log(`screenshot: ${await wb.screenshot('backend-selected')}`);

    // The activity-bar container shows the four views.
    await wb.page.locator('.activitybar .action-item a[aria-label^="Adapt Lab"]').click();
    const titles = wb.page.locator('.sidebar .pane-header h3.title');
    await titles.filter({ hasText: 'Datasets' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(await titles.allTextContents(), ['Experiments', 'Runs', 'Models', 'Datasets']);
    console.log(`screenshot: ${await wb.screenshot('views')}`);
  });
});

test('palette: Set Hugging Face Token… stores the token where no file holds it; Clear removes it', { timeout: 180_000 }, async () => {
  const token = `hf_e2e${randomBytes(12).toString('hex')}`;
  await withWorkbench({ name: 'smoke-token', workspace }, async (wb) => {
    await wb.runCommand('Adapt Lab: Set Hugging Face Token…');
    // A token of the wrong form is refused in the box itself; the right one is taken.
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill('not-a-token');
    await wb.page.locator('.quick-input-widget', { hasText: 'starts with "hf_"' }).waitFor({ timeout: 30_000 });
    assert.equal(await input.getAttribute('type'), 'password', 'the token is typed into a password box');
    await wb.answerInputBox(token);
    await wb.waitForNotification('the Hugging Face token is stored');
    // Nothing code-server keeps on disk (settings, state, logs) nor the workspace holds it.
    const holding = [wb.server.runDir].flatMap(filesUnder).filter((f) => fs.readFileSync(f).includes(token));
    assert.deepEqual(holding, []);
    await wb.runCommand('Adapt Lab: Clear Hugging Face Token');
    await wb.waitForNotification('the stored Hugging Face token is removed');
  });
});

