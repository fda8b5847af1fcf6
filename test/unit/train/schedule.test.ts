import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantWithWarmup, linearWithWarmup, makeSchedule, warmupSteps } from '../../../src/engine/train/schedule';
import { UserError } from '../../../src/engine/errors';

// transformers' lr_lambda for get_linear_schedule_with_warmup, transcribed for the expected values.
function hfLinear(step: number, warmup: number, total: number): number {
  if (step < warmup) return step / Math.max(1, warmup);
  return Math.max(0, (total - step) / Math.max(1, total - warmup));
}

test('linear schedule with warm-up at key steps', () => {
  const lr = makeSchedule({ kind: 'linear', peakLr: 1e-3, totalSteps: 100, warmup: { steps: 10 } });
  assert.equal(lr(0), 0); // transformers' first update uses lr 0 when there is warm-up
  assert.equal(lr(5), 5e-4);
  assert.equal(lr(10), 1e-3); // warm-up end: the peak
  assert.equal(lr(55), 1e-3 * 45 / 90); // half-way through the decay
  assert.equal(lr(100), 0); // end
  assert.equal(lr(120), 0); // never negative past the end
  for (const s of [0, 1, 9, 10, 11, 37, 99, 100]) assert.equal(lr(s), 1e-3 * hfLinear(s, 10, 100), `step ${s}`);
  assert.equal(linearWithWarmup(55, 10, 100), 0.5);
});

test('linear schedule without warm-up starts at the peak', () => {
  const lr = makeSchedule({ kind: 'linear', peakLr: 2e-5, totalSteps: 4 });
  // LambdaLR computes base_lr × lambda, so the expected values are written the same way.
  assert.deepEqual([0, 1, 2, 3, 4].map(lr), [1, 3 / 4, 2 / 4, 1 / 4, 0].map((f) => 2e-5 * f));
});

test('warm-up ratio rounds up to whole steps, as TrainingArguments.get_warmup_steps', () => {
  assert.equal(warmupSteps(95, { ratio: 0.1 }), 10); // ceil(9.5)
  assert.equal(warmupSteps(100, { ratio: 0.06 }), 6);
  assert.equal(warmupSteps(100, { steps: 3 }), 3);
  assert.equal(warmupSteps(100, undefined), 0);
  const lr = makeSchedule({ kind: 'linear', peakLr: 1, totalSteps: 95, warmup: { ratio: 0.1 } });
  assert.equal(lr(10), 1);
  assert.equal(lr(5), 0.5);
});

test('constant schedule with warm-up', () => {
  const lr = makeSchedule({ kind: 'constant', peakLr: 3e-4, totalSteps: 50, warmup: { steps: 4 } });
  assert.deepEqual([0, 1, 2, 3, 4, 25, 50, 70].map(lr), [0, 1 / 4, 2 / 4, 3 / 4, 1, 1, 1, 1].map((f) => 3e-4 * f));
  assert.equal(constantWithWarmup(0, 0), 1);
});

test('bad schedule settings are user errors naming the field and file', () => {
  const is = (field: string) => (e: unknown) => e instanceof UserError && e.place.field === field && e.place.file === 'run.yaml';
  const base = { kind: 'linear' as const, peakLr: 1e-3, totalSteps: 10, file: 'run.yaml' };
  assert.throws(() => makeSchedule({ ...base, warmup: { ratio: 1.5 } }), is('warmup_ratio'));
  assert.throws(() => makeSchedule({ ...base, warmup: { steps: -1 } }), is('warmup_steps'));
  assert.throws(() => makeSchedule({ ...base, peakLr: 0 }), is('learning_rate'));
  assert.throws(() => makeSchedule({ ...base, totalSteps: 0 }), is('max_steps'));
});
