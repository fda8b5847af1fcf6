import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { AdamW } from '../../../src/engine/train/adamw';
import { trainBatches, toTensors, type Batch, type TokenizedExample } from '../../../src/engine/train/batching';
import { makeSchedule } from '../../../src/engine/train/schedule';
import { trainStep } from '../../../src/engine/train/step';
import { Rng } from '../../../src/engine/rng';
import { BACKENDS, useBackend } from './backends';

// A tiny text classifier from plain tf ops: embedding gather → masked mean pool → dense + tanh → classifier →
// softmax cross-entropy. ~3.4k parameters, named like a Hugging Face checkpoint so the no-decay rule applies.
const VOCAB = 100;
const DIM = 24;
const HIDDEN = 32;
const CLASSES = 4;

interface Ex extends TokenizedExample {
  label: number;
}

/** The label is the first token's class (id mod 4), with noise tokens after it: learnable, not trivial. */
function dataset(n: number): Ex[] {
  const rng = new Rng(99);
  return Array.from({ length: n }, () => {
    const len = 3 + rng.int(10);
    const inputIds = Array.from({ length: len }, () => 1 + rng.int(VOCAB - 1));
    return { label: inputIds[0] % CLASSES, inputIds, tokenTypeIds: new Array(len).fill(0), attentionMask: new Array(len).fill(1) };
  });
}

function initParams(seed: number): Map<string, tf.Variable> {
  const rng = new Rng(seed);
  const normal = (shape: number[], std: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    // Box–Muller on the seeded generator: the same seed gives the same initial weights on every backend.
    const data = Float32Array.from({ length: n }, () => std * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
    return tf.tidy(() => tf.variable(tf.tensor(data, shape)));
  };
  return new Map([
    ['embeddings.word_embeddings.weight', normal([VOCAB, DIM], 0.5)],
    ['dense.weight', normal([DIM, HIDDEN], 0.2)],
    ['dense.bias', tf.tidy(() => tf.variable(tf.zeros([HIDDEN])))],
    ['classifier.weight', normal([HIDDEN, CLASSES], 0.2)],
    ['classifier.bias', tf.tidy(() => tf.variable(tf.zeros([CLASSES])))],
  ]);
}

function lossFor(params: Map<string, tf.Variable>, batch: Batch<Ex>): () => tf.Scalar {
  const p = (k: string) => params.get(k)!;
  return () => {
    const { inputIds, attentionMask, tokenTypeIds } = toTensors(batch);
    tokenTypeIds.dispose();
    const mask = attentionMask.toFloat().expandDims(2); // [B, T, 1]
    const table = p('embeddings.word_embeddings.weight');
    // The wasm backend has no UnsortedSegmentSum kernel, which the gradient of tf.gather needs, so there the
    // lookup is a one-hot matmul (same values, same gradient).
    const emb: tf.Tensor = tf.getBackend() === 'wasm'
      ? tf.oneHot(inputIds, VOCAB).toFloat().reshape([-1, VOCAB]).matMul(table).reshape([batch.size, batch.seqLen, DIM])
      : tf.gather(table, inputIds); // [B, T, D]
    const pooled = emb.mul(mask).sum(1).div(mask.sum(1)); // [B, D]
    const h = pooled.matMul(p('dense.weight')).add(p('dense.bias')).tanh();
    const logits = h.matMul(p('classifier.weight')).add(p('classifier.bias'));
    const labels = tf.oneHot(tf.tensor1d(batch.items.map((e) => e.label), 'int32'), CLASSES);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };
}

interface Run {
  losses: number[];
  gradNorms: number[];
  tensorsAfter: number[];
}

/** `steps` steps of seeded training; records loss and live-tensor count after each step, then frees everything. */
function train(seed: number, steps: number): Run {
  const data = dataset(400);
  const params = initParams(seed);
  const numParams = [...params.values()].reduce((s, v) => s + v.size, 0);
  assert.ok(numParams > 2000 && numParams < 5000, `model has ${numParams} parameters`);
  const optimizer = new AdamW(params, { weightDecay: 0.01 });
  const lr = makeSchedule({ kind: 'linear', peakLr: 0.02, totalSteps: steps, warmup: { ratio: 0.1 } });
  const run: Run = { losses: [], gradNorms: [], tensorsAfter: [] };
  let batches: Batch<Ex>[] = [];
  for (let step = 0; step < steps; step++) {
    if (batches.length === 0) batches = trainBatches(data, { batchSize: 16, padId: 0, seed, epoch: step }).reverse();
    const batch = batches.pop()!;
    const r = trainStep({ params, loss: lossFor(params, batch), optimizer, lr: lr(step), maxGradNorm: 1.0 });
    run.losses.push(r.loss);
    run.gradNorms.push(r.gradNorm);
    run.tensorsAfter.push(tf.memory().numTensors);
  }
  optimizer.dispose();
  params.forEach((v) => v.dispose());
  return run;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

for (const backend of BACKENDS) {
  test(`100 training steps leak no tensors and the loss falls (${backend})`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const run = train(1, 100);
    assert.equal(run.tensorsAfter[9], run.tensorsAfter[99], 'live tensors at step 10 and step 100');
    assert.ok(run.tensorsAfter.every((n) => n === run.tensorsAfter[0]), 'flat from the first step on');
    assert.equal(tf.memory().numTensors, before, 'nothing left after disposing the model and optimizer');
    assert.ok(run.losses.every(Number.isFinite) && run.gradNorms.every((g) => Number.isFinite(g) && g > 0));
    const first = mean(run.losses.slice(0, 10));
    const last = mean(run.losses.slice(-10));
    assert.ok(first > 1.2 && last < 0.7 * first, `loss ${first.toFixed(3)} → ${last.toFixed(3)}`);
  });
}

test('same seed gives identical losses; another seed gives others', async () => {
  await useBackend('wasm');
  const a = train(5, 20);
  const b = train(5, 20);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.gradNorms, b.gradNorms);
  assert.notDeepEqual(train(6, 20).losses, a.losses);
});

test('clipping bounds the update; frozen and unused variables stay as they are', async () => {
  await useBackend('cpu');
  const w = tf.variable(tf.tensor1d([3, 4]), true);
  const frozen = tf.variable(tf.tensor1d([1, 1]), false);
  const unused = tf.variable(tf.tensor1d([7]), true);
  const params = new Map([['w', w], ['frozen.weight', frozen], ['unused.weight', unused]]);
  const optimizer = new AdamW(params, { weightDecay: 0 });
  // loss = Σ (w ⊙ frozen)² / 2 → ∂/∂w = w ⊙ frozen² = [3, 4]; norm 5.
  const r = trainStep({ params, loss: () => w.mul(frozen).square().sum().div(2) as tf.Scalar, optimizer, lr: 0.1, maxGradNorm: 1 });
  assert.equal(r.loss, 12.5);
  assert.equal(r.gradNorm, 5);
  // Adam's first step moves each element by ≈ lr whatever the gradient's scale (clipped or not).
  const after = w.dataSync();
  assert.ok(Math.abs(after[0] - 2.9) < 1e-5 && Math.abs(after[1] - 3.9) < 1e-5, `w: ${after}`);
  assert.deepEqual([...frozen.dataSync()], [1, 1]);
  assert.deepEqual([...unused.dataSync()], [7]);
  assert.equal(optimizer.exportState().get('unused.weight.step')!.data[0], 0);
  optimizer.dispose();
  [w, frozen, unused].forEach((v) => v.dispose());
});
