// A write that the file system refuses because the disk is full or the folder is read-only is the user's to fix,
// not a bug: it becomes a StorageError (a UserError) naming the file that could not be written, what happened and
// what to do. Where the file lives decides the advice ("choose another runs folder with --runs-dir…" for runs,
// "set HF_HUB_CACHE…" for downloads), so the error can be re-worded by the layer that knows the folder's role.
import { UserError } from '../errors';

/** The errno codes a user can act on, and what they mean for a write. */
const MEANING: Record<string, 'full' | 'read-only'> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read-only',
  EACCES: 'read-only',
  EPERM: 'read-only',
};

/** How to name the folder being written to, and where else the user could write. */
export interface WriteSite {
  /** e.g. "the runs folder". */
  folder: string;
  /** A clause that completes "…, or ___", e.g. "choose another runs folder with --runs-dir". */
  elsewhere: string;
}

export const ANY_FOLDER: WriteSite = { folder: 'its folder', elsewhere: 'write it to another folder' };

export class StorageError extends UserError {
  constructor(
    /** The errno code, e.g. ENOSPC. */
    readonly code: string,
    /** The file that could not be written (never a temporary name). */
    readonly file: string,
    readonly site: WriteSite = ANY_FOLDER,
  ) {
    const full = MEANING[code] === 'full';
    const what = code === 'EDQUOT' ? 'the disk quota is used up' : full ? 'the disk is full' : `${site.folder} is read-only`;
    const fix = full
      ? `Free some disk space and run again, or ${site.elsewhere}.`
      : `Make ${site.folder === ANY_FOLDER.folder ? 'that folder' : site.folder} writable, or ${site.elsewhere}.`;
    super(`cannot be written: ${what} (${code})`, { file }, fix);
    this.name = 'StorageError';
  }

  /** The same failure, advised for the folder's role. */
  at(site: WriteSite): StorageError {
    return site === this.site ? this : new StorageError(this.code, this.file, site);
  }
}

/** The errno code of a system error, if `e` is one. */
export function errnoCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * `e` as a StorageError when it is a refused write (or already one, then re-worded for `site`); anything else is
 * returned unchanged for the caller to rethrow. The error's own path is named when it has one (the file a plain
 * write, mkdir or append was refused), else `file`.
 */
export function asStorageError(e: unknown, file: string, site: WriteSite = ANY_FOLDER): unknown {
  const own = (e as NodeJS.ErrnoException | null)?.path;
  return storageErrorFor(e, typeof own === 'string' && own !== '' ? own : file, site);
}

/** Like asStorageError, but always naming `file`: a refused write to a temporary file names the file it stands for. */
export function storageErrorFor(e: unknown, file: string, site: WriteSite = ANY_FOLDER): unknown {
  if (e instanceof StorageError) return e.at(site);
  const code = errnoCode(e);
  if (code === undefined || MEANING[code] === undefined) return e;
  return new StorageError(code, file, site);
}
