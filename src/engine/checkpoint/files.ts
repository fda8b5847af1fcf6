// Reading checkpoint files: opening inputs with errors a user can act on, and reading exact byte ranges into
// buffers we allocate (so their alignment is known). Checkpoints are written with the engine's atomic writer
// (src/engine/fs/atomic.ts), so an interrupted save never leaves a half-written model where a good one was.

import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { UserError } from '../errors';

/** Opens `file` for reading; a missing or unreadable file is the user's to fix, so it becomes a UserError. */
export async function openInput(file: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    throw inputError(file, e);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new UserError('is not a regular file', { file }, 'Point to the checkpoint file itself.');
    return { handle, size: stat.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

function inputError(file: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new UserError('file not found', { file }, 'Check the path, or download the checkpoint again.');
  if (code === 'EACCES' || code === 'EPERM') return new UserError('permission denied', { file }, 'Make the file readable by this user.');
  if (code === 'EISDIR') return new UserError('is a folder, not a file', { file }, 'Point to the checkpoint file itself.');
  return e;
}

/** Reads exactly `length` bytes at `position` into a fresh buffer whose byteOffset is 0 (so 4-byte views line up). */
export async function readRange(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(new ArrayBuffer(length));
  // A single read() call is capped near 2 GiB and may return short, so read in chunks until full.
  const CHUNK = 1 << 30;
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(out, done, Math.min(CHUNK, length - done), position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file after ${position + done} bytes`);
    done += bytesRead;
  }
  return out;
}

/** Reads a whole input file (after openInput's checks) into one buffer. */
export async function readWholeFile(file: string): Promise<Uint8Array> {
  const { handle, size } = await openInput(file);
  try {
    return await readRange(handle, 0, size);
  } finally {
    await handle.close();
  }
}

/** Reads a whole input file as UTF-8 text (a leading byte-order mark is dropped). */
export async function readTextFile(file: string): Promise<string> {
  const bytes = await readWholeFile(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError('is not UTF-8 text', { file }, 'Save it as UTF-8.');
  }
}
