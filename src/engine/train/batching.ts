// Batches padded only to their own longest sequence. On CPU/wasm the cost of a step grows with B×T, so padding every
// batch to the longest example of the whole set wastes most of the work on short-text data. Training batches use
// length bucketing: a seeded shuffle, then sorting by length within chunks of ~50 batches, cutting those into
// batches and shuffling the batch order — batches hold similar lengths, yet which examples meet and the order
// batches arrive in stay random. Evaluation batches are simply sorted by length; `restoreOrder` undoes that.
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../errors';
import { Rng } from '../rng';

export interface TokenizedExample {
  inputIds: number[];
  tokenTypeIds: number[];
  attentionMask: number[];
}

export interface Batch<T extends TokenizedExample = TokenizedExample> {
  /** Positions of the batch's examples in the input array, in batch row order. */
  indices: number[];
  /** The examples themselves, in batch row order (for labels and other extra fields). */
  items: T[];
  /** Rows (B) and padded length (T): the longest sequence in the batch. */
  size: number;
  seqLen: number;
  /** Row-major [B, T]; padding is `padId` / type 0 / mask 0. */
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
  attentionMask: Int32Array;
  /** Real tokens (Σ lengths), all B×T positions, and the difference: the padding the model still computes on. */
  realTokens: number;
  totalTokens: number;
  padTokens: number;
}

export interface TrainBatchOptions {
  batchSize: number;
  padId: number;
  seed: number;
  /** Each epoch gets its own order from the same seed. */
  epoch?: number;
  /** Chunk size for length sorting, in batches; 50 keeps padding small while order stays well mixed. */
  bucketBatches?: number;
}

/** One epoch of length-bucketed, seeded training batches; every example appears exactly once. */
export function trainBatches<T extends TokenizedExample>(examples: readonly T[], opts: TrainBatchOptions): Batch<T>[] {
  checkBatchSize(opts.batchSize);
  const rng = epochRng(opts.seed, opts.epoch ?? 0);
  const lengths = examples.map(lengthOf);
  const order = rng.shuffle(examples.map((_, i) => i));
  const chunk = opts.batchSize * (opts.bucketBatches ?? 50);
  const groups: number[][] = [];
  for (let start = 0; start < order.length; start += chunk) {
    // Array.prototype.sort is stable, so equal lengths keep their shuffled order.
    const sorted = order.slice(start, start + chunk).sort((a, b) => lengths[a] - lengths[b]);
    groups.push(...cut(sorted, opts.batchSize));
  }
  return rng.shuffle(groups).map((g) => pad(examples, g, opts.padId));
}

/** Evaluation batches in order of decreasing length (a memory problem shows on the first batch), no shuffling. */
export function evalBatches<T extends TokenizedExample>(
  examples: readonly T[],
  opts: { batchSize: number; padId: number },
): Batch<T>[] {
  checkBatchSize(opts.batchSize);
  const lengths = examples.map(lengthOf);
  const order = examples.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a]);
  return cut(order, opts.batchSize).map((g) => pad(examples, g, opts.padId));
}

/** Per-example results from per-batch results (row order), put back in the examples' original order. */
export function restoreOrder<R>(batches: readonly Batch[], results: readonly (readonly R[])[]): R[] {
  if (results.length !== batches.length) throw new Error(`restoreOrder: ${results.length} results for ${batches.length} batches`);
  const n = batches.reduce((s, b) => s + b.size, 0);
  const out = new Array<R>(n);
  const filled = new Uint8Array(n);
  batches.forEach((b, i) => {
    if (results[i].length !== b.size) throw new Error(`restoreOrder: batch ${i} has ${b.size} rows, ${results[i].length} results`);
    b.indices.forEach((idx, row) => {
      if (idx >= n || filled[idx]) throw new Error(`restoreOrder: batches do not cover examples 0..${n - 1} once each`);
      filled[idx] = 1;
      out[idx] = results[i][row];
    });
  });
  return out;
}

/** Totals for a set of batches (e.g. one epoch), for FLOPs accounting and reporting padding overhead. */
export function paddingStats(batches: readonly Batch[]): { realTokens: number; totalTokens: number; padTokens: number } {
  let realTokens = 0;
  let totalTokens = 0;
  for (const b of batches) {
    realTokens += b.realTokens;
    totalTokens += b.totalTokens;
  }
  return { realTokens, totalTokens, padTokens: totalTokens - realTokens };
}

/** int32 [B, T] tensors for the model; the caller disposes them. */
export function toTensors(batch: Batch): { inputIds: tf.Tensor2D; tokenTypeIds: tf.Tensor2D; attentionMask: tf.Tensor2D } {
  const shape: [number, number] = [batch.size, batch.seqLen];
  return {
    inputIds: tf.tensor2d(batch.inputIds, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(batch.tokenTypeIds, shape, 'int32'),
    attentionMask: tf.tensor2d(batch.attentionMask, shape, 'int32'),
  };
}

function pad<T extends TokenizedExample>(examples: readonly T[], indices: number[], padId: number): Batch<T> {
  const items = indices.map((i) => examples[i]);
  const seqLen = items.reduce((m, e) => Math.max(m, e.inputIds.length), 0);
  const size = items.length;
  const inputIds = new Int32Array(size * seqLen).fill(padId);
  const tokenTypeIds = new Int32Array(size * seqLen);
  const attentionMask = new Int32Array(size * seqLen);
  let realTokens = 0;
  items.forEach((e, row) => {
    inputIds.set(e.inputIds, row * seqLen);
    tokenTypeIds.set(e.tokenTypeIds, row * seqLen);
    attentionMask.set(e.attentionMask, row * seqLen);
    realTokens += e.inputIds.length;
  });
  const totalTokens = size * seqLen;
  return {
    indices, items, size, seqLen, inputIds, tokenTypeIds, attentionMask,
    realTokens, totalTokens, padTokens: totalTokens - realTokens,
  };
}

function lengthOf(e: TokenizedExample, i: number): number {
  const n = e.inputIds.length;
  // The tokenizer makes the three arrays together; a mismatch is a bug upstream, not bad user input.
  if (e.tokenTypeIds.length !== n || e.attentionMask.length !== n) {
    throw new Error(`example ${i}: inputIds/tokenTypeIds/attentionMask lengths ${n}/${e.tokenTypeIds.length}/${e.attentionMask.length} differ`);
  }
  return n;
}

function cut(order: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return out;
}

function checkBatchSize(batchSize: number): void {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new UserError(`The batch size is ${batchSize}, not a whole number ≥ 1`, { field: 'batch_size' },
      'Set batch_size to a whole number such as 16.');
  }
}

/** A stream per (seed, epoch): the epoch-th sub-seed of the run's seed, so epochs differ but replay exactly. */
function epochRng(seed: number, epoch: number): Rng {
  const base = new Rng(seed);
  let sub = base.fork();
  for (let e = 0; e < epoch; e++) sub = base.fork();
  return new Rng(sub);
}
