// `npm run test:vscode`, the last step of `npm test`: packages the VSIX and runs the suites that need a real
// VS Code (integration tests in the extension host, UI tests in the browser). Without the harness a developer
// still gets the unit tests, with a clear note of what was skipped; in CI (CI=true) a missing harness fails,
// because a green run must mean the extension was tested in VS Code.
import { spawnSync } from 'node:child_process';
import { findHarness } from './harness';
import { repoRoot } from './paths';

const ci = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());

function npmRun(script: string): { ok: boolean; seconds: number } {
  const t0 = Date.now();
  // npm sets npm_execpath for the scripts it runs; calling that file keeps to the same npm.
  const npm = process.env.npm_execpath;
  const r = npm
    ? spawnSync(process.execPath, [npm, 'run', script], { cwd: repoRoot, stdio: 'inherit' })
    : spawnSync('npm', ['run', script], { cwd: repoRoot, stdio: 'inherit' });
  return { ok: r.status === 0, seconds: (Date.now() - t0) / 1000 };
}

function main(): number {
  const harness = findHarness();
  if ('missing' in harness) {
    if (ci) {
      console.error(`\nFAILED: ${harness.missing}\nCI must run the VS Code suites (.ci/run installs the harness first).`);
      return 1;
    }
    console.log([
      '',
      '==== VS Code suites SKIPPED (unit tests only) ====',
      `  ${harness.missing}`,
      "  (root on Debian for apt's chromium and libkrb5-dev; about 4 minutes and 1.4 GB)",
      '  With internet and a desktop, `npm run test:integration:electron` runs the integration suites in VS Code.',
      '==================================================',
    ].join('\n'));
    return 0;
  }
  const pkg = npmRun('package');
  if (!pkg.ok) return 1;
  const results = ['test:integration', 'test:e2e'].map((s) => ({ script: s, ...npmRun(s) }));
  console.log(`\nVS Code suites: package ${pkg.seconds.toFixed(0)} s; ` +
    results.map((r) => `${r.script} ${r.ok ? 'passed' : 'FAILED'} in ${r.seconds.toFixed(0)} s`).join('; '));
  return results.every((r) => r.ok) ? 0 : 1;
}

process.exit(main());
