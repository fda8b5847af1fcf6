// The quick input widget: the command palette and every showQuickPick / showInputBox.
import { type Locator, type Page } from 'playwright-core';

const ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

/** The list row whose label is exactly `label` (the palette shows commands as "Category: Title"). */
export function quickInputRow(page: Page, label: string): Locator {
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page
    .locator(ROWS)
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
}

const isFocused = (row: Locator) => row.evaluate((el) => el.classList.contains('focused'));

/**
 * Waits for the open quick pick to offer `label`, and chooses it. With the keyboard (arrows to the row, then
 * Enter), not a click: a row whose description is cut off gets a hover, which can cover the row a click aims at.
 */
export async function chooseQuickPick(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  const row = quickInputRow(page, label);
  await row.waitFor({ timeout: timeoutMs });
  // The list wraps around, so enough presses reach any row; a bound keeps a bug from looping for ever.
  for (let i = 0; i < 200 && !(await isFocused(row)); i++) await page.keyboard.press('ArrowDown');
  if (!(await isFocused(row))) throw new Error(`the quick pick row "${label}" could not be focused`);
  await page.keyboard.press('Enter');
}

/** In the open multi-select quick pick (canPickMany), ticks the rows labelled `labels` and presses its OK button. */
export async function chooseQuickPicks(page: Page, labels: string[], timeoutMs = 30_000): Promise<void> {
  for (const label of labels) {
    const row = quickInputRow(page, label);
    await row.waitFor({ timeout: timeoutMs });
    await row.locator('.monaco-checkbox').click();
    await row.locator('.monaco-checkbox[aria-checked="true"]').waitFor({ timeout: 5_000 });
  }
  await page.locator('.quick-input-widget .quick-input-action .monaco-button', { hasText: /^\s*OK\s*$/ }).click();
}

/** Types `text` into the open input box (showInputBox) and accepts it. */
export async function answerInputBox(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: timeoutMs });
  await input.fill(text);
  await input.press('Enter');
}

/**
 * Waits until the open quick input asks `question` (matched against its title, prompt and placeholder joined by
 * " — "). Steps of a flow reuse one widget: answering before the next step shows would answer the previous one.
 */
export async function waitForQuestion(page: Page, question: RegExp, timeoutMs = 30_000): Promise<string> {
  const widget = page.locator('.quick-input-widget');
  const deadline = Date.now() + timeoutMs;
  let asked = '';
  for (;;) {
    if (await widget.isVisible()) {
      const title = await widget.locator('.quick-input-title').innerText({ timeout: 1_000 }).catch(() => '');
      const message = await widget.locator('.quick-input-message').innerText({ timeout: 1_000 }).catch(() => '');
      const placeholder = (await widget.locator('input').getAttribute('placeholder', { timeout: 1_000 }).catch(() => null)) ?? '';
      asked = [title, message, placeholder].map((s) => s.trim()).filter((s) => s !== '').join(' — ');
      if (question.test(asked)) return asked;
    }
    if (Date.now() > deadline) throw new Error(`the quick input did not ask ${question} within ${timeoutMs / 1000} s (it asks: "${asked}")`);
    await page.waitForTimeout(200);
  }
}
