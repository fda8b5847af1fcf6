// The installed test harness (code-server, the Node 24 it runs on, chromium), as recorded by
// scripts/setup-vscode-e2e.sh in its marker file. The marker is written only after every part was checked, so
// its presence is what "the harness is installed" means; the paths are re-checked here because a cache can be
// half-deleted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Harness {
  codeServerVersion: string;
  /** Node 24: code-server and its extension host run on it. */
  node: string;
  /** code-server's entry script (out/node/entry.js). */
  codeServer: string;
  chromium: string;
}

export const setupCommand = 'bash scripts/setup-vscode-e2e.sh';

export function cacheDir(): string {
  return process.env.ADAPT_LAB_E2E_CACHE || path.join(os.homedir(), '.cache', 'adapt-lab-e2e');
}

/** The harness, or why it cannot be used (one line, naming the fix). */
export function findHarness(): Harness | { missing: string } {
  const marker = path.join(cacheDir(), 'harness.json');
  if (!fs.existsSync(marker)) {
    return { missing: `the VS Code test harness is not installed (no ${marker}); install it with: ${setupCommand}` };
  }
  const h = JSON.parse(fs.readFileSync(marker, 'utf8')) as Harness;
  for (const file of [h.node, h.codeServer, h.chromium]) {
    if (!fs.existsSync(file)) return { missing: `${file} (listed in ${marker}) is gone; reinstall with: ${setupCommand}` };
  }
  return h;
}

/** The harness, or an Error that says how to install it: for runners that cannot do anything without it. */
export function requireHarness(): Harness {
  const h = findHarness();
  if ('missing' in h) throw new Error(h.missing);
  return h;
}
