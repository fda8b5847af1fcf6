// Notification toasts (showInformationMessage and friends): how most commands report their result.
import { type Locator, type Page } from 'playwright-core';

/** The toast whose text contains `text` (a string or RegExp), once visible. */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return toast;
}
