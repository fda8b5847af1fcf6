// Headless Debian chromium driven by playwright-core (Playwright's own browser download is unreachable here).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { type Harness } from './harness';

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Writes the page's console and uncaught errors to <logDir>/browser-console.log, then closes the browser. */
  close(): Promise<void>;
}

/**
 * A fresh profile in `profileDir`. launchPersistentContext, because launch() refuses --user-data-dir; XDG dirs
 * point into the profile because Debian chromium's crash handler writes ~/.config/chromium otherwise.
 */
export async function launchBrowser(harness: Harness, profileDir: string, logDir: string): Promise<Browser> {
  fs.mkdirSync(profileDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: harness.chromium,
    headless: true,
    // Debian's /usr/bin/chromium wrapper mis-detects /dev/shm, hence --disable-dev-shm-usage here.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 800 },
    env: { ...process.env, XDG_CONFIG_HOME: profileDir, XDG_CACHE_HOME: profileDir },
    artifactsDir: path.join(profileDir, 'artifacts'),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const lines: string[] = [];
  page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
  const close = async () => {
    fs.writeFileSync(path.join(logDir, 'browser-console.log'), lines.join('\n') + '\n');
    await context.close();
  };
  return { context, page, close };
}
