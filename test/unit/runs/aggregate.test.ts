import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateRuns, meanStd } from '../../../src/engine/runs/aggregate';
import type { RunCost } from '../../../src/engine/runs/record';
import { doneRun, metricsFor } from './helpers';

const close = (a: number | null, b: number, what: string) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

function cost(trainFlops: number | null, latency: number): RunCost {
  return {
    params: 4_400_000, nonEmbeddingParams: 400_000, trainFlops, inferFlopsPerExample: 1.1e8, latencyMsP50: latency,
    latencyMsP95: latency * 2, throughputPerS: 100, trainSeconds: 12, peakMemoryMB: null, backend: 'wasm',
  };
}

test('mean and sample standard deviation', () => {
  const s = meanStd([0.8, 0.9, 1.0]);
  close(s.mean, 0.9, 'mean');
  close(s.std, 0.1, 'std (n − 1)');
  const t = meanStd([2, 4, 4, 4, 5, 5, 7, 9]);
  close(t.mean, 5, 'mean');
  close(t.std, Math.sqrt(32 / 7), 'std');
  assert.deepEqual(meanStd([0.7]), { mean: 0.7, std: null });
});

test('runs are grouped by method, teacher, model and train size, over seeds', () => {
  const L2 = 'google/bert_uncased_L-2_H-128_A-2';
  const L4 = 'google/bert_uncased_L-4_H-256_A-4';
  const runs = [
    doneRun({ method: 'prompt', model: L2, trainSize: 32, seed: 1, metrics: metricsFor(0.80, 0.70), cost: cost(3e12, 4) }),
    doneRun({ method: 'prompt', model: L2, trainSize: 32, seed: 2, metrics: metricsFor(0.90, 0.80), cost: cost(null, 6) }),
    doneRun({ method: 'prompt', model: L2, trainSize: 32, seed: 3, metrics: metricsFor(1.00, 0.90), cost: cost(4e12, 5) }),
    doneRun({ method: 'finetune', model: L2, trainSize: 'all', seed: 1, metrics: metricsFor(0.95, 0.9) }),
    doneRun({ method: 'finetune', model: L2, trainSize: 10, seed: 1, metrics: metricsFor(0.6, 0.4) }),
    doneRun({ method: 'distill', model: L2, trainSize: 32, seed: 1, teacher: { runId: 't1', method: 'prompt', model: L4 }, metrics: metricsFor(0.85, 0.8) }),
    doneRun({ method: 'distill', model: L2, trainSize: 32, seed: 2, teacher: { runId: 't2', method: 'prompt', model: L4 }, metrics: metricsFor(0.87, 0.8) }),
    doneRun({ method: 'distill', model: L2, trainSize: 32, seed: 1, teacher: { runId: 'external-run' }, metrics: metricsFor(0.5, 0.5) }),
    { ...doneRun({ method: 'prompt', model: L2, trainSize: 32, seed: 4 }), status: 'failed' as const, metrics: undefined },
  ];
  const rows = aggregateRuns(runs);
  assert.deepEqual(
    rows.map((r) => [r.method, r.teacher?.method ?? r.teacher?.runId ?? '', r.trainSize, r.n]),
    [
      ['finetune', '', 10, 1],
      ['finetune', '', 'all', 1],
      ['prompt', '', 32, 3],
      ['distill', 'prompt', 32, 2],
      ['distill', 'external-run', 32, 1],
    ],
  );
  const p = rows[2];
  assert.deepEqual(p.seeds, [1, 2, 3]);
  close(p.accuracy.mean, 0.9, 'accuracy mean');
  close(p.accuracy.std, 0.1, 'accuracy std');
  close(p.macroF1.mean, 0.8, 'macro-F1 mean');
  close(p.trainFlops, 3.5e12, 'train FLOPs: mean over the runs that measured it');
  close(p.latencyMsP50, 5, 'latency');
  assert.equal(rows[0].trainFlops, null);
  assert.equal(rows[0].accuracy.std, null);
  assert.deepEqual(rows[3].teacher, { method: 'prompt', model: L4 });
  assert.deepEqual(rows[3].runIds.length, 2);
});

test('an older finished run of the same cell and seed is superseded by the latest', () => {
  const old = doneRun({ method: 'finetune', model: 'm', trainSize: 10, seed: 1, metrics: metricsFor(0.1, 0.1), finishedAt: '2024-01-01T00:00:00Z' });
  const latest = { ...doneRun({ method: 'finetune', model: 'm', trainSize: 10, seed: 1, metrics: metricsFor(0.9, 0.9), finishedAt: '2024-02-01T00:00:00Z' }), id: 'newer' };
  const [row] = aggregateRuns([latest, old]);
  assert.equal(row.n, 1);
  assert.equal(row.accuracy.mean, 0.9);
  assert.equal(row.superseded, 1);
  assert.deepEqual(row.runIds, ['newer']);
});

test('runs of different experiments are not mixed', () => {
  const rows = aggregateRuns([
    doneRun({ method: 'finetune', model: 'm', trainSize: 10, seed: 1, experiment: 'a' }),
    doneRun({ method: 'finetune', model: 'm', trainSize: 10, seed: 2, experiment: 'b' }),
  ]);
  assert.deepEqual(rows.map((r) => [r.experiment, r.n]), [['a', 1], ['b', 1]]);
});
