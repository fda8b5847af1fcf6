import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  evalBatches, paddingStats, restoreOrder, toTensors, trainBatches, type Batch, type TokenizedExample,
} from '../../../src/engine/train/batching';
import { Rng } from '../../../src/engine/rng';
import { UserError } from '../../../src/engine/errors';
import { useBackend } from './backends';

interface Ex extends TokenizedExample {
  id: number;
  label: number;
}

const PAD = 0;

/** A skewed length distribution like real short-text data: 90% short (5–20 tokens), 10% long (100–128). */
function skewedExamples(n: number): Ex[] {
  const rng = new Rng(1234);
  return Array.from({ length: n }, (_, id) => {
    const len = rng.next() < 0.9 ? 5 + rng.int(16) : 100 + rng.int(29);
    // Token ids start at 1 so no real token equals PAD; segment B is the second half.
    const inputIds = Array.from({ length: len }, (_, j) => 1 + ((id * 7 + j) % 500));
    const tokenTypeIds = Array.from({ length: len }, (_, j) => (j >= len / 2 ? 1 : 0));
    return { id, label: id % 3, inputIds, tokenTypeIds, attentionMask: new Array(len).fill(1) };
  });
}

const EXAMPLES = skewedExamples(1000);
const BS = 16;

const ids = (bs: Batch[]) => bs.map((b) => b.indices);

test('every example appears exactly once per epoch, in full and partial batches', () => {
  const batches = trainBatches(EXAMPLES, { batchSize: BS, padId: PAD, seed: 7 });
  const seen = batches.flatMap((b) => b.indices).sort((a, b) => a - b);
  assert.deepEqual(seen, EXAMPLES.map((_, i) => i));
  const sizes = batches.map((b) => b.size).sort((a, b) => a - b);
  assert.equal(batches.length, Math.ceil(1000 / BS));
  assert.deepEqual(sizes.slice(0, 2), [1000 % BS, BS], 'one partial batch, the rest full');
  batches.forEach((b) => assert.deepEqual(b.items.map((e) => e.id), b.indices));
});

test('same seed gives the same batches; another seed or epoch gives another order', () => {
  const a = trainBatches(EXAMPLES, { batchSize: BS, padId: PAD, seed: 7 });
  const b = trainBatches(EXAMPLES, { batchSize: BS, padId: PAD, seed: 7 });
  assert.deepEqual(ids(a), ids(b));
  assert.deepEqual(a[3].inputIds, b[3].inputIds);
  assert.notDeepEqual(ids(trainBatches(EXAMPLES, { batchSize: BS, padId: PAD, seed: 8 })), ids(a));
  const e1 = trainBatches(EXAMPLES, { batchSize: BS, padId: PAD, seed: 7, epoch: 1 });
  assert.notDeepEqual(ids(e1), ids(a));
  assert.deepEqual(ids(trainBatches(EXAMPLES, { batchSize: BS, padId: PAD, seed: 7, epoch: 1 })), ids(e1));
});

test('batches are padded to their own longest sequence, with correct contents', () => {
  const batches = trainBatches(EXAMPLES, { batchSize: BS, padId: PAD, seed: 7 });
  for (const b of batches) {
    const lens = b.items.map((e) => e.inputIds.length);
    assert.equal(b.seqLen, Math.max(...lens));
    assert.equal(b.inputIds.length, b.size * b.seqLen);
    assert.equal(b.realTokens, lens.reduce((s, l) => s + l, 0));
    assert.equal(b.totalTokens, b.size * b.seqLen);
    assert.equal(b.padTokens, b.totalTokens - b.realTokens);
    b.items.forEach((e, r) => {
      const row = (a: Int32Array) => [...a.subarray(r * b.seqLen, (r + 1) * b.seqLen)];
      const padN = b.seqLen - e.inputIds.length;
      assert.deepEqual(row(b.inputIds), [...e.inputIds, ...new Array(padN).fill(PAD)]);
      assert.deepEqual(row(b.tokenTypeIds), [...e.tokenTypeIds, ...new Array(padN).fill(0)]);
      assert.deepEqual(row(b.attentionMask), [...e.attentionMask, ...new Array(padN).fill(0)]);
    });
  }
});

test('length bucketing keeps padding far below padding to the global maximum, yet order stays random', () => {
  const batches = trainBatches(EXAMPLES, { batchSize: BS, padId: PAD, seed: 7 });
  const stats = paddingStats(batches);
  const real = EXAMPLES.reduce((s, e) => s + e.inputIds.length, 0);
  const globalMax = Math.max(...EXAMPLES.map((e) => e.inputIds.length));
  const globalPad = EXAMPLES.length * globalMax - real;
  assert.equal(stats.realTokens, real);
  assert.ok(stats.padTokens < 0.05 * globalPad, `bucketed padding ${stats.padTokens} vs global ${globalPad}`);
  // Plain random batches (no bucketing) as a second yardstick: bucketing must beat it by a wide margin.
  const rng = new Rng(7);
  const shuffled = rng.shuffle(EXAMPLES.map((e) => e.inputIds.length));
  let randomPad = 0;
  for (let i = 0; i < shuffled.length; i += BS) {
    const chunk = shuffled.slice(i, i + BS);
    randomPad += chunk.length * Math.max(...chunk) - chunk.reduce((s, l) => s + l, 0);
  }
  assert.ok(stats.padTokens < 0.2 * randomPad, `bucketed ${stats.padTokens} vs random ${randomPad}`);
  // Batch order is shuffled: batch lengths go up and down many times, not in sorted runs (one per chunk).
  const lens = batches.map((b) => b.seqLen);
  const ups = lens.filter((l, i) => i > 0 && l > lens[i - 1]).length;
  const downs = lens.filter((l, i) => i > 0 && l < lens[i - 1]).length;
  assert.ok(ups > 10 && downs > 10, `batch lengths rise ${ups} and fall ${downs} times`);
});

test('evaluation batches: longest first, no shuffling, results restored to the original order', () => {
  const batches = evalBatches(EXAMPLES, { batchSize: BS, padId: PAD });
  const seqLens = batches.map((b) => b.seqLen);
  assert.deepEqual(seqLens, [...seqLens].sort((a, b) => b - a));
  assert.deepEqual(ids(batches), ids(evalBatches(EXAMPLES, { batchSize: BS, padId: PAD })));
  // A per-row "prediction" that identifies the example, computed from the padded batch contents.
  const results = batches.map((b) => b.items.map((_, r) => ({ first: b.inputIds[r * b.seqLen], label: b.items[r].label })));
  const restored = restoreOrder(batches, results);
  assert.deepEqual(restored, EXAMPLES.map((e) => ({ first: e.inputIds[0], label: e.label })));
  assert.throws(() => restoreOrder(batches, results.slice(1)));
});

test('toTensors makes int32 [B, T] tensors of the host arrays', async () => {
  await useBackend('cpu');
  const [b] = evalBatches(EXAMPLES.slice(0, 3), { batchSize: 3, padId: PAD });
  const t = toTensors(b);
  for (const [k, x] of Object.entries(t)) {
    assert.equal(x.dtype, 'int32', k);
    assert.deepEqual(x.shape, [3, b.seqLen], k);
  }
  assert.deepEqual([...t.inputIds.dataSync()], [...b.inputIds]);
  assert.deepEqual([...t.attentionMask.dataSync()], [...b.attentionMask]);
  tf.dispose(Object.values(t));
});

test('a bad batch size is a user error', () => {
  assert.throws(() => trainBatches(EXAMPLES, { batchSize: 0, padId: PAD, seed: 1 }),
    (e: unknown) => e instanceof UserError && e.place.field === 'batch_size');
});
