// One grid at a time per runs folder. Two grids on the same folder would both pick up the same queued or failed
// cells and overwrite each other's runs, so a grid holds `<runsDir>/.lock` while it runs. The lock is created with
// O_EXCL (exactly one creator wins) and records the holder's pid and host; a lock whose process is gone — killed,
// crashed, the machine rebooted — is stale and taken over, so a crash never leaves the folder locked for good.
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { UserError } from '../errors';
import { guardWrite, runsWriteError } from './guard';
import { isProcessAlive } from './process';

interface Holder {
  pid?: number;
  host?: string;
  since?: string;
}

/** Lock files held by this process, released on exit even when the holder forgets. */
const held = new Set<string>();
let exitHookInstalled = false;
let takeovers = 0;

/** A lock whose content cannot be read yet may be mid-creation by its owner; give it this long before calling it stale. */
const UNREADABLE_GRACE_MS = 5000;

export class RunsLock {
  private released = false;

  private constructor(
    readonly file: string,
    readonly runsDir: string,
    private readonly onRelease?: () => void,
  ) {}

  /** Takes the runs folder's lock, or throws a UserError naming the process that holds it. */
  static acquire(runsDir: string, opts: { onRelease?: () => void } = {}): RunsLock {
    const file = path.join(runsDir, '.lock');
    guardWrite(runsDir, () => mkdirSync(runsDir, { recursive: true }));
    const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    for (let attempt = 0; attempt < 20; attempt++) {
      if (tryCreate(file, JSON.stringify(me) + '\n')) {
        held.add(file);
        installExitHook();
        return new RunsLock(file, runsDir, opts.onRelease);
      }
      const seen = readHolder(file);
      if (seen === undefined) continue; // released between our attempt and the read: try again
      const { holder, text, ageMs } = seen;
      if (holder.pid === process.pid && holder.host === me.host && held.has(file)) {
        throw new UserError('this process is already running a grid on this runs folder', { file },
          'Wait for it to finish or cancel it before starting another.');
      }
      if (holder.host !== undefined && holder.host !== me.host) {
        throw new UserError(`the runs folder is locked by process ${holder.pid ?? '?'} on another machine (${holder.host})`, { file },
          `Wait for that grid to finish; if it is no longer running, delete ${file}.`);
      }
      if (holder.pid === undefined && ageMs < UNREADABLE_GRACE_MS) {
        sleep(50);
        continue;
      }
      const stale = holder.pid === undefined || holder.pid === process.pid || !isProcessAlive(holder.pid);
      if (!stale) {
        throw new UserError(`the runs folder is in use by process ${holder.pid} (since ${holder.since ?? 'an unknown time'})`, { file },
          `Wait for that grid to finish or cancel it; if process ${holder.pid} is not Adapt Lab, delete ${file}.`);
      }
      takeOver(file, text);
    }
    throw new UserError('could not take the runs folder lock: other processes keep taking it', { file }, 'Run one grid at a time on this folder.');
  }

  /** Releases the lock if this process still holds it; safe to call twice. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.file);
    removeIfMine(this.file);
    this.onRelease?.();
  }
}

/** Creates the lock file with `content`; false when it exists. A full or read-only folder is a StorageError. */
function tryCreate(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw runsWriteError(e, file);
  }
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (e) {
    // An empty lock would hold the folder for its grace period; this process never got it, so remove it.
    closeSync(fd);
    rmSync(file, { force: true });
    throw runsWriteError(e, file);
  }
  closeSync(fd);
  return true;
}

function readHolder(file: string): { holder: Holder; text: string; ageMs: number } | undefined {
  let text: string;
  let ageMs: number;
  try {
    text = readFileSync(file, 'utf8');
    ageMs = Date.now() - statSync(file).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let holder: Holder = {};
  try {
    const parsed = JSON.parse(text) as Holder;
    if (parsed && typeof parsed === 'object') {
      holder = {
        pid: Number.isInteger(parsed.pid) ? parsed.pid : undefined,
        host: typeof parsed.host === 'string' ? parsed.host : undefined,
        since: typeof parsed.since === 'string' ? parsed.since : undefined,
      };
    }
  } catch {
    // Empty or partial: its creator died between creating and writing it, or is writing it right now.
  }
  return { holder, text, ageMs };
}

/**
 * Removes a stale lock without removing a fresh one by mistake: two processes may both find the same stale lock.
 * Renaming it aside is atomic — only one of them succeeds — and the winner checks that what it moved is the stale
 * lock it read; if someone else's fresh lock was moved instead, it is put back.
 */
function takeOver(file: string, staleText: string): void {
  const aside = `${file}.stale.${process.pid}.${takeovers++}`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  let moved = '';
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    // Vanished: nothing to restore.
  }
  if (moved !== staleText) {
    try {
      linkSync(aside, file); // fails harmlessly if yet another process has created a lock meanwhile
    } catch {
      // Either restored by now or superseded; the next attempt reads whatever is there.
    }
  }
  rmSync(aside, { force: true });
}

function removeIfMine(file: string): void {
  const seen = readHolder(file);
  if (seen?.holder.pid === process.pid && seen.holder.host === hostname()) {
    try {
      unlinkSync(file);
    } catch {
      // Already gone.
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const file of held) removeIfMine(file);
  });
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
