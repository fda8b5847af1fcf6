// Notification toasts (showInformationMessage and friends): how most commands report their result.
import { type Locator, type Page } from 'playwright-core';

/** The toast whose text contains `text` (a string or RegExp), once visible. */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return toast;
}

/**
 * Every notification's message so far, from the notification center (toasts hide after a while; the center keeps
 * them). Opens the center with its command and closes it again.
 */
export async function notificationMessages(page: Page, runCommand: (title: string) => Promise<void>): Promise<string[]> {
  await runCommand('Notifications: Show Notifications');
  const center = page.locator('.notifications-center');
  await center.waitFor({ timeout: 15_000 });
  const messages = await center.locator('.notification-list-item-message').allInnerTexts();
  await runCommand('Notifications: Hide Notifications');
  await center.waitFor({ state: 'hidden', timeout: 15_000 });
  return messages;
}
