// Running a command through the command palette, as a user does.
import { type Page } from 'playwright-core';
import { quickInputRow } from './quick-input';

/**
 * Opens the palette (F1), types `title` ("Category: Title", as the palette shows it) and runs the entry whose
 * label is exactly that. The palette computes its list once, when it opens: pressed before the extension host
 * has registered the extension's contributions, it lacks the command and never refreshes. So: Escape and retry
 * until `timeoutMs`.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  const row = quickInputRow(page, title);
  for (;;) {
    // Focus the workbench so that F1 reaches it (and not, say, a browser-level focus nowhere). Not by a click into
    // a webview (a report, the labeling editor): F1 there reaches the workbench late, as a message, and a palette
    // opened that late replaces whatever the command has asked meanwhile.
    const onWebview = await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      return document.elementFromPoint(640, 400)?.closest('.webview, iframe') != null;
    });
    if (!onWebview) await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } });
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 3_000 });
      await row.click();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`no command "${title}" in the palette after ${timeoutMs / 1000} s`, { cause: e });
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
  }
}
