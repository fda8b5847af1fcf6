// The editor tabs of the workbench: which one is active, and whether it shows unsaved changes.
import { type Locator, type Page } from 'playwright-core';

/** The active tab of the active editor group. */
export function activeTab(page: Page): Locator {
  return page.locator('.editor-group-container.active .tabs-container .tab.active');
}

/** The tab titled `name` (its label, e.g. a file's base name), in any group. */
export function tabNamed(page: Page, name: string): Locator {
  return page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
}

/** Whether the tab shows the dot of unsaved changes (VS Code marks it with the class "dirty"). */
export async function isDirty(tab: Locator): Promise<boolean> {
  return /\bdirty\b/.test((await tab.getAttribute('class')) ?? '');
}
