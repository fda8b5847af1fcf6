// Modal messages (showWarningMessage(…, { modal: true }, …)): in the browser workbench an HTML dialog box over the
// window, with the extension's buttons and VS Code's own Cancel.
import { type Locator, type Page } from 'playwright-core';
import { waitForDialog } from './save-dialog';

/** Waits for the modal dialog whose message contains `text`, presses its button `button`, and waits for it to go. */
export async function answerDialog(page: Page, text: string | RegExp, button: string, timeoutMs = 30_000): Promise<Locator> {
  const dialog = await waitForDialog(page, text, timeoutMs);
  const exact = new RegExp(`^\\s*${button.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: exact }).first().click();
  await dialog.waitFor({ state: 'detached', timeout: timeoutMs });
  return dialog;
}
