// The element-wise pieces of BERT, each matching its torch counterpart in modeling_bert.py.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import type { HiddenAct } from './config';
import { customGrad } from './grad';

/**
 * torch.nn.LayerNorm over the last axis (biased variance, eps inside the square root), with its gradient written
 * out: autodiff through tf.moments builds twice the ops (on wasm 6 ms against 4 for [2048, 128]).
 *   x̂ = (x − mean)·rstd, y = x̂·γ + β;  dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·γ;
 *   dγ = Σ_rows dy·x̂, dβ = Σ_rows dy.
 */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  const f = customGrad<tf.Tensor2D>((input, g, b) => {
    // Only what the gradient needs outlives this tidy (training keeps it until the backward pass).
    const [value, normalized, rstd] = tf.tidy(() => {
      const centered = tf.sub(input, tf.mean(input, -1, true));
      const r = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps));
      const n = tf.mul(centered, r);
      return [tf.add(tf.mul(n, g), b), n, r];
    });
    return {
      value: value as tf.Tensor2D,
      save: [normalized, rstd, g],
      grad: (dy, [xhat, r, g]) => {
        const dxhat = tf.mul(dy, g);
        const dx = tf.mul(r, tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(xhat, tf.mean(tf.mul(dxhat, xhat), -1, true))));
        return [dx, tf.sum(tf.mul(dy, xhat), 0), tf.sum(dy, 0)];
      },
    };
  });
  return f(x, gamma, beta);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** transformers' ACT2FN for the activations BERT checkpoints use. */
export function activation(x: tf.Tensor2D, act: HiddenAct): tf.Tensor2D {
  return tf.tidy(() => {
    switch (act) {
      case 'gelu': // exact: x·Φ(x) = x/2·(1 + erf(x/√2))
        return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
      case 'gelu_new':
      case 'gelu_pytorch_tanh':
        // x/2·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³), computed as x·σ(2u) — the same function, but
        // wasm's Sigmoid is vectorised and its Tanh is not (1.1 ms against 17 ms per million values).
        return tf.mul(x, tf.sigmoid(tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), 2 * SQRT_2_OVER_PI)));
      case 'relu':
        return tf.relu(x);
    }
  });
}

/**
 * Dropout for one forward pass: inactive unless training; when training, every call draws its mask from a seed
 * forked off one Rng, so a pass is reproducible from its seed alone.
 */
export class Dropout {
  private readonly rng?: Rng;

  constructor(training: boolean, seed: number | undefined) {
    if (training) {
      if (seed === undefined) throw new Error('a training forward pass needs a dropout seed');
      this.rng = new Rng(seed);
    }
  }

  apply<T extends tf.Tensor>(x: T, rate: number): T {
    if (!this.rng || rate === 0) return x;
    return tf.dropout(x, rate, undefined, this.rng.fork()) as T;
  }
}

/**
 * Embedding lookup (torch.nn.Embedding). With a padding index, that row of the table gets no gradient, as in
 * torch: padded positions must not train the [PAD] embedding.
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor1D, paddingIdx: number | null): tf.Tensor2D {
  if (paddingIdx === null) return tf.gather(table, ids);
  // ids is saved, not just captured: the backward pass may run after the scope that created it has ended.
  const lookup = customGrad<tf.Tensor2D>((t) => ({
    value: tf.gather(t as tf.Tensor2D, ids),
    save: [ids],
    grad: (dy, [savedIds]) =>
      tf.tidy(() => {
        const keep = tf.expandDims(tf.cast(tf.notEqual(savedIds, paddingIdx), 'float32'), 1);
        return tf.unsortedSegmentSum(tf.mul(dy, keep), savedIds as tf.Tensor1D, t.shape[0]);
      }),
  }));
  return lookup(table);
}
