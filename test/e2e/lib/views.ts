// The Adapt Lab side bar: its views (Experiments, Runs, Models, Datasets), their rows as shown, their title-bar
// actions and their rows' context menus.
import { type Locator, type Page } from 'playwright-core';

/** Opens the Adapt Lab container from the activity bar (no-op when it shows already). */
export async function openAdaptLabSidebar(page: Page): Promise<void> {
  const icon = page.locator('.activitybar .action-item a[aria-label^="Adapt Lab"]');
  await icon.waitFor({ timeout: 60_000 });
  if (!(await page.locator('.sidebar .pane-header h3.title', { hasText: /^Runs$/ }).isVisible())) await icon.click();
  await page.locator('.sidebar .pane-header h3.title', { hasText: /^Runs$/ }).waitFor({ timeout: 30_000 });
}

/** The view titled `title` in the side bar. */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`) }) });
}

/** The view's rows as "label — description" (just the label when it has none), top to bottom. */
export function viewRows(pane: Locator): Promise<string[]> {
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => {
      const label = row.querySelector('.label-name')?.textContent?.trim() ?? '';
      const description = row.querySelector('.label-description')?.textContent?.trim() ?? '';
      return description ? `${label} — ${description}` : label;
    }));
}

/** Clicks the view's title-bar action `label` (e.g. "Refresh"); the actions show while the pointer is over the view. */
export async function clickViewAction(pane: Locator, label: string): Promise<void> {
  await pane.locator('.pane-header').hover();
  await pane.locator(`.pane-header .actions .action-label[aria-label="${label}"]`).click();
}

/**
 * Right-clicks `row` and chooses `item` from its context menu. A menu can miss a click that comes as it opens (it
 * ignores the release of the click that opened it), so the click is repeated until the menu closes.
 */
export async function contextMenu(page: Page, row: Locator, item: string, timeoutMs = 15_000): Promise<void> {
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ timeout: timeoutMs });
  const entry = menu.locator('.action-menu-item', { has: page.locator('.action-label', { hasText: new RegExp(`^${item.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
  await entry.waitFor({ timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  while (await menu.isVisible()) {
    if (Date.now() > deadline) throw new Error(`the context menu did not take the click on "${item}"`);
    await entry.hover();
    await entry.click({ timeout: 2_000 }).catch(() => undefined);
    await page.waitForTimeout(300);
  }
}
