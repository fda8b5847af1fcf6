// The quick input widget: the command palette and every showQuickPick / showInputBox.
import { type Locator, type Page } from 'playwright-core';

/** The list row whose label is exactly `label` (the palette shows commands as "Category: Title"). */
export function quickInputRow(page: Page, label: string): Locator {
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
}

/** Waits for the open quick pick to offer `label`, and chooses it. */
export async function chooseQuickPick(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  const row = quickInputRow(page, label);
  await row.waitFor({ timeout: timeoutMs });
  await row.click();
}

/** Types `text` into the open input box (showInputBox) and accepts it. */
export async function answerInputBox(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: timeoutMs });
  await input.fill(text);
  await input.press('Enter');
}
