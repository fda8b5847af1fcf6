// Writes into a runs folder. When the disk is full or the folder is read-only, the grid cannot record anything, so
// the refusal is one StorageError that names the file, says what happened and how to go on: free space, or keep the
// runs somewhere else (the CLI's --runs-dir, the extension's adaptLab.runsFolder setting).
import { asStorageError, type WriteSite } from '../fs/storage-error';

export const RUNS_FOLDER: WriteSite = {
  folder: 'the runs folder',
  elsewhere: 'choose another runs folder with --runs-dir (the adaptLab.runsFolder setting in VS Code)',
};

/** `e` as a StorageError about the runs folder when it is a refused write to `file`; otherwise `e` itself. */
export function runsWriteError(e: unknown, file: string): unknown {
  return asStorageError(e, file, RUNS_FOLDER);
}

/** Runs a write to `file` (or into it, for a folder); refused writes become StorageErrors about the runs folder. */
export function guardWrite<T>(file: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    throw runsWriteError(e, file);
  }
}

export async function guardWriteAsync<T>(file: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    throw runsWriteError(e, file);
  }
}
