// Atomic replacement of a file, for everything the engine writes that a reader may open at any moment or that a
// crash must not leave half-written: run records, predictions, checkpoints, Hub downloads. The content goes to a
// temporary file beside the target, is flushed to disk, and the temporary file is renamed over the target. A rename
// within one file system is atomic, so a reader sees the old content or the new, never a mix — even if the process
// is killed or the machine loses power between the steps. A failed write removes its temporary file and leaves the
// target untouched; a refused one (disk full, read-only) becomes a StorageError naming the target.
//
// Two forms share the naming, flushing, renaming and folder syncing: a synchronous one for small text (run.json is
// rewritten many times per run and read by other processes) and an asynchronous one that lets the caller stream
// the content through a FileHandle (a checkpoint is written one tensor at a time, a download chunk by chunk).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, storageErrorFor } from './storage-error';

export interface AtomicWriteHooks {
  /** Called after the temporary file is complete and flushed, before the rename (tests simulate a crash here). */
  beforeRename?: (tempPath: string) => void;
}

export type Content = string | Uint8Array;
/** Fills the temporary file through its handle (from position 0, e.g. with writeAll). */
export type Writer = (handle: FileHandle) => Promise<void>;

/**
 * Temporary files are `.<name>.<pid>.<random hex>.tmp`: hidden, unique per writer (a pid alone is not: containers
 * reuse pids, and debris of a killed process may carry the same one), and recognisable as debris by isTempFile.
 */
const TEMP_NAME = /^\..+\.\d+\.[0-9a-f]+\.tmp$/;

/** Whether a file name (or path) is a temporary file of an atomic write: debris when its writer is gone. */
export function isTempFile(name: string): boolean {
  return TEMP_NAME.test(path.basename(name));
}

export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Replaces `file` with `content` atomically, synchronously. */
export function writeFileAtomicSync(file: string, content: Content, hooks: AtomicWriteHooks = {}): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const { temp, fd } = openTempSync(file);
  let open = true;
  try {
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd); // some file systems (NFS) only report a failed write when the file is closed
  } catch (e) {
    if (open) closeQuietly(fd);
    fs.rmSync(temp, { force: true });
    throw storageErrorFor(e, file);
  }
  hooks.beforeRename?.(temp);
  renameIntoPlaceSync(temp, file);
}

/** Replaces `file` atomically with `content`, or with what `content(handle)` writes. */
export async function writeFileAtomic(file: string, content: Content | Writer, hooks: AtomicWriteHooks = {}): Promise<void> {
  const { temp, handle } = await openTemp(file);
  let open = true;
  try {
    if (typeof content === 'function') await content(handle);
    else await writeAll(handle, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    await handle.sync();
    open = false;
    await handle.close();
  } catch (e) {
    if (open) await handle.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true });
    throw storageErrorFor(e, file);
  }
  hooks.beforeRename?.(temp);
  await renameIntoPlace(temp, file);
}

/** Writes all of `bytes` at the handle's current position (write() may write less than asked). */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done);
    done += bytesWritten;
  }
}

/**
 * Renames a complete temporary file (or link) over `file` and makes the rename durable; on failure the temporary
 * file is removed. For callers that make the temporary entry themselves (e.g. a symlink), named by tempPathFor.
 */
export async function renameIntoPlace(temp: string, file: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.promises.rename(temp, file);
      break;
    } catch (e) {
      if (!retryRename(e, attempt)) {
        await fs.promises.rm(temp, { force: true });
        throw storageErrorFor(e, file);
      }
      await new Promise((resolve) => setTimeout(resolve, renameDelayMs(attempt)));
    }
  }
  await syncFolder(path.dirname(file));
}

function renameIntoPlaceSync(temp: string, file: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.renameSync(temp, file);
      break;
    } catch (e) {
      if (!retryRename(e, attempt)) {
        fs.rmSync(temp, { force: true });
        throw storageErrorFor(e, file);
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, renameDelayMs(attempt));
    }
  }
  syncFolderSync(path.dirname(file));
}

/** Windows refuses to replace a file another process has open (a reader, an antivirus scan) for a moment. */
function retryRename(e: unknown, attempt: number): boolean {
  return process.platform === 'win32' && attempt < 20 && ['EPERM', 'EACCES', 'EBUSY'].includes(errnoCode(e) ?? '');
}

function renameDelayMs(attempt: number): number {
  return 10 * (attempt + 1);
}

/** A fresh temporary file beside `file`; a name taken by debris that happens to match is simply skipped. */
function openTempSync(file: string): { temp: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const temp = tempPathFor(file);
    try {
      return { temp, fd: fs.openSync(temp, 'wx') };
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST' || attempt >= 5) throw storageErrorFor(e, file);
    }
  }
}

async function openTemp(file: string): Promise<{ temp: string; handle: FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const temp = tempPathFor(file);
    try {
      return { temp, handle: await fs.promises.open(temp, 'wx') };
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST' || attempt >= 5) throw storageErrorFor(e, file);
    }
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already failing; the write's own error is the one to report.
  }
}

// Makes the rename itself durable on POSIX file systems; folders cannot be opened for syncing on Windows. Best
// effort: some file systems do not support syncing a folder, and the rename is atomic all the same.
function syncFolderSync(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // See above.
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.promises.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
