// `npm run test:integration:electron [-- --grep <regexp>]`: the same integration suites in desktop VS Code,
// for developers with internet access: @vscode/test-electron downloads VS Code (stable, or VSCODE_VERSION)
// into .vscode-test/ and runs it with --extensionDevelopmentPath / --extensionTestsPath. Offline, use
// `npm run test:integration` (code-server) instead; this one fails at the download there.
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../vscode/paths';
import { bundleIntegrationTests } from './bundle';

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing; build it with: npm run build');
  }
  const index = await bundleIntegrationTests();
  const grepAt = process.argv.indexOf('--grep');
  const grep = grepAt > 0 ? process.argv[grepAt + 1] : undefined;
  // A copy of the workspace fixture (or an empty folder), so tests may write into it; short path for sockets.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'al-ws-'));
  const fixture = path.join(repoRoot, 'test', 'integration', 'workspace');
  if (fs.existsSync(fixture)) fs.cpSync(fixture, workspace, { recursive: true });
  try {
    return await runTests({
      version: process.env.VSCODE_VERSION,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: index,
      extensionTestsEnv: grep ? { ADAPT_LAB_TEST_GREP: grep } : undefined,
      // --disable-extensions turns off every other installed extension, not the one under development.
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
