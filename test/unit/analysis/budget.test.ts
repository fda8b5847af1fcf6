import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeLimits, adviseBudget } from '../../../src/engine/analysis/budget';
import { aggregateRuns } from '../../../src/engine/analysis/group';
import { close, LARGE, run, SMALL } from './helpers';
import { studyRuns } from './study';

const describe = (r: ReturnType<typeof aggregateRuns>[number] | undefined) =>
  r && `${r.method}${r.teacher ? '←' + r.teacher.method : ''}/${r.model === SMALL ? 'S' : 'L'}/${r.trainSize}`;

test('serving under 3 ms with at most 100 labels: distill the prompted large model into the small one', () => {
  const rows = aggregateRuns(studyRuns());
  const advice = adviseBudget(rows, { maxLatencyMs: 3, maxLabeled: 100 });
  // Large-model rows (6 ms) and the small model's 1000-label rows are over budget.
  assert.deepEqual([advice.eligible, advice.overBudget, advice.unmeasured], [9, 9, 0]);
  assert.equal(describe(advice.best), 'distill←prompt/S/100');
  close(advice.best!.accuracy.mean, 0.81, 'best accuracy');
  assert.equal(describe(advice.runnerUp), 'prompt/S/100');
  assert.equal(advice.closeCall, false, '0.04 apart, std 0.014 each');
});

test('tighter labels, no latency limit; then no limit at all; then nothing fits', () => {
  const rows = aggregateRuns(studyRuns());
  const ten = adviseBudget(rows, { maxLabeled: 10 });
  assert.equal(describe(ten.best), 'prompt/L/10');
  assert.equal(describe(ten.runnerUp), 'distill←prompt/S/10');
  assert.equal(ten.closeCall, true, '0.77 vs 0.75 with std 0.028');
  assert.equal(describe(adviseBudget(rows, {}).best), 'finetune/L/1000');
  const none = adviseBudget(rows, { maxLatencyMs: 1 });
  assert.deepEqual([none.best, none.runnerUp, none.eligible, none.overBudget], [undefined, undefined, 0, 18]);
});

test('a limit on a cost that was not measured excludes the configuration; unset limits are ignored', () => {
  const rows = aggregateRuns([
    run({ method: 'finetune', model: SMALL, trainSize: 10, seed: 1, accuracy: 0.9, cost: { latencyMsP50: null } }),
    run({ method: 'prompt', model: LARGE, trainSize: 10, seed: 1, accuracy: 0.8, cost: { latencyMsP50: 4 } }),
  ]);
  const advice = adviseBudget(rows, { maxLatencyMs: 10 });
  assert.deepEqual([describe(advice.best), advice.runnerUp, advice.unmeasured], ['prompt/L/10', undefined, 1]);
  assert.equal(describe(adviseBudget(rows, { maxTrainSeconds: undefined }).best), 'finetune/S/10');
  assert.deepEqual(activeLimits({ maxLatencyMs: Number.NaN, maxLabeled: -1, maxInferFlops: 1e9 }), [{ limit: 'maxInferFlops', axis: 'inferFlopsPerExample', max: 1e9 }]);
});

test('equal accuracy: the cheaper to serve wins, then the one with fewer labels', () => {
  const rows = aggregateRuns([
    run({ method: 'finetune', model: LARGE, trainSize: 10, seed: 1, accuracy: 0.8, cost: { inferFlopsPerExample: 4e8 } }),
    run({ method: 'prompt', model: SMALL, trainSize: 100, seed: 1, accuracy: 0.8, cost: { inferFlopsPerExample: 1e8 } }),
    run({ method: 'finetune', model: SMALL, trainSize: 10, seed: 1, accuracy: 0.8, cost: { inferFlopsPerExample: 1e8 } }),
  ]);
  const advice = adviseBudget(rows, {});
  assert.equal(describe(advice.best), 'finetune/S/10');
  assert.equal(describe(advice.runnerUp), 'prompt/S/100');
});
