// `npm run test:integration [-- --grep <regexp>]`: runs test/integration/suite/* with mocha inside code-server's
// Node extension host, with this repository loaded as the extension under development. code-server has no
// --extensionTestsPath flag; its workbench takes the same two paths from the `payload` URL parameter when the
// smoke-test driver is on, starts the extension tests, and reports their exit code by calling
// window.codeAutomationExit, which Playwright exposes here. The tests' console output comes through
// window.codeAutomationLog.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { launchBrowser } from '../vscode/browser';
import { startCodeServer } from '../vscode/code-server';
import { requireHarness } from '../vscode/harness';
import { repoRoot, screenshotsDir } from '../vscode/paths';
import { bundleIntegrationTests } from './bundle';

const TIMEOUT_S = Number(process.env.ADAPT_LAB_INTEGRATION_TIMEOUT_S ?? 600);
/** Marks the mocha report's lines among the workbench's log lines (see markReport in index.ts). */
const HOST_PREFIX = '<<ext-host>>';

async function main(): Promise<number> {
  const t0 = Date.now();
  const harness = requireHarness();
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing; build it with: npm run build');
  }
  const index = await bundleIntegrationTests();
  const grepAt = process.argv.indexOf('--grep');
  const grep = grepAt > 0 ? process.argv[grepAt + 1] : undefined;
  const workspace = path.join(repoRoot, 'test', 'integration', 'workspace');
  const server = await startCodeServer(harness, {
    name: 'integration',
    smokeTestDriver: true,
    workspace: fs.existsSync(workspace) ? workspace : undefined,
    env: { ADAPT_LAB_HOST_LOG_PREFIX: HOST_PREFIX, ...(grep ? { ADAPT_LAB_TEST_GREP: grep } : {}) },
  });
  let result: number | 'timeout' | 'code-server exited' = 1;
  try {
    const browser = await launchBrowser(harness, path.join(server.runDir, 'browser'), server.logDir);
    try {
      let exited: (code: number) => void = () => {};
      const exitCode = new Promise<number>((resolve) => (exited = resolve));
      await browser.page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
      const workbenchLog = path.join(server.logDir, 'workbench.log');
      fs.writeFileSync(workbenchLog, '');
      await browser.page.exposeFunction('codeAutomationLog', (level: string, args: unknown[]) => {
        const [first, ...rest] = args;
        if (typeof first === 'string' && first.startsWith(HOST_PREFIX)) console.log(first.slice(HOST_PREFIX.length), ...rest);
        else fs.appendFileSync(workbenchLog, `[${level}] ${util.format(...args)}\n`);
      });
      await browser.page.goto(server.workbenchUrl([
        ['extensionDevelopmentPath', repoRoot],
        ['extensionTestsPath', index],
      ]));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), TIMEOUT_S * 1000)));
      const serverDied = server.exited.then(() => 'code-server exited' as const);
      result = await Promise.race([exitCode, timeout, serverDied]);
      clearTimeout(timer);
      if (result !== 0) {
        fs.mkdirSync(screenshotsDir, { recursive: true });
        await browser.page.screenshot({ path: path.join(screenshotsDir, 'integration-failure.png') });
      }
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
  const outcome = result === 'timeout' ? `no result within ${TIMEOUT_S} s` : typeof result === 'string' ? result : `exit code ${result}`;
  console.log(`integration tests (code-server ${harness.codeServerVersion}): ${outcome} in ${((Date.now() - t0) / 1000).toFixed(1)} s; logs in ${server.logDir}`);
  return result === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
