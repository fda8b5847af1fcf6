// Results over seeds: finished runs grouped by what was compared — experiment, method, teacher (method and model,
// for distillation), model and train size — with the mean and the sample standard deviation (n − 1) over seeds.
// Few-shot results swing widely between seeds; one number without its spread invites wrong conclusions.
// This is the one implementation of grouping: `adapt-lab report` and the dashboard both build on it, so the
// dashboard's numbers are the report's numbers. Browser-safe: type imports only.
import type { Method, TrainSize } from '../experiment/schema';
import type { RunCost, RunRecord } from '../runs/record';

export interface Stat {
  mean: number;
  /** Sample standard deviation; null with a single seed, where spread is unknown rather than zero. */
  std: number | null;
}

/** The fields of a run that grouping reads: a RunRecord is one, and so is the dashboard's slimmer run summary. */
export type GroupableRun = Pick<RunRecord, 'id' | 'experiment' | 'method' | 'model' | 'teacher' | 'trainSize' | 'seed' | 'status' | 'notice' | 'finishedAt' | 'updatedAt'> & {
  metrics?: { accuracy: number; macroF1: number };
  cost?: Pick<RunCost, 'params' | 'trainFlops' | 'inferFlopsPerExample' | 'latencyMsP50' | 'trainSeconds'>;
  data?: { labeled: number; unlabeled: number };
};

export interface AggregateRow {
  /** Identifies the group (stable across reloads): see `groupKey`. */
  key: string;
  experiment: string;
  method: Method;
  /** For distillation: the teacher's method and model, or the run id of a teacher from outside the experiment. */
  teacher?: { method?: string; model?: string; runId?: string };
  model: string;
  trainSize: TrainSize;
  zeroShot: boolean;
  /** Seeds in the group, ascending; `n` = seeds.length. */
  seeds: number[];
  n: number;
  runIds: string[];
  accuracy: Stat;
  macroF1: Stat;
  /** Means over the group's runs that measured them; null when none did. */
  params: number | null;
  trainFlops: number | null;
  inferFlopsPerExample: number | null;
  latencyMsP50: number | null;
  trainSeconds: number | null;
  /** Labeled examples the runs trained on (the data cost; the real count when trainSize is "all"). */
  labeled: number | null;
  /** Distinct notices of the group's runs. */
  notices: string[];
  /** Older finished runs of the same group and seed (from an earlier configuration), left out in favour of the latest. */
  superseded: number;
}

export function meanStd(values: readonly number[]): Stat {
  if (values.length === 0) throw new Error('meanStd: no values');
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 1) return { mean, std: null };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

const METHOD_ORDER: Record<Method, number> = { finetune: 0, prompt: 1, distill: 2 };

function teacherKey(run: Pick<GroupableRun, 'teacher'>): string {
  const t = run.teacher;
  if (!t) return '';
  // Cell teachers differ in run id per size and seed; what is compared is their method and model.
  return t.method !== undefined ? `${t.method}:${t.model ?? ''}` : `run:${t.runId}`;
}

/** The group a run belongs to, as a string: equal for runs that differ only in seed (or attempt). */
export function groupKey(run: Pick<GroupableRun, 'experiment' | 'method' | 'teacher' | 'model' | 'trainSize'>): string {
  return JSON.stringify([run.experiment, run.method, teacherKey(run), run.model, run.trainSize]);
}

/** Groups the done runs (others are ignored) into rows, ordered by experiment, method, teacher, model, train size. */
export function aggregateRuns(runs: readonly GroupableRun[]): AggregateRow[] {
  const groups = new Map<string, Map<number, GroupableRun[]>>();
  for (const run of runs) {
    if (run.status !== 'done' || !run.metrics) continue;
    const key = groupKey(run);
    let bySeed = groups.get(key);
    if (!bySeed) groups.set(key, (bySeed = new Map()));
    const same = bySeed.get(run.seed);
    if (same) same.push(run);
    else bySeed.set(run.seed, [run]);
  }

  const rows: AggregateRow[] = [];
  for (const [key, bySeed] of groups) {
    let superseded = 0;
    const chosen = [...bySeed.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, candidates]) => {
        superseded += candidates.length - 1;
        return candidates.reduce((latest, r) => ((r.finishedAt ?? r.updatedAt) > (latest.finishedAt ?? latest.updatedAt) ? r : latest));
      });
    const first = chosen[0];
    const mean = (pick: (r: GroupableRun) => number | null | undefined): number | null => {
      const values = chosen.map(pick).filter((v): v is number => typeof v === 'number');
      return values.length === 0 ? null : meanStd(values).mean;
    };
    const t = first.teacher;
    rows.push({
      key,
      experiment: first.experiment,
      method: first.method,
      ...(t ? { teacher: t.method !== undefined ? { method: t.method, model: t.model } : { runId: t.runId } } : {}),
      model: first.model,
      trainSize: first.trainSize,
      zeroShot: first.trainSize === 0,
      seeds: chosen.map((r) => r.seed),
      n: chosen.length,
      runIds: chosen.map((r) => r.id),
      accuracy: meanStd(chosen.map((r) => r.metrics!.accuracy)),
      macroF1: meanStd(chosen.map((r) => r.metrics!.macroF1)),
      params: mean((r) => r.cost?.params),
      trainFlops: mean((r) => r.cost?.trainFlops),
      inferFlopsPerExample: mean((r) => r.cost?.inferFlopsPerExample),
      latencyMsP50: mean((r) => r.cost?.latencyMsP50),
      trainSeconds: mean((r) => r.cost?.trainSeconds),
      labeled: mean((r) => r.data?.labeled ?? (typeof r.trainSize === 'number' ? r.trainSize : undefined)),
      notices: [...new Set(chosen.map((r) => r.notice).filter((n): n is string => typeof n === 'string' && n !== ''))],
      superseded,
    });
  }

  const sizeOrder = (s: TrainSize) => (s === 'all' ? Number.POSITIVE_INFINITY : s);
  return rows.sort(
    (a, b) =>
      cmp(a.experiment, b.experiment) ||
      METHOD_ORDER[a.method] - METHOD_ORDER[b.method] ||
      cmp(teacherLabel(a), teacherLabel(b)) ||
      cmp(a.model, b.model) ||
      sizeOrder(a.trainSize) - sizeOrder(b.trainSize),
  );
}

/** `prompt:bert_uncased_L-4_H-256_A-4`, or `run:<id>`; empty for methods without a teacher. */
export function teacherLabel(row: Pick<AggregateRow, 'teacher'>): string {
  const t = row.teacher;
  if (!t) return '';
  return t.method !== undefined ? `${t.method}:${t.model ?? '?'}` : `run:${t.runId}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
