import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { AdamW, isNoDecayParam } from '../../../src/engine/train/adamw';
import { UserError } from '../../../src/engine/errors';
import { BACKENDS, useBackend } from './backends';

const B1 = 0.9;
const B2 = 0.999;
const EPS = 1e-8;

/** torch.optim.AdamW's single-tensor update, written out in float64 from the torch docs, independent of adamw.ts. */
function torchAdamW(p0: number[], grads: number[][], lr: number, wd: number): number[][] {
  const p = p0.slice();
  const m = p0.map(() => 0);
  const v = p0.map(() => 0);
  const history: number[][] = [];
  grads.forEach((g, k) => {
    const t = k + 1;
    const bc1 = 1 - B1 ** t;
    const bc2 = 1 - B2 ** t;
    for (let i = 0; i < p.length; i++) {
      p[i] *= 1 - lr * wd;
      m[i] = B1 * m[i] + (1 - B1) * g[i];
      v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
      const denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + EPS;
      p[i] -= (lr / bc1) * (m[i] / denom);
    }
    history.push(p.slice());
  });
  return history;
}

const P0 = [1.0, -0.5, 0.25, 2.0];
// Element 2 gets gradients near ε, where torch's ε placement (outside the bias-corrected sqrt) is visible:
// TF/Keras's ε̂ placement would move it by a different amount.
const GRADS = [
  [0.5, -1.5, 1e-8, 0.02],
  [-0.3, -1.0, 2e-8, 0.04],
  [0.1, 0.7, -1e-8, -0.06],
];
const LR = 0.01;

function assertClose(actual: ArrayLike<number>, expected: readonly number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Runs AdamW on one 2×2 parameter named `name`; returns the parameter after each step. */
function runOurs(name: string, wd: number): Float32Array[] {
  const p = tf.variable(tf.tensor2d(P0, [2, 2]));
  const opt = new AdamW(new Map([[name, p]]), { weightDecay: wd });
  const out: Float32Array[] = [];
  for (const g of GRADS) {
    const gt = tf.tensor2d(g, [2, 2]);
    opt.step(new Map([[name, gt]]), LR);
    gt.dispose();
    out.push(new Float32Array(p.dataSync()));
  }
  opt.dispose();
  p.dispose();
  return out;
}

for (const backend of BACKENDS) {
  test(`AdamW matches torch for 3 steps without weight decay (${backend})`, async () => {
    await useBackend(backend);
    const expected = torchAdamW(P0, GRADS, LR, 0);
    const ours = runOurs('classifier.weight', 0);
    ours.forEach((got, k) => assertClose(got, expected[k], 2e-6, `step ${k + 1}`));
    // Hand check of step 1, element 0: m̂ = 0.5, √v̂ = 0.5, so p = 1 − 0.01·0.5/(0.5 + 1e-8).
    assert.ok(Math.abs(ours[0][0] - (1 - 0.01 * 0.5 / (0.5 + 1e-8))) < 1e-6);
    // Element 2, step 1: g = ε, so the update is lr·ε/(ε + ε) = lr/2 — torch's placement, not Keras's.
    assert.ok(Math.abs(ours[0][2] - (0.25 - 0.005)) < 1e-6, `tiny-gradient element: ${ours[0][2]}`);
  });

  test(`AdamW matches torch for 3 steps with weight decay (${backend})`, async () => {
    await useBackend(backend);
    const expected = torchAdamW(P0, GRADS, LR, 0.1);
    const ours = runOurs('classifier.weight', 0.1);
    ours.forEach((got, k) => assertClose(got, expected[k], 2e-6, `step ${k + 1}`));
    // Decay is really applied: the result differs from the no-decay trajectory by about lr·wd·p per step.
    const noDecay = torchAdamW(P0, GRADS, LR, 0);
    assert.ok(Math.abs(expected[2][3] - noDecay[2][3]) > 3 * LR * 0.1 * 1.9);
  });

  test(`AdamW leaves no tensors behind (${backend})`, async () => {
    await useBackend(backend);
    const p = tf.variable(tf.ones([3, 3]));
    const opt = new AdamW(new Map([['w', p]]));
    const g = tf.onesLike(p);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.step(new Map([['w', g]]), 1e-3);
    assert.equal(tf.memory().numTensors, before);
    opt.dispose();
    assert.equal(tf.memory().numTensors, before - 2, 'dispose frees the two moment buffers');
    g.dispose();
    p.dispose();
  });
}

test('biases and LayerNorm weights get no weight decay', async () => {
  await useBackend('cpu');
  assert.equal(isNoDecayParam('bert.encoder.layer.0.attention.self.query.bias'), true);
  assert.equal(isNoDecayParam('bert.embeddings.LayerNorm.weight'), true);
  assert.equal(isNoDecayParam('bert.encoder.layer.1.output.LayerNorm.bias'), true);
  assert.equal(isNoDecayParam('distilbert.transformer.layer.0.sa_layer_norm.weight'), true);
  assert.equal(isNoDecayParam('bert.encoder.layer.0.attention.self.query.weight'), false);
  assert.equal(isNoDecayParam('bert.embeddings.word_embeddings.weight'), false);
  assert.equal(isNoDecayParam('classifier.weight'), false);

  // With zero gradients the Adam part is exactly 0, so only decay moves a parameter: p·(1 − lr·wd).
  const names = ['classifier.weight', 'classifier.bias', 'bert.embeddings.LayerNorm.weight'];
  const params = new Map(names.map((n) => [n, tf.variable(tf.fill([2], 2))] as const));
  const opt = new AdamW(params, { weightDecay: 0.5 });
  assert.deepEqual(names.map((n) => opt.weightDecayOf(n)), [0.5, 0, 0]);
  const zeros = tf.zeros([2]);
  opt.step(new Map(names.map((n) => [n, zeros] as const)), 0.1);
  assertClose(params.get('classifier.weight')!.dataSync(), [1.9, 1.9], 1e-6, 'decayed');
  assert.deepEqual([...params.get('classifier.bias')!.dataSync()], [2, 2]);
  assert.deepEqual([...params.get('bert.embeddings.LayerNorm.weight')!.dataSync()], [2, 2]);
  zeros.dispose();
  opt.dispose();
  params.forEach((v) => v.dispose());
});

test('a parameter without a gradient is untouched and keeps its own step count, as in torch', async () => {
  await useBackend('cpu');
  const a = tf.variable(tf.tensor1d([1, 1, 1, 1]));
  const b = tf.variable(tf.tensor1d(P0));
  const opt = new AdamW(new Map([['a', a], ['b', b]]), { weightDecay: 0 });
  const ga = tf.tensor1d([1, 1, 1, 1]);
  opt.step(new Map([['a', ga]]), LR); // b skipped
  assert.deepEqual([...b.dataSync()], P0.map(Math.fround));
  // b's first real step must use t = 1 bias corrections, i.e. match torch's first step.
  const gb = GRADS.map((g) => tf.tensor1d(g));
  gb.forEach((g) => opt.step(new Map([['b', g]]), LR));
  assertClose(b.dataSync(), torchAdamW(P0, GRADS, LR, 0)[2], 2e-6, 'b after its 3 steps');
  assert.equal(opt.exportState().get('a.step')!.data[0], 1);
  assert.equal(opt.exportState().get('b.step')!.data[0], 3);
  [ga, ...gb, a, b].forEach((t) => t.dispose());
  opt.dispose();
});

test('state export/import resumes the exact trajectory', async () => {
  await useBackend('cpu');
  const expected = torchAdamW(P0, GRADS, LR, 0.1);
  const p = tf.variable(tf.tensor2d(P0, [2, 2]));
  const first = new AdamW(new Map([['w', p]]), { weightDecay: 0.1 });
  const g = GRADS.map((x) => tf.tensor2d(x, [2, 2]));
  first.step(new Map([['w', g[0]]]), LR);
  first.step(new Map([['w', g[1]]]), LR);
  const state = first.exportState();
  assert.deepEqual([...state.keys()].sort(), ['w.exp_avg', 'w.exp_avg_sq', 'w.step']);
  assert.deepEqual(state.get('w.exp_avg')!.shape, [2, 2]);
  first.dispose();

  const resumed = new AdamW(new Map([['w', p]]), { weightDecay: 0.1 });
  resumed.importState(state, 'ckpt/optimizer.safetensors');
  resumed.step(new Map([['w', g[2]]]), LR);
  assertClose(p.dataSync(), expected[2], 2e-6, 'after resume');

  const wrong = new Map(state);
  wrong.set('w.exp_avg', { dtype: 'float32', shape: [4], data: new Float32Array(4) });
  assert.throws(() => resumed.importState(wrong, 'ckpt/optimizer.safetensors'),
    (e: unknown) => e instanceof UserError && e.place.field === 'w.exp_avg' && e.place.file === 'ckpt/optimizer.safetensors');
  const missing = new Map(state);
  missing.delete('w.step');
  assert.throws(() => resumed.importState(missing), (e: unknown) => e instanceof UserError && e.place.field === 'w.step');
  resumed.dispose();
  [...g, p].forEach((t) => t.dispose());
});

test('bad hyperparameters are user errors naming the field', async () => {
  await useBackend('cpu');
  const p = tf.variable(tf.zeros([1]));
  assert.throws(() => new AdamW(new Map([['w', p]]), { beta2: 1 }), (e: unknown) => e instanceof UserError && e.place.field === 'beta2');
  assert.throws(() => new AdamW(new Map([['w', p]]), { weightDecay: -1 }), (e: unknown) => e instanceof UserError && e.place.field === 'weightDecay');
  p.dispose();
});
