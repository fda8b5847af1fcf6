// `npm run test:e2e [-- <substring of a test file name>...]`: the UI tests, test/e2e/*.test.ts, one file at a
// time (each starts its own code-server and browser; two at once only fight over 2 CI cores).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireHarness } from '../vscode/harness';
import { repoRoot, vsixPath } from '../vscode/paths';

function main(): number {
  requireHarness();
  if (!fs.existsSync(vsixPath)) throw new Error(`${vsixPath} is missing; build it with: npm run package`);
  const wanted = process.argv.slice(2);
  const dir = path.join(repoRoot, 'test', 'e2e');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && (wanted.length === 0 || wanted.some((w) => f.includes(w))))
    .sort()
    .map((f) => path.join('test', 'e2e', f));
  if (files.length === 0) throw new Error('no test/e2e/*.test.ts file matched');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  return r.status ?? 1;
}

try {
  process.exit(main());
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
