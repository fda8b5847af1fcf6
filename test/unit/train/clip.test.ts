import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { clipByGlobalNorm, globalNorm } from '../../../src/engine/train/clip';
import { useBackend } from './backends';

function grads(): Map<string, tf.Tensor> {
  // ‖a‖² = 9 + 16 = 25, ‖b‖² = 144: global norm √169 = 13.
  return new Map<string, tf.Tensor>([
    ['a', tf.tensor1d([3, -4])],
    ['b', tf.tensor2d([[12]])],
  ]);
}

function disposeAll(m: Map<string, tf.Tensor>): void {
  m.forEach((t) => t.dispose());
}

test('global norm over all gradients', async () => {
  await useBackend('cpu');
  const g = grads();
  const n = globalNorm(g);
  assert.equal(n.dataSync()[0], 13);
  n.dispose();
  disposeAll(g);
});

test('clipping scales by maxNorm / (norm + 1e-6) and returns the pre-clip norm', async () => {
  await useBackend('cpu');
  const g = grads();
  const before = tf.memory().numTensors;
  const { grads: c, norm } = clipByGlobalNorm(g, 1);
  assert.equal(tf.memory().numTensors, before + 3, 'only the two clipped gradients and the norm are new');
  assert.equal(norm.dataSync()[0], 13);
  const scale = 1 / (13 + 1e-6); // torch's clip_coef, computed by hand
  const a = c.get('a')!.dataSync();
  const b = c.get('b')!.dataSync();
  assert.ok(Math.abs(a[0] - 3 * scale) < 1e-7 && Math.abs(a[1] + 4 * scale) < 1e-7, `a: ${a}`);
  assert.ok(Math.abs(b[0] - 12 * scale) < 1e-7, `b: ${b}`);
  assert.deepEqual(c.get('b')!.shape, [1, 1]);
  disposeAll(c);
  norm.dispose();
  disposeAll(g);
});

test('no change when the norm is under the threshold, or with no threshold', async () => {
  await useBackend('cpu');
  const g = grads();
  for (const maxNorm of [100, Infinity, undefined]) {
    const { grads: c, norm } = clipByGlobalNorm(g, maxNorm);
    assert.equal(norm.dataSync()[0], 13);
    assert.deepEqual([...c.get('a')!.dataSync()], [3, -4], `maxNorm ${maxNorm}`);
    assert.deepEqual([...c.get('b')!.dataSync()], [12]);
    disposeAll(c);
    norm.dispose();
  }
  disposeAll(g);
});
