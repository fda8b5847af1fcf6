// The decision `npm test` makes about the VS Code suites: run them when the harness is installed; without it skip
// them with instructions on a developer's machine, and fail in CI.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { findHarness } from '../../vscode/harness';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function withCache<T>(body: (cache: string) => T): T {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'al-harness-test-'));
  const before = process.env.ADAPT_LAB_E2E_CACHE;
  process.env.ADAPT_LAB_E2E_CACHE = cache;
  try {
    return body(cache);
  } finally {
    if (before === undefined) delete process.env.ADAPT_LAB_E2E_CACHE;
    else process.env.ADAPT_LAB_E2E_CACHE = before;
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

test('no marker file: not installed, and the message names the setup script', () => {
  withCache((cache) => {
    const h = findHarness();
    assert.ok('missing' in h);
    assert.match(h.missing, new RegExp(`no ${path.join(cache, 'harness.json').replace(/[.]/g, '\\.')}`));
    assert.match(h.missing, /bash scripts\/setup-vscode-e2e\.sh/);
  });
});

test('a marker whose files are gone: not installed, naming the missing file', () => {
  withCache((cache) => {
    const node = path.join(cache, 'node');
    fs.writeFileSync(node, '');
    const marker = { codeServerVersion: '4.139.1', node, codeServer: path.join(cache, 'gone', 'entry.js'), chromium: node };
    fs.writeFileSync(path.join(cache, 'harness.json'), JSON.stringify(marker));
    const h = findHarness();
    assert.ok('missing' in h);
    assert.match(h.missing, /gone\/entry\.js/);
  });
});

test('a complete marker: the recorded paths', () => {
  withCache((cache) => {
    const file = path.join(cache, 'f');
    fs.writeFileSync(file, '');
    const marker = { codeServerVersion: '4.139.1', node: file, codeServer: file, chromium: file };
    fs.writeFileSync(path.join(cache, 'harness.json'), JSON.stringify(marker));
    assert.deepEqual(findHarness(), marker);
  });
});

/** Runs `npm run test:vscode`'s script with no harness installed. */
function suitesWithoutHarness(ci: string | undefined) {
  return withCache((cache) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ADAPT_LAB_E2E_CACHE: cache };
    delete env.CI;
    if (ci !== undefined) env.CI = ci;
    return spawnSync(process.execPath, ['--import', 'tsx', 'test/vscode/suites.ts'], { cwd: repoRoot, env, encoding: 'utf8' });
  });
}

test('without the harness, a developer run skips the VS Code suites and says how to install them', () => {
  const r = suitesWithoutHarness(undefined);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /VS Code suites SKIPPED/);
  assert.match(r.stdout, /bash scripts\/setup-vscode-e2e\.sh/);
});

test('without the harness, CI=true fails', () => {
  const r = suitesWithoutHarness('true');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /FAILED: the VS Code test harness is not installed/);
});
