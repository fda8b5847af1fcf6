// Where the shared reference fixtures are (beside the repo, as CI clones it) and scratch folders for tests.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { fixtureDir } from '../../lib/shared';
export { fixtureDir };

export const repoRoot = join(__dirname, '..', '..', '..');

/** A fresh temp folder, removed when the returned dispose() runs (call it from `after`). */
export function scratch(): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'adapt-lab-checkpoint-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `fn` (sync or async) and returns the UserError it throws; fails if it throws anything else or nothing. */
export async function userErrorFrom(fn: () => unknown): Promise<UserError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw new Error(`expected a UserError, got: ${String(e)}`);
  }
  throw new Error('expected a UserError, but nothing was thrown');
}
