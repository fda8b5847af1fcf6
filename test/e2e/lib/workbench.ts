// One UI session: a fresh code-server with the packaged extension installed from its VSIX (as a user installs
// it), a workspace folder opened in it, and headless chromium showing the workbench.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type FrameLocator, type Locator, type Page } from 'playwright-core';
import { launchBrowser, type Browser } from '../../vscode/browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from '../../vscode/code-server';
import { requireHarness } from '../../vscode/harness';
import { vsixPath } from '../../vscode/paths';
import { waitForNotification } from './notifications';
import { runCommand } from './palette';
import { answerInputBox, chooseQuickPick } from './quick-input';
import { screenshot } from './screenshot';
import { findWebview } from './webview';

export type WorkbenchOptions = Omit<CodeServerOptions, 'vsix' | 'smokeTestDriver'> & {
  /** Default: dist/adapt-lab.vsix, from `npm run package`. */
  vsix?: string;
};

export interface Workbench {
  page: Page;
  server: CodeServer;
  /** Runs a palette command by its full label, "Adapt Lab: …". */
  runCommand(title: string, timeoutMs?: number): Promise<void>;
  /** Chooses the item labelled exactly `label` in the open quick pick. */
  chooseQuickPick(label: string, timeoutMs?: number): Promise<void>;
  /** Types into the open input box and presses Enter. */
  answerInputBox(text: string, timeoutMs?: number): Promise<void>;
  findWebview(selector: string, timeoutMs?: number): Promise<FrameLocator>;
  waitForNotification(text: string | RegExp, timeoutMs?: number): Promise<Locator>;
  /** test-output/screenshots/<session name>-<name>.png */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const harness = requireHarness();
  const vsix = opts.vsix ?? vsixPath;
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing; build it with: npm run package`);
  const server = await startCodeServer(harness, { ...opts, vsix });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser(harness, path.join(server.runDir, 'browser'), server.logDir);
    const page = browser.page;
    await page.goto(server.workbenchUrl(), { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // A listed workspace entry means the remote file system answers, i.e. the connection to the server is up.
    if (fs.readdirSync(server.workspaceDir).length > 0) {
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    }
  } catch (e) {
    await browser?.close();
    await server.stop();
    throw e;
  }
  const { page } = browser;
  const b = browser;
  return {
    page,
    server,
    runCommand: (title, timeoutMs) => runCommand(page, title, timeoutMs),
    chooseQuickPick: (label, timeoutMs) => chooseQuickPick(page, label, timeoutMs),
    answerInputBox: (text, timeoutMs) => answerInputBox(page, text, timeoutMs),
    findWebview: (selector, timeoutMs) => findWebview(page, selector, timeoutMs),
    waitForNotification: (text, timeoutMs) => waitForNotification(page, text, timeoutMs),
    screenshot: (name) => screenshot(page, `${opts.name}-${name}`),
    close: async () => {
      try {
        await b.close();
      } finally {
        await server.stop();
      }
    },
  };
}

/** Runs `body` in a fresh workbench; on failure saves <name>-failure.png first. Always cleans up. */
export async function withWorkbench<T>(opts: WorkbenchOptions, body: (wb: Workbench) => Promise<T>): Promise<T> {
  const wb = await openWorkbench(opts);
  try {
    return await body(wb);
  } catch (e) {
    await wb.screenshot('failure').catch(() => undefined);
    throw e;
  } finally {
    await wb.close();
  }
}
