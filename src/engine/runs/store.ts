// The run store: one folder per run under a runs folder (by default `.adapt-lab/runs` beside the experiment), with
//   run.json           the record (always replaced atomically — never seen half-written),
//   metrics.jsonl      the training log, one JSON object appended per line,
//   predictions.jsonl  the test-set predictions,
//   model/             optionally, the trained model as a Hugging Face folder.
// Every write goes through guardWrite: a full disk or a read-only folder stops with one clear error and leaves what
// is already there as it was (run.json and predictions are replaced atomically, so a refused write changes nothing).
// Resuming an experiment uses `decide`: finished runs are kept, failed and cancelled ones re-run, and a run left
// "running" by a process that no longer exists (killed, crashed) is recognised as interrupted and re-run.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError, isUserError } from '../errors';
import { isTempFile, tempPathFor, writeFileAtomicSync, type AtomicWriteHooks } from '../fs/atomic';
import type { Cell } from '../experiment/cells';
import type { Experiment } from '../experiment/schema';
import { RUN_ID } from '../experiment/schema';
import { guardWrite, guardWriteAsync } from './guard';
import { RunsLock } from './lock';
import { isProcessAlive } from './process';
import { parseRunRecord, validateRunRecord, type RunRecord, type RunStatus } from './record';

export type MetricsEntry =
  | { step: number; loss: number; lr: number }
  | { step: number; split: 'train' | 'dev' | 'test'; accuracy: number; macroF1: number };

export interface PredictionRow {
  /** Position of the example in the test file. */
  index: number;
  label: string;
  predicted: string;
  /** Class probabilities in the order of the run's `labels`. */
  probs: number[];
}

export interface RunListing {
  runs: RunRecord[];
  /** One UserError per run folder whose run.json could not be read or is invalid; those runs are left out. */
  problems: UserError[];
}

export type ResumeDecision = { action: 'run' | 'skip'; reason: string; previous?: RunRecord };

/** Fields fixed at creation; everything else may be patched. */
type Fixed = 'id' | 'cellId' | 'createdAt';
export type RunPatch = { [K in Exclude<keyof RunRecord, Fixed>]?: RunRecord[K] | undefined };

/** run.json files this process has marked running and not yet finished: a same-pid `running` run not in here was
 *  left by an earlier grid of this same (long-lived, e.g. editor) process, and is interrupted. */
const runningHere = new Set<string>();

const FINISHED: readonly RunStatus[] = ['done', 'failed', 'cancelled'];

export function defaultRunsDir(experimentFile: string): string {
  return path.join(path.dirname(path.resolve(experimentFile)), '.adapt-lab', 'runs');
}

export class RunStore {
  readonly dir: string;

  constructor(dir: string, private readonly hooks: AtomicWriteHooks = {}) {
    this.dir = path.resolve(dir);
  }

  runDir(id: string): string {
    if (!RUN_ID.test(id)) {
      throw new UserError(`"${id}" is not a run id`, { file: this.dir }, 'Use the name of a run folder: letters, digits, ".", "_" and "-".');
    }
    return path.join(this.dir, id);
  }
  runFile(id: string): string {
    return path.join(this.runDir(id), 'run.json');
  }
  modelDir(id: string): string {
    return path.join(this.runDir(id), 'model');
  }
  metricsFile(id: string): string {
    return path.join(this.runDir(id), 'metrics.jsonl');
  }
  predictionsFile(id: string): string {
    return path.join(this.runDir(id), 'predictions.jsonl');
  }

  /**
   * Takes the folder's lock for a grid; release it when the grid ends. Runs only run under the lock, so when it is
   * released any run this process still has marked `running` (a runner that threw without recording the failure)
   * is over, and a later grid in this same process will see it as interrupted and run it again.
   */
  lock(): RunsLock {
    const prefix = this.dir + path.sep;
    return RunsLock.acquire(this.dir, {
      onRelease: () => {
        for (const file of runningHere) if (file.startsWith(prefix)) runningHere.delete(file);
      },
    });
  }

  /** The run, or undefined when it does not exist; a UserError when its run.json is invalid. */
  get(id: string): RunRecord | undefined {
    const file = this.runFile(id);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new UserError(`cannot read the run (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file }, 'Check the folder\'s permissions.');
    }
    const run = parseRunRecord(text, file);
    if (run.id !== id) {
      throw new UserError(`run.json says its id is "${run.id}", but its folder is "${id}"`, { file, field: 'id' }, 'Rename the folder back, or delete it to run the cell again.');
    }
    return run;
  }

  /**
   * Starts a fresh attempt of a cell: status `queued`, attempt count up by one, and the previous attempt's log,
   * predictions and model removed. Refuses to replace a finished run (delete it to re-run it) or one running now.
   */
  create(cell: Cell, experiment: Experiment): RunRecord {
    const previous = this.tryGet(cell.runId);
    if (previous?.status === 'done') {
      throw new Error(`RunStore.create: run ${cell.runId} is already done; check decide() first or remove() it`);
    }
    if (previous && this.isLive(previous)) {
      throw new UserError(`the run is being run by process ${previous.pid}`, { file: this.runFile(cell.runId) }, 'Wait for it to finish or cancel it.');
    }
    const dir = this.runDir(cell.runId);
    guardWrite(dir, () => {
      mkdirSync(dir, { recursive: true });
      for (const leftover of ['metrics.jsonl', 'predictions.jsonl', 'model']) rmSync(path.join(dir, leftover), { recursive: true, force: true });
      // Temporary files of writes cut short by a killed process: nobody else writes here while no process runs it.
      for (const name of readdirSync(dir)) if (isTempFile(name)) rmSync(path.join(dir, name), { recursive: true, force: true });
    });
    const now = new Date().toISOString();
    const run: RunRecord = {
      id: cell.runId,
      cellId: cell.id,
      experiment: experiment.name,
      experimentFile: experiment.file,
      method: cell.method,
      model: cell.model.name,
      modelSource: cell.model.source,
      ...(cell.method === 'distill'
        ? { teacher: stripUndefined({ runId: cell.teacher.runId, method: cell.teacher.method, model: cell.teacher.model?.name }) }
        : {}),
      trainSize: cell.trainSize,
      seed: cell.seed,
      ...(cell.method === 'prompt' ? { zeroShot: cell.zeroShot } : {}),
      training: { ...cell.training },
      status: 'queued',
      attempt: (previous?.attempt ?? 0) + 1,
      createdAt: now,
      updatedAt: now,
    };
    this.write(run);
    return run;
  }

  /**
   * Changes a run's fields; a field patched to undefined is removed. Becoming `running` records this process's pid
   * and the start time; becoming done, failed or cancelled records the finish time.
   */
  update(id: string, patch: RunPatch): RunRecord {
    const current = this.get(id);
    if (!current) throw new Error(`RunStore.update: no run ${id}`);
    for (const key of ['id', 'cellId', 'createdAt']) {
      if (key in patch) throw new Error(`RunStore.update: "${key}" cannot change`);
    }
    const now = new Date().toISOString();
    const next: Record<string, unknown> = { ...current, ...patch, updatedAt: now };
    const file = this.runFile(id);
    if (patch.status === 'running' && current.status !== 'running') {
      next.pid = process.pid;
      next.startedAt = now;
      delete next.finishedAt;
      runningHere.add(file);
    }
    if (patch.status !== undefined && FINISHED.includes(patch.status)) {
      next.finishedAt = now;
      runningHere.delete(file);
    }
    for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
    const run = validateRunRecord(next, file);
    this.write(run);
    return run;
  }

  /** Every valid run, sorted by id; invalid run.json files are reported in `problems`, not thrown. */
  list(): RunListing {
    const runs: RunRecord[] = [];
    const problems: UserError[] = [];
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { runs, problems };
      throw e;
    }
    for (const name of names.sort()) {
      if (name.startsWith('.') || !RUN_ID.test(name)) continue;
      try {
        // A folder that vanished since the listing (a run being removed) is simply not there.
        const stat = statSync(path.join(this.dir, name), { throwIfNoEntry: false });
        if (stat === undefined || !stat.isDirectory()) continue;
        const run = this.get(name);
        // A folder without run.json is one being created this instant, or debris; neither is a run.
        if (run) runs.push(run);
      } catch (e) {
        if (isUserError(e)) problems.push(e);
        else problems.push(new UserError(`cannot read the run (${(e as Error).message})`, { file: path.join(this.dir, name, 'run.json') }, 'Check the folder and its permissions.'));
      }
    }
    return { runs, problems };
  }

  /** Appends one line to metrics.jsonl with a single write, so a crash loses at most the line being written. */
  appendMetrics(id: string, entry: MetricsEntry): void {
    if (!Number.isInteger(entry.step) || entry.step < 0) throw new Error(`appendMetrics: step must be a whole number ≥ 0, got ${entry.step}`);
    const file = this.metricsFile(id);
    guardWrite(file, () => appendFileSync(file, JSON.stringify(entry) + '\n'));
  }

  readMetrics(id: string): MetricsEntry[] {
    return readJsonLines(this.metricsFile(id)) as MetricsEntry[];
  }

  /** Writes the test-set predictions (atomically, like run.json). */
  writePredictions(id: string, rows: readonly PredictionRow[]): void {
    const file = this.predictionsFile(id);
    guardWrite(file, () => writeFileAtomicSync(file, rows.map((r) => JSON.stringify(r) + '\n').join(''), this.hooks));
  }

  /** Saves the run's trained model into its model/ folder with `save` (a predictor's save). */
  async saveModel(id: string, save: (dir: string) => Promise<void>): Promise<void> {
    const dir = this.modelDir(id);
    await guardWriteAsync(dir, () => save(dir));
  }

  readPredictions(id: string): PredictionRow[] {
    return readJsonLines(this.predictionsFile(id)) as PredictionRow[];
  }

  /** True when the run exists and is done. */
  isFinished(runId: string): boolean {
    return this.tryGet(runId)?.status === 'done';
  }

  /** Whether a grid should run this cell now, and why. */
  decide(runId: string): ResumeDecision {
    let previous: RunRecord | undefined;
    try {
      previous = this.get(runId);
    } catch (e) {
      if (!isUserError(e)) throw e;
      return { action: 'run', reason: `its run.json is unreadable (${e.message}); running it again` };
    }
    if (!previous) return { action: 'run', reason: 'new' };
    switch (previous.status) {
      case 'done':
        return { action: 'skip', reason: 'already done', previous };
      case 'queued':
        return { action: 'run', reason: 'queued, not started yet', previous };
      case 'failed':
        return { action: 'run', reason: `failed before${previous.error ? ` (${previous.error})` : ''}; running it again`, previous };
      case 'cancelled':
        return { action: 'run', reason: 'cancelled before; running it again', previous };
      case 'running':
        return this.isLive(previous)
          ? { action: 'skip', reason: `running now in process ${previous.pid}`, previous }
          : { action: 'run', reason: `interrupted (process ${previous.pid ?? '?'} is gone); running it again`, previous };
    }
  }

  /**
   * Deletes a run folder (to force a finished run to be run again). It is first renamed aside under a hidden
   * temporary name, so a process killed while deleting leaves debris that no listing takes for a run, never a run
   * whose run.json survived the files it describes.
   */
  remove(id: string): void {
    const dir = this.runDir(id);
    guardWrite(dir, () => {
      const aside = tempPathFor(dir);
      try {
        renameSync(dir, aside);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return;
        // Windows cannot rename a folder while a file in it is open (a reader): delete it where it is.
        if (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY') throw e;
        rmSync(dir, { recursive: true, force: true });
        return;
      }
      rmSync(aside, { recursive: true, force: true });
    });
  }

  /** A `running` run whose process is still running it. */
  private isLive(run: RunRecord): boolean {
    if (run.status !== 'running' || run.pid === undefined) return false;
    if (run.pid === process.pid) return runningHere.has(this.runFile(run.id));
    return isProcessAlive(run.pid);
  }

  private tryGet(id: string): RunRecord | undefined {
    try {
      return this.get(id);
    } catch (e) {
      if (isUserError(e)) return undefined;
      throw e;
    }
  }

  private write(run: RunRecord): void {
    const file = this.runFile(run.id);
    guardWrite(file, () => writeFileAtomicSync(file, JSON.stringify(run, null, 2) + '\n', this.hooks));
  }
}

/** Reads a JSONL log; a last line cut short by a crash is dropped, any other bad line is reported. */
function readJsonLines(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const lines = text.split('\n');
  const out: unknown[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line));
    } catch {
      const isCutShort = i === lines.length - 1; // no newline after it: the write was interrupted
      if (!isCutShort) {
        throw new UserError('not valid JSON', { file, line: i + 1 }, 'The log was damaged; delete the line or the run folder.');
      }
    }
  });
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
