// The messages between the dashboard panel (extension host, src/extension/dashboard/) and its webview, with the
// validators both sides run on what they receive. A webview is a web page: whatever arrives over postMessage is
// checked field by field before anything reads it, in both directions, so a malformed message is rejected with
// the path of the bad field instead of turning into a broken chart or, worse, markup. No DOM, Node or vscode
// imports: both bundles include this module.
import type { Comparison } from '../../src/engine/analysis/significance';
import type { Method } from '../../src/engine/experiment/training';
import type { RunCost, RunStatus, RunTeacher } from '../../src/engine/runs/record';
import { at, bool, fraction, list, MessageError, num, obj, oneOf, optional, str } from '../common/check';

export { MessageError } from '../common/check';

/** One run as the dashboard lists it: what grouping, charts and the table read; details are fetched on demand. */
export interface RunSummary {
  /** Unique and stable: the run folder's path (two runs folders may hold the same run id). */
  ref: string;
  id: string;
  experiment: string;
  method: Method;
  model: string;
  teacher?: RunTeacher;
  trainSize: number | 'all';
  seed: number;
  status: RunStatus;
  attempt: number;
  metrics?: { accuracy: number; macroF1: number };
  cost?: RunCost;
  data?: { labeled: number; unlabeled: number };
  notice?: string;
  error?: string;
  updatedAt: string;
  finishedAt?: string;
}

export type LogEntry =
  | { step: number; loss: number; lr: number }
  | { step: number; split: 'train' | 'dev' | 'test'; accuracy: number; macroF1: number };

export interface RunDetail {
  summary: RunSummary;
  /** Name/value pairs for display: the resolved training options and identity fields (cell, model source, …). */
  training: Array<[string, string]>;
  facts: Array<[string, string]>;
  perClass?: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  confusion?: { labels: string[]; matrix: number[][] };
  log: LogEntry[];
  /** Why the training log could not be read, when it could not. */
  logProblem?: string;
}

export interface Disagreements {
  refA: string;
  refB: string;
  /** Test examples, and how many of them the two runs predict differently. */
  examples: number;
  total: number;
  /** The first of them (at most `DISAGREEMENTS_SHOWN`), with their text when the test file could be read. */
  shown: Array<{ index: number; label: string; a: string; b: string; text?: string }>;
  textProblem?: string;
  problem?: string;
}

export const DISAGREEMENTS_SHOWN = 200;

/** What the dashboard should show first: an experiment, a run. */
export interface Focus {
  experiment?: string;
  runRef?: string;
}

export type HostMessage =
  | { type: 'runs'; runs: RunSummary[]; problems: string[]; folders: string[]; focus?: Focus }
  | { type: 'focus'; focus: Focus }
  | { type: 'detail'; requestId: number; details: RunDetail[]; disagreements?: Disagreements; problem?: string }
  | { type: 'comparisons'; requestId: number; results: Array<{ key: string; comparison?: Comparison; problem?: string }> }
  | { type: 'exported'; requestId: number; ok: boolean; message: string };

export type ExportFormat = 'svg' | 'png' | 'csv';

/** The dashboard as a static document: the extension turns it into one self-contained HTML file. */
export interface ReportPayload {
  title: string;
  notices: string[];
  /** Headline findings, one sentence each (crossovers, budget advice, significance). */
  findings: string[];
  charts: Array<{ title: string; svg: string }>;
  table: { columns: string[]; rows: string[][] };
}

export type ViewMessage =
  | { type: 'ready' }
  | { type: 'detail'; requestId: number; refs: string[] }
  | { type: 'compare'; requestId: number; pairs: Array<{ key: string; a: string[]; b: string[] }> }
  | { type: 'export'; requestId: number; format: ExportFormat; name: string; content: string }
  | { type: 'exportReport'; requestId: number; name: string; report: ReportPayload }
  | { type: 'openRun'; ref: string };

/** Refs of at most this many runs per comparison side, chart exports up to this size. */
export const MAX_REFS = 1000;
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

function nullableNum(v: unknown, p: string): number | null {
  return v === null ? null : num(v, p, { min: 0 });
}
const METHODS: readonly Method[] = ['finetune', 'prompt', 'distill'];
const STATUSES: readonly RunStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled'];
const requestId = (v: unknown, p: string) => num(v, p, { integer: true, min: 0 });
const pairOfStrings = (v: unknown, p: string): [string, string] => {
  const l = list(v, p, (x, q) => str(x, q));
  if (l.length !== 2) throw new MessageError(p, 'a [name, value] pair', v);
  return [l[0], l[1]];
};

/** Copies only known fields, so nothing unchecked rides along into the UI. */
export function checkRunSummary(v: unknown, p: string): RunSummary {
  const o = obj(v, p);
  const run: RunSummary = {
    ref: str(o.ref, at(p, 'ref'), 4096),
    id: str(o.id, at(p, 'id'), 1000),
    experiment: str(o.experiment, at(p, 'experiment'), 1000),
    method: oneOf(o.method, at(p, 'method'), METHODS),
    model: str(o.model, at(p, 'model'), 4096),
    trainSize: o.trainSize === 'all' ? 'all' : num(o.trainSize, at(p, 'trainSize'), { integer: true, min: 0 }),
    seed: num(o.seed, at(p, 'seed'), { integer: true }),
    status: oneOf(o.status, at(p, 'status'), STATUSES),
    attempt: num(o.attempt, at(p, 'attempt'), { integer: true, min: 1 }),
    updatedAt: str(o.updatedAt, at(p, 'updatedAt'), 100),
  };
  if (o.teacher !== undefined) {
    const t = obj(o.teacher, at(p, 'teacher'));
    const q = at(p, 'teacher');
    run.teacher = { runId: str(t.runId, at(q, 'runId'), 1000) };
    const method = optional(t, 'method', q, (x, r) => oneOf(x, r, ['finetune', 'prompt'] as const));
    const model = optional(t, 'model', q, (x, r) => str(x, r, 4096));
    if (method !== undefined) run.teacher.method = method;
    if (model !== undefined) run.teacher.model = model;
  }
  if (o.metrics !== undefined) {
    const m = obj(o.metrics, at(p, 'metrics'));
    run.metrics = { accuracy: fraction(m.accuracy, at(p, 'metrics.accuracy')), macroF1: fraction(m.macroF1, at(p, 'metrics.macroF1')) };
  }
  if (o.cost !== undefined) {
    const c = obj(o.cost, at(p, 'cost'));
    const q = at(p, 'cost');
    run.cost = {
      params: nullableNum(c.params, at(q, 'params')),
      nonEmbeddingParams: nullableNum(c.nonEmbeddingParams, at(q, 'nonEmbeddingParams')),
      trainFlops: nullableNum(c.trainFlops, at(q, 'trainFlops')),
      inferFlopsPerExample: nullableNum(c.inferFlopsPerExample, at(q, 'inferFlopsPerExample')),
      latencyMsP50: nullableNum(c.latencyMsP50, at(q, 'latencyMsP50')),
      latencyMsP95: nullableNum(c.latencyMsP95, at(q, 'latencyMsP95')),
      throughputPerS: nullableNum(c.throughputPerS, at(q, 'throughputPerS')),
      trainSeconds: nullableNum(c.trainSeconds, at(q, 'trainSeconds')),
      peakMemoryMB: nullableNum(c.peakMemoryMB, at(q, 'peakMemoryMB')),
      backend: str(c.backend, at(q, 'backend'), 100),
    };
  }
  if (o.data !== undefined) {
    const d = obj(o.data, at(p, 'data'));
    run.data = { labeled: num(d.labeled, at(p, 'data.labeled'), { integer: true, min: 0 }), unlabeled: num(d.unlabeled, at(p, 'data.unlabeled'), { integer: true, min: 0 }) };
  }
  const notice = optional(o, 'notice', p, (x, q) => str(x, q, 10_000));
  const error = optional(o, 'error', p, (x, q) => str(x, q, 100_000));
  const finishedAt = optional(o, 'finishedAt', p, (x, q) => str(x, q, 100));
  if (notice !== undefined) run.notice = notice;
  if (error !== undefined) run.error = error;
  if (finishedAt !== undefined) run.finishedAt = finishedAt;
  return run;
}

function checkFocus(v: unknown, p: string): Focus {
  const o = obj(v, p);
  const focus: Focus = {};
  const experiment = optional(o, 'experiment', p, (x, q) => str(x, q, 1000));
  const runRef = optional(o, 'runRef', p, (x, q) => str(x, q, 4096));
  if (experiment !== undefined) focus.experiment = experiment;
  if (runRef !== undefined) focus.runRef = runRef;
  return focus;
}

function checkLogEntry(v: unknown, p: string): LogEntry {
  const o = obj(v, p);
  const step = num(o.step, at(p, 'step'), { integer: true, min: 0 });
  if (o.split !== undefined) {
    return { step, split: oneOf(o.split, at(p, 'split'), ['train', 'dev', 'test'] as const), accuracy: fraction(o.accuracy, at(p, 'accuracy')), macroF1: fraction(o.macroF1, at(p, 'macroF1')) };
  }
  return { step, loss: num(o.loss, at(p, 'loss')), lr: num(o.lr, at(p, 'lr')) };
}

function checkDetail(v: unknown, p: string): RunDetail {
  const o = obj(v, p);
  const detail: RunDetail = {
    summary: checkRunSummary(o.summary, at(p, 'summary')),
    training: list(o.training, at(p, 'training'), pairOfStrings, 1000),
    facts: list(o.facts, at(p, 'facts'), pairOfStrings, 1000),
    log: list(o.log, at(p, 'log'), checkLogEntry, 1_000_000),
  };
  if (o.perClass !== undefined) {
    const pc = obj(o.perClass, at(p, 'perClass'));
    // A null-prototype record: a label is data, and one spelled "__proto__" must stay an ordinary key.
    const out: RunDetail['perClass'] = Object.create(null) as NonNullable<RunDetail['perClass']>;
    for (const [label, raw] of Object.entries(pc)) {
      const q = at(at(p, 'perClass'), label);
      const c = obj(raw, q);
      out[label] = { precision: fraction(c.precision, at(q, 'precision')), recall: fraction(c.recall, at(q, 'recall')), f1: fraction(c.f1, at(q, 'f1')), support: num(c.support, at(q, 'support'), { integer: true, min: 0 }) };
    }
    detail.perClass = out;
  }
  if (o.confusion !== undefined) {
    const c = obj(o.confusion, at(p, 'confusion'));
    const labels = list(c.labels, at(p, 'confusion.labels'), (x, q) => str(x, q, 1000), 1000);
    const matrix = list(c.matrix, at(p, 'confusion.matrix'), (row, q) => list(row, q, (x, r) => num(x, r, { integer: true, min: 0 }), labels.length), labels.length);
    if (matrix.length !== labels.length || matrix.some((row) => row.length !== labels.length)) throw new MessageError(at(p, 'confusion.matrix'), `${labels.length}×${labels.length} counts`, c.matrix);
    detail.confusion = { labels, matrix };
  }
  const logProblem = optional(o, 'logProblem', p, (x, q) => str(x, q, 10_000));
  if (logProblem !== undefined) detail.logProblem = logProblem;
  return detail;
}

function checkDisagreements(v: unknown, p: string): Disagreements {
  const o = obj(v, p);
  const d: Disagreements = {
    refA: str(o.refA, at(p, 'refA'), 4096),
    refB: str(o.refB, at(p, 'refB'), 4096),
    examples: num(o.examples, at(p, 'examples'), { integer: true, min: 0 }),
    total: num(o.total, at(p, 'total'), { integer: true, min: 0 }),
    shown: list(o.shown, at(p, 'shown'), (x, q) => {
      const e = obj(x, q);
      const row = { index: num(e.index, at(q, 'index'), { integer: true, min: 0 }), label: str(e.label, at(q, 'label'), 1000), a: str(e.a, at(q, 'a'), 1000), b: str(e.b, at(q, 'b'), 1000) };
      const text = optional(e, 'text', q, (t, r) => str(t, r, 100_000));
      return text === undefined ? row : { ...row, text };
    }, DISAGREEMENTS_SHOWN),
  };
  const textProblem = optional(o, 'textProblem', p, (x, q) => str(x, q, 10_000));
  const problem = optional(o, 'problem', p, (x, q) => str(x, q, 10_000));
  if (textProblem !== undefined) d.textProblem = textProblem;
  if (problem !== undefined) d.problem = problem;
  return d;
}

function checkComparison(v: unknown, p: string): Comparison {
  const o = obj(v, p);
  const mc = (x: unknown, q: string) => {
    const m = obj(x, q);
    return { onlyA: num(m.onlyA, at(q, 'onlyA'), { integer: true, min: 0 }), onlyB: num(m.onlyB, at(q, 'onlyB'), { integer: true, min: 0 }), p: fraction(m.p, at(q, 'p')) };
  };
  const b = obj(o.bootstrap, at(p, 'bootstrap'));
  const q = at(p, 'bootstrap');
  const c: Comparison = {
    seeds: list(o.seeds, at(p, 'seeds'), (x, r) => {
      const s = obj(x, r);
      return {
        ...mc(s, r),
        seedA: num(s.seedA, at(r, 'seedA'), { integer: true }), seedB: num(s.seedB, at(r, 'seedB'), { integer: true }),
        runA: str(s.runA, at(r, 'runA'), 1000), runB: str(s.runB, at(r, 'runB'), 1000),
        examples: num(s.examples, at(r, 'examples'), { integer: true, min: 0 }),
        accuracyA: fraction(s.accuracyA, at(r, 'accuracyA')), accuracyB: fraction(s.accuracyB, at(r, 'accuracyB')),
      };
    }, 10_000),
    pairing: oneOf(o.pairing, at(p, 'pairing'), ['seed', 'order'] as const),
    pooled: mc(o.pooled, at(p, 'pooled')),
    bootstrap: {
      diff: num(b.diff, at(q, 'diff'), { min: -1, max: 1 }), low: num(b.low, at(q, 'low'), { min: -1, max: 1 }), high: num(b.high, at(q, 'high'), { min: -1, max: 1 }),
      confidence: fraction(b.confidence, at(q, 'confidence')), p: fraction(b.p, at(q, 'p')), resamples: num(b.resamples, at(q, 'resamples'), { integer: true, min: 0 }),
    },
    alpha: fraction(o.alpha, at(p, 'alpha')),
    supported: bool(o.supported, at(p, 'supported')),
  };
  const problem = optional(o, 'problem', p, (x, r) => str(x, r, 10_000));
  if (problem !== undefined) c.problem = problem;
  return c;
}

/** Validates a message from the extension host; throws MessageError naming the first bad field. */
export function checkHostMessage(v: unknown): HostMessage {
  const o = obj(v, '');
  switch (o.type) {
    case 'runs': {
      const m: HostMessage = {
        type: 'runs',
        runs: list(o.runs, 'runs', checkRunSummary),
        problems: list(o.problems, 'problems', (x, p) => str(x, p, 10_000), 10_000),
        folders: list(o.folders, 'folders', (x, p) => str(x, p, 4096), 1000),
      };
      if (o.focus !== undefined) m.focus = checkFocus(o.focus, 'focus');
      return m;
    }
    case 'focus':
      return { type: 'focus', focus: checkFocus(o.focus, 'focus') };
    case 'detail': {
      const m: HostMessage = { type: 'detail', requestId: requestId(o.requestId, 'requestId'), details: list(o.details, 'details', checkDetail, 2) };
      if (o.disagreements !== undefined) m.disagreements = checkDisagreements(o.disagreements, 'disagreements');
      if (o.problem !== undefined) m.problem = str(o.problem, 'problem', 10_000);
      return m;
    }
    case 'comparisons':
      return {
        type: 'comparisons',
        requestId: requestId(o.requestId, 'requestId'),
        results: list(o.results, 'results', (x, p) => {
          const r = obj(x, p);
          const out: { key: string; comparison?: Comparison; problem?: string } = { key: str(r.key, at(p, 'key'), 10_000) };
          if (r.comparison !== undefined) out.comparison = checkComparison(r.comparison, at(p, 'comparison'));
          if (r.problem !== undefined) out.problem = str(r.problem, at(p, 'problem'), 10_000);
          return out;
        }, 10_000),
      };
    case 'exported':
      return { type: 'exported', requestId: requestId(o.requestId, 'requestId'), ok: bool(o.ok, 'ok'), message: str(o.message, 'message', 10_000) };
    default:
      throw new MessageError('type', 'runs, focus, detail, comparisons or exported', o.type);
  }
}

const refList = (v: unknown, p: string) => list(v, p, (x, q) => str(x, q, 4096), MAX_REFS);

/** Validates a message from the webview; throws MessageError naming the first bad field. */
export function checkViewMessage(v: unknown): ViewMessage {
  const o = obj(v, '');
  switch (o.type) {
    case 'ready':
      return { type: 'ready' };
    case 'detail': {
      const refs = refList(o.refs, 'refs');
      if (refs.length < 1 || refs.length > 2) throw new MessageError('refs', 'one or two run refs', o.refs);
      return { type: 'detail', requestId: requestId(o.requestId, 'requestId'), refs };
    }
    case 'compare':
      return {
        type: 'compare',
        requestId: requestId(o.requestId, 'requestId'),
        pairs: list(o.pairs, 'pairs', (x, p) => {
          const r = obj(x, p);
          return { key: str(r.key, at(p, 'key'), 10_000), a: refList(r.a, at(p, 'a')), b: refList(r.b, at(p, 'b')) };
        }, 1000),
      };
    case 'export':
      return {
        type: 'export',
        requestId: requestId(o.requestId, 'requestId'),
        format: oneOf(o.format, 'format', ['svg', 'png', 'csv'] as const),
        name: fileName(o.name, 'name'),
        content: str(o.content, 'content', MAX_EXPORT_CHARS),
      };
    case 'exportReport': {
      const r = obj(o.report, 'report');
      const t = obj(r.table, 'report.table');
      const columns = list(t.columns, 'report.table.columns', (x, p) => str(x, p, 1000), 100);
      return {
        type: 'exportReport',
        requestId: requestId(o.requestId, 'requestId'),
        name: fileName(o.name, 'name'),
        report: {
          title: str(r.title, 'report.title', 1000),
          notices: list(r.notices, 'report.notices', (x, p) => str(x, p, 10_000), 100),
          findings: list(r.findings, 'report.findings', (x, p) => str(x, p, 10_000), 1000),
          charts: list(r.charts, 'report.charts', (x, p) => {
            const c = obj(x, p);
            return { title: str(c.title, at(p, 'title'), 1000), svg: str(c.svg, at(p, 'svg'), MAX_EXPORT_CHARS / 8) };
          }, 20),
          table: {
            columns,
            rows: list(t.rows, 'report.table.rows', (x, p) => {
              const row = list(x, p, (y, q) => str(y, q, 10_000), columns.length);
              if (row.length !== columns.length) throw new MessageError(p, `${columns.length} cells`, x);
              return row;
            }, 100_000),
          },
        },
      };
    }
    case 'openRun':
      return { type: 'openRun', ref: str(o.ref, 'ref', 4096) };
    default:
      throw new MessageError('type', 'ready, detail, compare, export, exportReport or openRun', o.type);
  }
}

/** A suggested file name: one path segment, no control characters; the user still picks the place. */
function fileName(v: unknown, p: string): string {
  const s = str(v, p, 200);
  // eslint-disable-next-line no-control-regex
  if (s === '' || /[\\/\x00-\x1f]/.test(s) || s === '.' || s === '..') throw new MessageError(p, 'a file name without folders', v);
  return s;
}
