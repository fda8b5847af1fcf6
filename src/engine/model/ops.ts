// Matrix products for the model, fast on every backend.
//
// On the wasm backend only a plain 2-D, non-transposed tf.matMul reaches XNNPACK; transposed operands and
// batched products fall back to naive loops (0.4–1.4 GFLOP/s against 15–40), and TF.js's own gradients of
// matMul are exactly such transposed products. So on wasm each product here is a tf.customGrad whose forward and
// backward passes use only plain 2-D products, with transposes done explicitly (cheap with our Transpose
// kernel, backend/transpose.ts), and batched products run as a loop of 2-D ones. On tfjs-node and cpu the
// ordinary ops are used: native TensorFlow handles every form well, and the pure-JS cpu backend is slow whatever
// the form.
import * as tf from '@tensorflow/tfjs';
import { customGrad } from './grad';

/** Whether the explicit fast paths are in use: on the wasm backend. */
export function fastPaths(): boolean {
  return tf.getBackend() === 'wasm';
}

const t2 = (x: tf.Tensor): tf.Tensor2D => tf.transpose(x as tf.Tensor2D);

/** x·W for x [M,K], W [K,N], with the 2-D-only gradient dx = dy·Wᵀ, dW = xᵀ·dy. */
const matMulFast = customGrad<tf.Tensor2D>((x, w) => ({
  value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
  save: [x, w],
  grad: (dy, [x, w]) => [tf.matMul(dy, t2(w)), tf.matMul(t2(x), dy)],
}));

/** x·W + b with the bias fused into the product (one XNNPACK call), and its gradient. */
const linearFast = customGrad<tf.Tensor2D>((x, w, b) => ({
  value: tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b }) as tf.Tensor2D,
  save: [x, w],
  grad: (dy, [x, w]) => [tf.matMul(dy, t2(w)), tf.matMul(t2(x), dy), tf.sum(dy, 0)],
}));

/**
 * x·Wᵀ + b for W [N,K] (the tied MLM decoder: W is the word-embedding matrix), with dx = dy·W, dW = dyᵀ·x and
 * db the row sums of the same dyᵀ — one transposition of the [M, N] gradient serves both.
 */
const matMulTransposedFast = customGrad<tf.Tensor2D>((x, w, b) => ({
  value: tf.tidy(() => tf.fused.matMul({ a: x as tf.Tensor2D, b: t2(w), bias: b }) as tf.Tensor2D),
  save: [x, w],
  grad: (dy, [x, w]) => {
    const dyT = t2(dy);
    return [tf.matMul(dy, w as tf.Tensor2D), tf.matMul(dyT, x as tf.Tensor2D), tf.sum(dyT, 1)];
  },
}));

/** a[i]·b[i] for every i, as a loop of 2-D products (the wasm Unpack used here is zero-copy, see wasm-kernels). */
function loopMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const as = tf.unstack(a) as tf.Tensor2D[];
    const bs = tf.unstack(b) as tf.Tensor2D[];
    return tf.stack(as.map((ai, i) => tf.matMul(ai, bs[i]))) as tf.Tensor3D;
  });
}
const transpose3 = (x: tf.Tensor): tf.Tensor3D => tf.transpose(x as tf.Tensor3D, [0, 2, 1]);

const batchMatMulFast = customGrad<tf.Tensor3D>((a, b) => ({
  value: loopMatMul(a as tf.Tensor3D, b as tf.Tensor3D),
  save: [a, b],
  grad: (dy, [a, b]) => [loopMatMul(dy, transpose3(b)), loopMatMul(transpose3(a), dy)],
}));

/** x·W (+ b): a dense layer with W stored [in, out]. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  if (fastPaths()) return b ? linearFast(x, w, b) : matMulFast(x, w);
  const y = tf.matMul(x, w) as tf.Tensor2D;
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}

/** x·Wᵀ + b for W [N, K], b [N]: scores against each row of W (the tied MLM decoder). */
export function matMulTransposed(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return fastPaths() ? matMulTransposedFast(x, w, b) : (tf.add(tf.matMul(x, w, false, true), b) as tf.Tensor2D);
}

/** Batched a[i]·b[i] (or a[i]·b[i]ᵀ when transposeB) for a [n,M,K] and b [n,K,P] (or [n,P,K]). */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D, transposeB = false): tf.Tensor3D {
  if (!fastPaths()) return tf.matMul(a, b, false, transposeB);
  return batchMatMulFast(a, transposeB ? transpose3(b) : b);
}
