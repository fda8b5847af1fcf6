// UI smoke test: the extension as users get it (installed from the VSIX into a fresh VS Code) works through the
// command palette, and its activity-bar views are there.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
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
