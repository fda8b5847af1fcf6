import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { EarlyStopping } from '../../../src/engine/train/early-stopping';
import { UserError } from '../../../src/engine/errors';
import { useBackend } from './backends';

/** Two parameters whose values are set to `k` before evaluation k, so restored values show which one was best. */
function makeParams(): Map<string, tf.Variable> {
  return new Map([
    ['classifier.weight', tf.tidy(() => tf.variable(tf.zeros([2, 3])))],
    ['classifier.bias', tf.tidy(() => tf.variable(tf.zeros([3])))],
  ]);
}
function setAll(params: Map<string, tf.Variable>, k: number): void {
  params.forEach((v) => tf.tidy(() => v.assign(tf.fill(v.shape, k))));
}

test('stops after `patience` evaluations without improvement and restores the best weights', async () => {
  await useBackend('cpu');
  const params = makeParams();
  const es = new EarlyStopping({ patience: 2, mode: 'max' });
  assert.equal(es.restore(params), false, 'nothing to restore before any evaluation');
  const metrics = [0.5, 0.6, 0.59, 0.61, 0.6, 0.55];
  const verdicts = metrics.map((m, k) => {
    setAll(params, k);
    return es.update(m, params, (k + 1) * 100);
  });
  assert.deepEqual(verdicts.map((v) => v.improved), [true, true, false, true, false, false]);
  assert.deepEqual(verdicts.map((v) => v.stop), [false, false, false, false, false, true]);
  assert.equal(es.best, 0.61);
  assert.equal(es.bestStep, 400);
  const before = tf.memory().numTensors;
  assert.equal(es.restore(params), true);
  assert.equal(tf.memory().numTensors, before, 'restore leaks nothing');
  assert.deepEqual([...params.get('classifier.weight')!.dataSync()], new Array(6).fill(3));
  assert.deepEqual([...params.get('classifier.bias')!.dataSync()], [3, 3, 3]);
  params.forEach((v) => v.dispose());
});

test('min mode, threshold and NaN follow transformers', async () => {
  await useBackend('cpu');
  const params = makeParams();
  const es = new EarlyStopping({ patience: 2, mode: 'min', minDelta: 0.01 });
  setAll(params, 0);
  assert.deepEqual(es.update(1.0, params, 1), { improved: true, stop: false });
  setAll(params, 1);
  // Better, but by less than the threshold: it becomes the best checkpoint yet still counts towards patience.
  assert.deepEqual(es.update(0.995, params, 2), { improved: true, stop: false });
  setAll(params, 2);
  assert.deepEqual(es.update(NaN, params, 3), { improved: false, stop: true });
  assert.equal(es.best, 0.995);
  es.restore(params);
  assert.deepEqual([...params.get('classifier.bias')!.dataSync()], [1, 1, 1]);
  params.forEach((v) => v.dispose());
});

test('bad patience is a user error', () => {
  assert.throws(() => new EarlyStopping({ patience: 0, mode: 'max' }),
    (e: unknown) => e instanceof UserError && e.place.field === 'early_stopping_patience');
});
