// Reading small result tensors back to the host.
import type * as tf from '@tensorflow/tfjs';

/** The rows of a [B, C] tensor as separate Float32Arrays (copies: backend memory may be reused); disposes it. */
export function takeRows(t: tf.Tensor2D): Float32Array[] {
  const [b, c] = t.shape;
  const data = t.dataSync() as Float32Array;
  const rows = Array.from({ length: b }, (_, i) => Float32Array.from(data.subarray(i * c, (i + 1) * c)));
  t.dispose();
  return rows;
}
