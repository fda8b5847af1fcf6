// VS Code's "simple file dialog": what showOpenDialog / showSaveDialog open in the browser workbench, a quick input
// whose text box holds a path (it starts at the workspace folder) and whose list shows that folder's entries.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Page } from 'playwright-core';
import { eventually } from './eventually';

/**
 * Answers the open folder dialog with `folder` (an existing folder on the server) and its OK button, labelled
 * `okLabel` (the dialog's openLabel). The path is typed with a trailing separator, which makes the dialog go into
 * that folder; once it lists that folder's entries (only then does OK pick it, not the folder shown before), OK is
 * pressed. The folder should be small: the list is virtual, and only its visible rows are compared.
 */
export async function chooseFolder(page: Page, folder: string, okLabel: string, timeoutMs = 30_000): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input');
  await input.waitFor({ timeout: timeoutMs });
  const typed = folder.endsWith(path.sep) ? folder : folder + path.sep;
  await input.fill(typed);
  // In the folder: the list shows its entries (read here: the server is this machine), the text box keeps the path,
  // and the dialog is not busy. The dialog fills in its starting folder a moment after it shows, which can replace
  // what was typed before: then the path is typed again.
  await eventually('the file dialog shows the folder', async () => {
    const value = await input.inputValue();
    if (value !== typed) {
      await input.fill(typed);
      throw new Error(`the path box held "${value}"`);
    }
    const listed = (await widget.locator('.quick-input-list .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''))).filter((l) => l !== '..').sort();
    const entries = fs.readdirSync(folder).sort();
    if (listed.join('/') !== entries.join('/')) throw new Error(`the list shows [${listed.join(', ')}], not the folder's [${entries.join(', ')}]`);
    const busy = await widget.locator('.quick-input-progress').first().evaluate((el) => !el.classList.contains('done'));
    if (busy) throw new Error('the dialog is still reading the folder');
  }, timeoutMs);
  await widget.locator('.quick-input-action .monaco-button', { hasText: new RegExp(`^\\s*${okLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).click();
  await widget.waitFor({ state: 'hidden', timeout: timeoutMs });
}
