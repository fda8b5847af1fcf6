// The wasm fast paths (custom gradients built from plain 2-D products) against TF.js's own ops and autodiff on
// the cpu backend, and the cross-entropy against its definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/backend/select';
import { crossEntropy } from '../../../src/engine/model/loss';
import { activation } from '../../../src/engine/model/layers';
import { batchMatMul, fastPaths, linear, matMulTransposed } from '../../../src/engine/model/ops';
import { assertClose } from './helpers';

type Case = { name: string; inputs: () => tf.Tensor[]; f: (...x: tf.Tensor[]) => tf.Tensor };
const weights = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 1.7) * 0.5), shape);
const cases: Case[] = [
  { name: 'linear', inputs: () => [weights([6, 5]), weights([5, 4]), weights([4])], f: (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D) },
  { name: 'linear without bias', inputs: () => [weights([6, 5]), weights([5, 4])], f: (x, w) => linear(x as tf.Tensor2D, w as tf.Tensor2D) },
  { name: 'x·Wᵀ + b', inputs: () => [weights([6, 5]), weights([7, 5]), weights([7])], f: (x, w, b) => matMulTransposed(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D) },
  { name: 'batched a·b', inputs: () => [weights([3, 4, 5]), weights([3, 5, 6])], f: (a, b) => batchMatMul(a as tf.Tensor3D, b as tf.Tensor3D) },
  { name: 'batched a·bᵀ', inputs: () => [weights([3, 4, 5]), weights([3, 6, 5])], f: (a, b) => batchMatMul(a as tf.Tensor3D, b as tf.Tensor3D, true) },
  { name: 'cross-entropy', inputs: () => [weights([5, 9])], f: (l) => crossEntropy(l as tf.Tensor2D, tf.tensor1d([0, 8, 3, 3, 1], 'int32')) },
];

/** Value and gradients of sum(f(x) · r) for a fixed r, as plain arrays. */
function run(c: Case): number[][] {
  return tf.tidy(() => {
    const inputs = c.inputs();
    const y = c.f(...inputs);
    const r = weights(y.shape).add(0.3);
    const grads = tf.grads((...x: tf.Tensor[]) => tf.sum(tf.mul(c.f(...x), r)))(inputs);
    return [Array.from(y.dataSync()), ...grads.map((g) => Array.from(g.dataSync()))];
  });
}

test('fast paths on wasm give the values and gradients of the plain ops on cpu', async () => {
  await initBackend('cpu');
  assert.equal(fastPaths(), false);
  const reference = cases.map(run);
  await initBackend('wasm');
  assert.equal(fastPaths(), true);
  cases.forEach((c, i) => {
    const ours = run(c);
    assert.equal(ours.length, reference[i].length);
    ours.forEach((values, k) => assertClose(values, reference[i][k], 1e-6, `${c.name} ${k === 0 ? 'value' : `gradient ${k}`}`));
  });
});

test('cross-entropy equals its definition, mean and sum, and stays finite for extreme logits', async () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    await initBackend(backend);
    const rows = [[2, -1, 0.5], [1000, -1000, 0], [-50, 40, 39.5]];
    const labels = [0, 1, 2];
    let expected = 0;
    rows.forEach((r, i) => {
      const m = Math.max(...r);
      expected += m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)) - r[labels[i]];
    });
    tf.tidy(() => {
      const logits = tf.tensor2d(rows);
      const y = tf.tensor1d(labels, 'int32');
      assertClose(crossEntropy(logits, y, 'sum').dataSync(), [expected], 1e-6, `${backend} sum`);
      assertClose(crossEntropy(logits, y, 'mean').dataSync(), [expected / 3], 1e-6, `${backend} mean`);
      const g = tf.grad((l: tf.Tensor) => crossEntropy(l as tf.Tensor2D, y, 'mean'))(logits).arraySync() as number[][];
      // Row 1 is confidently wrong: its gradient is (softmax − onehot)/3 = (1, −1, 0)/3.
      assertClose(g[1], [1 / 3, -1 / 3, 0], 1e-6, `${backend} gradient`);
    });
  }
});

test('tanh-approximated GELU and ReLU match their definitions (exact GELU is covered by the fixture)', async () => {
  const xs = Array.from({ length: 121 }, (_, i) => -6 + i * 0.1);
  const tanhGelu = xs.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))));
  for (const backend of ['cpu', 'wasm'] as const) {
    await initBackend(backend);
    tf.tidy(() => {
      const x = tf.tensor2d([xs]);
      for (const act of ['gelu_new', 'gelu_pytorch_tanh'] as const) {
        const got = activation(x, act).dataSync();
        got.forEach((v, i) => assert.ok(Math.abs(v - tanhGelu[i]) < 2e-6, `${backend} ${act}(${xs[i]}) = ${v}, expected ${tanhGelu[i]}`));
      }
      assert.deepEqual(Array.from(activation(x, 'relu').dataSync()), xs.map((v) => Math.max(0, Math.fround(v))));
    });
  }
});
