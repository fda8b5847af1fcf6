// Hand-made runs for the analysis tests: run records with just the fields grouping reads filled in meaningfully.
import type { RunCost, RunRecord, RunTeacher } from '../../../src/engine/runs/record';

export const SMALL = 'google/bert_uncased_L-2_H-128_A-2';
export const LARGE = 'google/bert_uncased_L-4_H-256_A-4';

export interface RunSpec {
  method: RunRecord['method'];
  model: string;
  trainSize: number | 'all';
  seed: number;
  accuracy: number;
  macroF1?: number;
  teacher?: RunTeacher;
  cost?: Partial<RunCost>;
  labeled?: number;
  status?: RunRecord['status'];
  experiment?: string;
  updatedAt?: string;
  notice?: string;
}

export function cost(over: Partial<RunCost> = {}): RunCost {
  return {
    params: 4.4e6, nonEmbeddingParams: 4e5, trainFlops: 1e12, inferFlopsPerExample: 1e8, latencyMsP50: 5, latencyMsP95: 9,
    throughputPerS: 100, trainSeconds: 10, peakMemoryMB: 300, backend: 'cpu', ...over,
  };
}

export function run(s: RunSpec): RunRecord {
  const teacher = s.teacher ? `__from-${s.teacher.method ?? 'run'}` : '';
  const id = `${s.method}__${s.model.split('/').pop()}__n${s.trainSize}__s${s.seed}${teacher}__${s.experiment ?? 'e'}`;
  const status = s.status ?? 'done';
  const labeled = s.labeled ?? (s.trainSize === 'all' ? 5000 : s.trainSize);
  return {
    id, cellId: id, experiment: s.experiment ?? 'study', method: s.method, model: s.model,
    ...(s.teacher ? { teacher: s.teacher } : {}),
    trainSize: s.trainSize, seed: s.seed, training: {}, status, attempt: 1,
    ...(status === 'done'
      ? {
        metrics: {
          accuracy: s.accuracy, macroF1: s.macroF1 ?? s.accuracy - 0.05,
          perClass: {}, confusion: { labels: [], matrix: [] },
        },
        cost: cost(s.cost), data: { labeled, unlabeled: s.method === 'distill' ? 1000 : 0 },
      }
      : {}),
    ...(s.notice ? { notice: s.notice } : {}),
    createdAt: '2024-01-01T00:00:00.000Z', updatedAt: s.updatedAt ?? '2024-01-01T00:00:00.000Z',
    ...(status === 'done' ? { finishedAt: s.updatedAt ?? '2024-01-01T00:00:00.000Z' } : {}),
  };
}

export const close = (actual: number | null | undefined, expected: number, what: string, eps = 1e-9) =>
  { if (!(typeof actual === 'number' && Math.abs(actual - expected) <= eps)) throw new Error(`${what}: ${actual} ≠ ${expected}`); };
