// Finding the content of a webview (a panel or a view). Each webview is an outer iframe.webview (marked .ready
// once loaded) holding the extension's HTML in an inner iframe#active-frame.
import { type FrameLocator, type Page } from 'playwright-core';

/**
 * The first webview whose content has an element matching `selector`, waiting up to `timeoutMs` for it to
 * appear: several webviews can be open at once, and their order in the DOM says nothing about which is which.
 */
export async function findWebview(page: Page, selector: string, timeoutMs = 30_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  const outer = page.locator('iframe.webview.ready');
  for (;;) {
    const n = await outer.count();
    for (let i = 0; i < n; i++) {
      const content = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('iframe#active-frame');
      if ((await content.locator(selector).count()) > 0) return content;
    }
    if (Date.now() > deadline) throw new Error(`no webview (of ${n} open) contains "${selector}" after ${timeoutMs / 1000} s`);
    await page.waitForTimeout(250);
  }
}
