// Atomic replacement of a small file: write a temporary file in the same folder, flush it to disk, then rename it
// over the target. A rename within one file system is atomic, so a reader sees either the old content or the new,
// never a half-written file — even if the process is killed or the machine loses power between the two steps.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteHooks {
  /** Called after the temporary file is complete and flushed, before the rename (tests simulate a crash here). */
  beforeRename?: (tempPath: string) => void;
}

/** Temporary files are `.<name>.<pid>.<n>.tmp`: hidden, unique per writer, and recognisable as debris. */
let counter = 0;
export function isTempFile(name: string): boolean {
  return /^\..+\.\d+\.\d+\.tmp$/.test(name);
}

export function writeFileAtomic(file: string, content: string, hooks: AtomicWriteHooks = {}): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
  const fd = openSync(temp, 'wx');
  try {
    const bytes = Buffer.from(content, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  hooks.beforeRename?.(temp);
  renameWithRetry(temp, file);
  syncDirectory(dir);
}

/** Windows refuses to replace a file another process has open (a reader, an antivirus scan) for a moment. */
function renameWithRetry(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 20 || !['EPERM', 'EACCES', 'EBUSY'].includes(code ?? '')) {
        rmSync(from, { force: true });
        throw e;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 * (attempt + 1));
    }
  }
}

/** Makes the rename itself durable on POSIX file systems; folders cannot be opened for syncing on Windows. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: some file systems do not support syncing a folder; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
