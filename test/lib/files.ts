// Files on disk as the tests check them: every regular file below a folder (symbolic links are not followed, so a
// link to a shared model is neither searched nor counted twice).
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Every regular file below `dir`, as absolute paths; links are skipped, not followed. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) return [];
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}
