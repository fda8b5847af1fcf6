// The messages between the VS Code extension host and the engine worker process, both ways, with the run-time
// checks each side applies to what it receives. The host sends one `start` (the job) and possibly a `cancel`;
// the worker answers `ready`, then a stream of grid events, log lines and progress, and exactly one `result` or
// `failed` before it exits. A worker that exits without either has died, and the host says why.
// Pure: imported by the extension host, which must never load TF.js.
import type { CellEstimate } from '../grid/estimate';
import type { CellStatus, GridCellInfo, GridEvent } from '../grid/events';
import type { TrainSize } from '../experiment/schema';
import { arr, bool, join, num, numbers, obj, oneOf, optNum, optStr, ProtocolError, str, strings, type Obj } from './check';

export { ProtocolError } from './check';

/** A text to classify, as the predictors take it. */
export interface TextRow {
  text: string;
  textPair?: string;
}

/** Where the rows of a data file are, for jobs that read one. */
export interface DataSource {
  file: string;
  textField: string;
  textPairField?: string;
  labelField?: string;
}

export type JobRequest =
  | { kind: 'run'; experimentFile: string; runsDir?: string; only?: string }
  | { kind: 'estimate'; experimentFile: string; runsDir?: string }
  /** Zero-shot class probabilities of a template's patterns (and their ensemble) on the first `rows` rows. */
  | { kind: 'preview'; templateFile: string; model: string; data: DataSource; rows: number; maxLength: number }
  /** Zero-shot accuracy of a template on a labeled file (the dev set). */
  | { kind: 'zero-shot-accuracy'; templateFile: string; model: string; data: DataSource; maxLength: number }
  /** Class probabilities of saved run models (each a run's model/ folder) on the given rows. */
  | { kind: 'predict'; modelDirs: string[]; rows: TextRow[] };

export type JobKind = JobRequest['kind'];
export const JOB_KINDS: readonly JobKind[] = ['run', 'estimate', 'preview', 'zero-shot-accuracy', 'predict'];

export interface CellOutcomeInfo {
  cellId: string;
  runId: string;
  status: CellStatus;
  reason?: string;
}

/** A grid cell's estimate as the worker sends it: the grid's own type (plain JSON). */
export type CellEstimateInfo = CellEstimate;

export interface PreviewRow {
  line: number;
  text: string;
  textPair?: string;
  label?: string;
  /** The ensemble's probabilities, in `labels` order. */
  probs: number[];
  /** Each pattern's own probabilities, in `patterns` order. */
  patternProbs: number[][];
}

export type JobResult =
  | { kind: 'run'; runsDir: string; cells: CellOutcomeInfo[]; cancelled: boolean; failed: number }
  | { kind: 'estimate'; runsDir: string; backend: string; estimates: CellEstimateInfo[]; gflops: number; how: string }
  | { kind: 'preview'; backend: string; model: string; labels: string[]; patterns: string[]; rows: PreviewRow[]; notice?: string }
  | { kind: 'zero-shot-accuracy'; backend: string; model: string; labels: string[]; count: number; accuracy: number; macroF1: number; notice?: string }
  | { kind: 'predict'; backend: string; models: { dir: string; labels: string[]; probs: number[][] }[] };

/** A failure the worker could describe: a UserError (the user's to fix) or an internal error. */
export interface JobError {
  /** The one line to show (a UserError's `format()`, or "internal error: ..."). */
  text: string;
  user: boolean;
  file?: string;
  line?: number;
  field?: string;
  stack?: string;
}

export type HostMessage = { type: 'start'; job: JobRequest } | { type: 'cancel' };

export type WorkerMessage =
  | { type: 'ready'; pid: number; node: string }
  | { type: 'grid'; event: GridEvent }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** Progress of a job that is not a grid (previews, predictions). */
  | { type: 'progress'; done: number; total: number; message: string }
  | { type: 'result'; result: JobResult }
  | { type: 'failed'; error: JobError; cancelled: boolean };

// ---------------------------------------------------------------------------------------------------------------
// Host → worker

export function parseHostMessage(value: unknown): HostMessage {
  const o = obj(value, '');
  const type = oneOf(o, 'type', '', ['start', 'cancel'] as const);
  if (type === 'cancel') return { type };
  return { type, job: parseJobRequest(o.job, 'job') };
}

export function parseJobRequest(value: unknown, path: string): JobRequest {
  const o = obj(value, path);
  const kind = oneOf(o, 'kind', path, JOB_KINDS);
  switch (kind) {
    case 'run':
      return strip({ kind, experimentFile: str(o, 'experimentFile', path), runsDir: optStr(o, 'runsDir', path), only: optStr(o, 'only', path) });
    case 'estimate':
      return strip({ kind, experimentFile: str(o, 'experimentFile', path), runsDir: optStr(o, 'runsDir', path) });
    case 'preview':
      return {
        kind, templateFile: str(o, 'templateFile', path), model: str(o, 'model', path), data: dataSource(o.data, join(path, 'data')),
        rows: num(o, 'rows', path, { integer: true, min: 1 }), maxLength: num(o, 'maxLength', path, { integer: true, min: 8 }),
      };
    case 'zero-shot-accuracy':
      return {
        kind, templateFile: str(o, 'templateFile', path), model: str(o, 'model', path), data: dataSource(o.data, join(path, 'data')),
        maxLength: num(o, 'maxLength', path, { integer: true, min: 8 }),
      };
    case 'predict':
      return { kind, modelDirs: strings(o, 'modelDirs', path), rows: arr(o, 'rows', path).map((r, i) => textRow(r, `${join(path, 'rows')}[${i}]`)) };
  }
}

function dataSource(value: unknown, path: string): DataSource {
  const o = obj(value, path);
  return strip({ file: str(o, 'file', path), textField: str(o, 'textField', path), textPairField: optStr(o, 'textPairField', path), labelField: optStr(o, 'labelField', path) });
}

function textRow(value: unknown, path: string): TextRow {
  const o = obj(value, path);
  return strip({ text: str(o, 'text', path), textPair: optStr(o, 'textPair', path) });
}

// ---------------------------------------------------------------------------------------------------------------
// Worker → host

export function parseWorkerMessage(value: unknown): WorkerMessage {
  const o = obj(value, '');
  const type = oneOf(o, 'type', '', ['ready', 'grid', 'log', 'progress', 'result', 'failed'] as const);
  switch (type) {
    case 'ready':
      return { type, pid: num(o, 'pid', '', { integer: true, min: 1 }), node: str(o, 'node', '') };
    case 'grid':
      return { type, event: parseGridEvent(o.event, 'event') };
    case 'log':
      return { type, level: oneOf(o, 'level', '', LEVELS), message: str(o, 'message', '') };
    case 'progress':
      return { type, done: num(o, 'done', '', { min: 0 }), total: num(o, 'total', '', { min: 0 }), message: str(o, 'message', '') };
    case 'result':
      return { type, result: parseJobResult(o.result, 'result') };
    case 'failed':
      return { type, error: parseJobError(o.error, 'error'), cancelled: bool(o, 'cancelled', '') };
  }
}

const LEVELS = ['info', 'warn', 'error'] as const;
const METHODS = ['finetune', 'prompt', 'distill'] as const;
const CELL_STATUSES: readonly CellStatus[] = ['done', 'skipped', 'failed', 'cancelled'];

function trainSize(o: Obj, key: string, path: string): TrainSize {
  if (o[key] === 'all') return 'all';
  return num(o, key, path, { integer: true, min: 0 });
}

function cellInfo(value: unknown, path: string): GridCellInfo {
  const o = obj(value, path);
  return {
    cellId: str(o, 'cellId', path), runId: str(o, 'runId', path), method: oneOf(o, 'method', path, METHODS), model: str(o, 'model', path),
    trainSize: trainSize(o, 'trainSize', path), seed: num(o, 'seed', path, { integer: true }),
  };
}

export function parseGridEvent(value: unknown, path: string): GridEvent {
  const o = obj(value, path);
  const type = oneOf(o, 'type', path, ['grid-start', 'cell-start', 'progress', 'cell-end', 'log', 'grid-end'] as const);
  const index = () => num(o, 'index', path, { integer: true, min: 0 });
  const total = () => num(o, 'total', path, { integer: true, min: 0 });
  switch (type) {
    case 'grid-start':
      return {
        type, experiment: str(o, 'experiment', path), runsDir: str(o, 'runsDir', path), backend: str(o, 'backend', path),
        threads: num(o, 'threads', path, { integer: true, min: 0 }), cells: arr(o, 'cells', path).map((c, i) => cellInfo(c, `${join(path, 'cells')}[${i}]`)),
      };
    case 'cell-start':
      return { type, index: index(), total: total(), cellId: str(o, 'cellId', path), runId: str(o, 'runId', path), attempt: num(o, 'attempt', path, { integer: true, min: 1 }) };
    case 'progress':
      return {
        type, index: index(), cellId: str(o, 'cellId', path), runId: str(o, 'runId', path), step: num(o, 'step', path, { integer: true, min: 0 }),
        totalSteps: num(o, 'totalSteps', path, { integer: true, min: 0 }),
        // A diverging run's loss can be NaN or infinite: JSON turns those into null, which is kept as NaN.
        loss: o.loss === null ? NaN : num(o, 'loss', path),
      };
    case 'cell-end':
      return strip({
        type, index: index(), total: total(), cellId: str(o, 'cellId', path), runId: str(o, 'runId', path), status: oneOf(o, 'status', path, CELL_STATUSES),
        reason: optStr(o, 'reason', path), accuracy: optNum(o, 'accuracy', path), macroF1: optNum(o, 'macroF1', path), trainFlops: optNum(o, 'trainFlops', path),
        auxiliaryInferenceFlops: optNum(o, 'auxiliaryInferenceFlops', path), steps: optNum(o, 'steps', path), trainSeconds: optNum(o, 'trainSeconds', path),
        seconds: optNum(o, 'seconds', path),
      });
    case 'log':
      return strip({ type, level: oneOf(o, 'level', path, LEVELS), message: str(o, 'message', path), cellId: optStr(o, 'cellId', path) });
    case 'grid-end':
      return {
        type, done: num(o, 'done', path, { integer: true, min: 0 }), skipped: num(o, 'skipped', path, { integer: true, min: 0 }),
        failed: num(o, 'failed', path, { integer: true, min: 0 }), cancelled: bool(o, 'cancelled', path),
      };
  }
}

export function parseJobResult(value: unknown, path: string): JobResult {
  const o = obj(value, path);
  const kind = oneOf(o, 'kind', path, JOB_KINDS);
  const list = <T>(key: string, item: (v: unknown, at: string) => T) => arr(o, key, path).map((v, i) => item(v, `${join(path, key)}[${i}]`));
  switch (kind) {
    case 'run':
      return {
        kind, runsDir: str(o, 'runsDir', path), cancelled: bool(o, 'cancelled', path), failed: num(o, 'failed', path, { integer: true, min: 0 }),
        cells: list('cells', (v, at) => {
          const c = obj(v, at);
          return strip({ cellId: str(c, 'cellId', at), runId: str(c, 'runId', at), status: oneOf(c, 'status', at, CELL_STATUSES), reason: optStr(c, 'reason', at) });
        }),
      };
    case 'estimate':
      return {
        kind, runsDir: str(o, 'runsDir', path), backend: str(o, 'backend', path), gflops: num(o, 'gflops', path, { min: 0 }), how: str(o, 'how', path),
        estimates: list('estimates', (v, at) => {
          const c = obj(v, at);
          return {
            cellId: str(c, 'cellId', at), runId: str(c, 'runId', at), action: oneOf(c, 'action', at, ['run', 'skip'] as const), reason: str(c, 'reason', at),
            trainFlops: num(c, 'trainFlops', at, { min: 0 }), evalFlops: num(c, 'evalFlops', at, { min: 0 }), seconds: num(c, 'seconds', at, { min: 0 }),
          };
        }),
      };
    case 'preview': {
      const labels = strings(o, 'labels', path);
      const patterns = strings(o, 'patterns', path);
      return strip({
        kind, backend: str(o, 'backend', path), model: str(o, 'model', path), labels, patterns, notice: optStr(o, 'notice', path),
        rows: list('rows', (v, at) => {
          const r = obj(v, at);
          const probs = probabilities(r.probs, join(at, 'probs'), labels.length);
          const patternProbs = arr(r, 'patternProbs', at).map((p, i) => probabilities(p, `${join(at, 'patternProbs')}[${i}]`, labels.length));
          if (patternProbs.length !== patterns.length) throw new ProtocolError(join(at, 'patternProbs'), `expected one entry per pattern (${patterns.length})`);
          return strip({ line: num(r, 'line', at, { integer: true, min: 1 }), text: str(r, 'text', at), textPair: optStr(r, 'textPair', at), label: optStr(r, 'label', at), probs, patternProbs });
        }),
      });
    }
    case 'zero-shot-accuracy':
      return strip({
        kind, backend: str(o, 'backend', path), model: str(o, 'model', path), labels: strings(o, 'labels', path), count: num(o, 'count', path, { integer: true, min: 0 }),
        accuracy: num(o, 'accuracy', path, { min: 0 }), macroF1: num(o, 'macroF1', path, { min: 0 }), notice: optStr(o, 'notice', path),
      });
    case 'predict':
      return {
        kind, backend: str(o, 'backend', path),
        models: list('models', (v, at) => {
          const m = obj(v, at);
          const labels = strings(m, 'labels', at);
          return { dir: str(m, 'dir', at), labels, probs: arr(m, 'probs', at).map((p, i) => probabilities(p, `${join(at, 'probs')}[${i}]`, labels.length)) };
        }),
      };
  }
}

function probabilities(value: unknown, path: string, count: number): number[] {
  const p = numbers(value, path);
  if (p.length !== count) throw new ProtocolError(path, `expected ${count} probabilities, one per label`);
  return p;
}

function parseJobError(value: unknown, path: string): JobError {
  const o = obj(value, path);
  return strip({
    text: str(o, 'text', path), user: bool(o, 'user', path), file: optStr(o, 'file', path), line: optNum(o, 'line', path, { integer: true, min: 1 }),
    field: optStr(o, 'field', path), stack: optStr(o, 'stack', path),
  });
}

/** Drops keys whose value is undefined, so parsed messages compare equal to what was sent. */
function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
