// VS Code's modal dialogs in the browser workbench (an HTML dialog, not a native one): "Do you want to save the
// changes you made to …?" when a dirty editor is closed, and the like.
import { type Locator, type Page } from 'playwright-core';

/** The open modal dialog whose message contains `text`, once visible. */
export async function waitForDialog(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text }).first();
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  return dialog;
}

/**
 * Answers the save confirmation of `fileName` with the button labelled `answer` (the label as shown, mnemonics
 * removed: "Save", "Don't Save", "Cancel"), and waits for the dialog to go.
 */
export async function answerSaveDialog(page: Page, fileName: string, answer: 'Save' | "Don't Save" | 'Cancel', timeoutMs = 30_000): Promise<void> {
  const dialog = await waitForDialog(page, `Do you want to save the changes you made to ${fileName}?`, timeoutMs);
  await dialog.locator('.dialog-buttons a.monaco-button, .dialog-buttons button', { hasText: new RegExp(`^\\s*${answer.replace(/'/g, "['’]")}\\s*$`) }).first().click();
  await dialog.waitFor({ state: 'detached', timeout: timeoutMs });
}
