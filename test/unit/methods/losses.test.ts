import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/backend/select';
import { distillationLoss } from '../../../src/engine/methods/losses';

// Two rows, three classes, T = 2. Worked out in float64 by hand (Python's math module):
//   p = softmax(teacher/2), q = softmax(student/2), KL_row = Σ p·ln(p/q)
//   row 1: KL = 0.1791859146362983; row 2: KL = 0.9964725039698379
//   loss = (KL_1 + KL_2) · T² / 2 = 2.3513168372122726
//   ∂loss/∂student = T·(q − p)/2
const STUDENT = [[1, 0, 0.5], [-1, 2, 0]];
const TEACHER = [[0, 2, 1], [3, 0, -2]];
const LOSS = 2.3513168372122726;
const GRAD = [
  [0.2329052283838501, -0.25220517846518836, 0.019299950081338335],
  [-0.6259128233902538, 0.4575789390139722, 0.16833388437628155],
];

function close(actual: ArrayLike<number>, expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`KD loss and its gradient against hand-computed values (${backend})`, async () => {
    await initBackend(backend);
    const start = tf.memory().numTensors;
    const s = tf.tensor2d(STUDENT);
    const t = tf.tensor2d(TEACHER);
    const { value, grads } = tf.tidy(() => tf.valueAndGrads((x: tf.Tensor) => distillationLoss(x as tf.Tensor2D, t, 2))([s]));
    close(await value.data(), [LOSS], 1e-5, 'loss');
    close(await grads[0].data(), GRAD.flat(), 1e-6, 'gradient');
    tf.dispose([s, t, value, grads]);
    assert.equal(tf.memory().numTensors, start, 'no tensors left behind');
  });
}

test('the gradient matches a central finite difference of the loss', async () => {
  await initBackend('cpu');
  const student = [[0.3, -1.2, 2.0, 0.1], [1.5, 0.2, -0.7, 0.0], [-2.0, 1.0, 0.5, 0.25]];
  const teacher = tf.tensor2d([[1.0, 0.0, -1.0, 2.0], [0.0, 0.5, 0.5, -3.0], [2.0, -1.0, 0.0, 1.0]]);
  const T = 3;
  const f = (x: number[][]) => tf.tidy(() => distillationLoss(tf.tensor2d(x), teacher, T).dataSync()[0]);
  const analytic = tf.tidy(() => tf.grad((x: tf.Tensor) => distillationLoss(x as tf.Tensor2D, teacher, T))(tf.tensor2d(student)).arraySync()) as number[][];
  const h = 1e-2; // float32: a larger step keeps rounding error well below the difference measured
  for (let i = 0; i < student.length; i++) {
    for (let j = 0; j < student[i].length; j++) {
      const plus = student.map((r) => r.slice());
      const minus = student.map((r) => r.slice());
      plus[i][j] += h;
      minus[i][j] -= h;
      const numeric = (f(plus) - f(minus)) / (2 * h);
      assert.ok(Math.abs(numeric - analytic[i][j]) < 2e-4, `[${i}][${j}] numeric ${numeric} vs analytic ${analytic[i][j]}`);
    }
  }
  teacher.dispose();
});

test('teacher logits and teacher log-probabilities give the same loss; equal distributions give 0', async () => {
  await initBackend('cpu');
  tf.tidy(() => {
    const s = tf.tensor2d(STUDENT);
    const logits = tf.tensor2d(TEACHER);
    const fromLogits = distillationLoss(s, logits, 2).dataSync()[0];
    const fromLogProbs = distillationLoss(s, tf.logSoftmax(logits), 2).dataSync()[0];
    assert.ok(Math.abs(fromLogits - fromLogProbs) < 1e-6);
    // Shifted by a constant per row: the same distribution, so KL is 0.
    assert.ok(Math.abs(distillationLoss(s, tf.add(s, tf.tensor2d([[5], [-3]])) as tf.Tensor2D, 2).dataSync()[0]) < 1e-6);
    // A teacher probability of exactly 0 (log-probability −744) adds 0, not NaN.
    const hard = distillationLoss(s, tf.tensor2d([[-744, 0, -744], [0, -744, -744]]), 1).dataSync()[0];
    assert.ok(Number.isFinite(hard) && hard > 0);
  });
});

test('T² scaling: at a high temperature the loss approaches the logit-matching limit (mean squared centred logit gap / 2C)', async () => {
  // Hinton et al.: for large T, KL·T² → Σ_c (s_c − t_c − mean)² / (2C) per row (zero-mean logits).
  await initBackend('cpu');
  const T = 200;
  const s = [1, -1, 0];
  const t = [0.5, 0.5, -1];
  const d = s.map((x, i) => x - t[i]);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const limit = d.reduce((a, x) => a + (x - mean) ** 2, 0) / (2 * d.length);
  const value = tf.tidy(() => distillationLoss(tf.tensor2d([s]), tf.tensor2d([t]), T).dataSync()[0]);
  assert.ok(Math.abs(value - limit) / limit < 0.02, `${value} vs ${limit}`);
});
