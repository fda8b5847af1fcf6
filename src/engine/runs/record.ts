// run.json: everything known about one run — what it is (cell), how far it got (status), what it measured
// (metrics, cost) and under what conditions (data, versions, notice). It is read back by listings, reports and
// resumed grids, possibly written by an older or newer Adapt Lab, or damaged by hand; so every read goes through
// `validateRunRecord`, which names the file and field of any problem. Unknown fields are kept, not rejected, so a
// newer version's runs still list in an older one.
import { FieldReader } from '../json/fields';
import { childPath } from '../json/path';
import { METHODS, type Method } from '../experiment/training';
import type { TrainSize } from '../experiment/schema';
import type { ClassificationMetrics } from './metrics';

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled'];

export interface RunTeacher {
  runId: string;
  /** Known when the teacher is a cell of the same experiment (or once its run.json has been read). */
  method?: 'finetune' | 'prompt';
  model?: string;
}

/** What a run cost. A measurement that could not be taken on this backend is null, shown as "–". */
export interface RunCost {
  params: number | null;
  nonEmbeddingParams: number | null;
  trainFlops: number | null;
  inferFlopsPerExample: number | null;
  latencyMsP50: number | null;
  latencyMsP95: number | null;
  throughputPerS: number | null;
  trainSeconds: number | null;
  peakMemoryMB: number | null;
  /** The TF.js backend that ran it: `tensorflow`, `wasm`, `cpu`. */
  backend: string;
}

export interface RunRecord {
  /** The run folder's name: the cell id plus a configuration hash. */
  id: string;
  cellId: string;
  /** The experiment's name, and its file when created from one. */
  experiment: string;
  experimentFile?: string;
  method: Method;
  /** The model as written in the experiment (its display name); `modelSource` is where it was loaded from. */
  model: string;
  modelSource?: string;
  teacher?: RunTeacher;
  trainSize: TrainSize;
  seed: number;
  zeroShot?: boolean;
  /** The resolved training options the run was (or will be) trained with. */
  training: Record<string, unknown>;
  status: RunStatus;
  error?: string;
  /** The process running it, recorded when it starts: a `running` run whose process is gone was interrupted. */
  pid?: number;
  /** 1 for the first try; each re-run of a failed, cancelled or interrupted run adds one. */
  attempt: number;
  /** The label set in the order of `probs` in predictions.jsonl. */
  labels?: string[];
  metrics?: ClassificationMetrics;
  cost?: RunCost;
  data?: { labeled: number; unlabeled: number };
  /** Software that produced the run; `backend` is the TF.js backend (tensorflow, wasm or cpu). */
  versions?: { adaptLab: string; tfjs: string; node: string; backend?: string };
  /** Hash of the examples the run saw, to tell runs on different data apart. */
  dataHash?: string;
  /** Shown wherever the run is shown, e.g. "random init — demonstrates the workflow, not the methods". */
  notice?: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
}

const COST_NUMBERS = [
  'params', 'nonEmbeddingParams', 'trainFlops', 'inferFlopsPerExample', 'latencyMsP50', 'latencyMsP95',
  'throughputPerS', 'trainSeconds', 'peakMemoryMB',
] as const;

const FIX = 'The file is damaged or was edited by hand; delete the run folder to run it again.';

/** Checks a parsed run.json; throws a UserError naming `file` and the first bad field. */
export function validateRunRecord(obj: unknown, file: string, fields: FieldReader = new FieldReader(file)): RunRecord {
  const bad = (at: string, problem: string) => fields.error(at, problem, FIX);
  const r = fields.object(obj, '', 'a run record object');
  const str = (key: string, optional = false) => {
    if (r[key] === undefined && optional) return;
    if (typeof r[key] !== 'string' || r[key] === '') throw bad(key, `"${key}" must be a non-empty string`);
  };
  const num = (o: Record<string, unknown>, at: string, key: string, range: { integer?: boolean; min?: number; max?: number; nullable?: boolean; optional?: boolean } = {}) => {
    const v = o[key];
    if (v === undefined && range.optional) return;
    if (v === null && range.nullable) return;
    const ok = typeof v === 'number' && Number.isFinite(v) && (!range.integer || Number.isInteger(v)) &&
      (range.min === undefined || v >= range.min) && (range.max === undefined || v <= range.max);
    if (!ok) throw bad(childPath(at, key), `"${key}" must be ${range.integer ? 'a whole number' : 'a number'}${range.min !== undefined ? ` ≥ ${range.min}` : ''}${range.max !== undefined ? ` ≤ ${range.max}` : ''}${range.nullable ? ' or null' : ''}`);
  };

  for (const key of ['id', 'cellId', 'experiment', 'model', 'createdAt', 'updatedAt']) str(key);
  for (const key of ['experimentFile', 'modelSource', 'dataHash', 'notice', 'startedAt', 'finishedAt']) str(key, true);
  if (r.error !== undefined && typeof r.error !== 'string') throw bad('error', '"error" must be a string');
  if (!METHODS.includes(r.method as Method)) throw bad('method', `"method" must be one of ${METHODS.join(', ')}`);
  if (!RUN_STATUSES.includes(r.status as RunStatus)) throw bad('status', `"status" must be one of ${RUN_STATUSES.join(', ')}`);
  if (!(r.trainSize === 'all' || (typeof r.trainSize === 'number' && Number.isSafeInteger(r.trainSize) && r.trainSize >= 0))) {
    throw bad('trainSize', '"trainSize" must be a whole number ≥ 0 or "all"');
  }
  num(r, '', 'seed', { integer: true });
  num(r, '', 'attempt', { integer: true, min: 1 });
  num(r, '', 'pid', { integer: true, min: 1, optional: true });
  if (r.zeroShot !== undefined && typeof r.zeroShot !== 'boolean') throw bad('zeroShot', '"zeroShot" must be true or false');
  if (r.training === null || typeof r.training !== 'object' || Array.isArray(r.training)) throw bad('training', '"training" must be an object');

  if (r.teacher !== undefined) {
    const t = fields.object(r.teacher, 'teacher');
    if (typeof t.runId !== 'string' || t.runId === '') throw bad('teacher.runId', '"teacher.runId" must be a run id');
    if (t.method !== undefined && t.method !== 'finetune' && t.method !== 'prompt') throw bad('teacher.method', '"teacher.method" must be finetune or prompt');
    if (t.model !== undefined && typeof t.model !== 'string') throw bad('teacher.model', '"teacher.model" must be a string');
  } else if (r.method === 'distill') {
    throw bad('teacher', 'a distill run must name its teacher');
  }

  if (r.labels !== undefined && !(Array.isArray(r.labels) && r.labels.every((l) => typeof l === 'string'))) {
    throw bad('labels', '"labels" must be a list of strings');
  }
  if (r.metrics !== undefined) validateMetrics(r.metrics, fields, bad);
  else if (r.status === 'done') throw bad('metrics', 'a finished ("done") run must have metrics');
  if (r.cost !== undefined) {
    const c = fields.object(r.cost, 'cost');
    for (const key of COST_NUMBERS) num(c, 'cost', key, { min: 0, nullable: true });
    if (typeof c.backend !== 'string') throw bad('cost.backend', '"cost.backend" must be a string');
  }
  if (r.data !== undefined) {
    const d = fields.object(r.data, 'data');
    num(d, 'data', 'labeled', { integer: true, min: 0 });
    num(d, 'data', 'unlabeled', { integer: true, min: 0 });
  }
  if (r.versions !== undefined) {
    const v = fields.object(r.versions, 'versions');
    for (const key of ['adaptLab', 'tfjs', 'node']) {
      if (typeof v[key] !== 'string') throw bad(`versions.${key}`, `"versions.${key}" must be a string`);
    }
  }
  return r as unknown as RunRecord;
}

/** Parses and validates run.json text; errors carry the line of the bad field. */
export function parseRunRecord(text: string, file: string): RunRecord {
  const { doc, fields } = FieldReader.parse(text, file);
  return validateRunRecord(doc, file, fields);
}

function validateMetrics(value: unknown, fields: FieldReader, bad: (at: string, problem: string) => Error): void {
  const m = fields.object(value, 'metrics');
  const fraction = (o: Record<string, unknown>, at: string, key: string) => {
    const v = o[key];
    if (!(typeof v === 'number' && v >= 0 && v <= 1)) throw bad(childPath(at, key), `"${key}" must be a number between 0 and 1`);
  };
  fraction(m, 'metrics', 'accuracy');
  fraction(m, 'metrics', 'macroF1');
  const perClass = fields.object(m.perClass, 'metrics.perClass');
  for (const [label, raw] of Object.entries(perClass)) {
    const at = childPath('metrics.perClass', label);
    const c = fields.object(raw, at);
    for (const key of ['precision', 'recall', 'f1']) fraction(c, at, key);
    if (!(typeof c.support === 'number' && Number.isInteger(c.support) && c.support >= 0)) throw bad(childPath(at, 'support'), '"support" must be a whole number ≥ 0');
  }
  const conf = fields.object(m.confusion, 'metrics.confusion');
  const labels = conf.labels;
  if (!(Array.isArray(labels) && labels.every((l) => typeof l === 'string'))) throw bad('metrics.confusion.labels', '"labels" must be a list of strings');
  const matrix = conf.matrix;
  const square = Array.isArray(matrix) && matrix.length === labels.length &&
    matrix.every((row) => Array.isArray(row) && row.length === labels.length && row.every((x) => Number.isInteger(x) && x >= 0));
  if (!square) throw bad('metrics.confusion.matrix', `"matrix" must be ${labels.length}×${labels.length} whole numbers ≥ 0, one row per gold label`);
}
