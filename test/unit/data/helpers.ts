import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { sharedData } from '../../lib/shared';
export { sharedData };

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

const dir = mkdtempSync(path.join(tmpdir(), 'adapt-lab-data-'));

/** Writes `content` to a fresh file named `name` in a temporary folder and returns its path. */
export function writeTemp(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Asserts that `run` rejects with a UserError at `file`:`line` whose message contains every fragment. */
export async function rejectsUserError(run: () => Promise<unknown>, file: string, line: number | undefined, ...fragments: string[]): Promise<UserError> {
  let caught: unknown;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof UserError, `expected a UserError, got ${String(caught)}`);
  assert.equal(caught.place.file, file);
  assert.equal(caught.place.line, line);
  for (const f of fragments) assert.ok(caught.message.includes(f), `message ${JSON.stringify(caught.message)} lacks ${JSON.stringify(f)}`);
  return caught;
}
