// Builds a Hugging Face cache by hand, the way python's huggingface_hub lays it out, for lookup tests.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureDir } from '../../lib/shared';
export { fixtureDir };

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `adapt-lab-${prefix}-`));
}

export function commitOf(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

/**
 * Writes `models--org--name/{blobs,snapshots/<commit>,refs}` with each file a relative symlink to its blob (named by
 * the content's sha256, as for LFS files), and each ref a file holding the commit without a newline.
 */
export function addCachedSnapshot(
  cacheDir: string,
  repoId: string,
  commit: string,
  files: Record<string, string | Buffer>,
  refs: string[] = [],
): string {
  const repoDir = path.join(cacheDir, ['models', ...repoId.split('/')].join('--'));
  const snapshot = path.join(repoDir, 'snapshots', commit);
  mkdirSync(path.join(repoDir, 'blobs'), { recursive: true });
  mkdirSync(snapshot, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const etag = createHash('sha256').update(content).digest('hex');
    writeFileSync(path.join(repoDir, 'blobs', etag), content);
    symlinkSync(path.join('..', '..', 'blobs', etag), path.join(snapshot, name));
  }
  for (const ref of refs) {
    mkdirSync(path.dirname(path.join(repoDir, 'refs', ref)), { recursive: true });
    writeFileSync(path.join(repoDir, 'refs', ref), commit);
  }
  return snapshot;
}
