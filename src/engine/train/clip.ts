// Global-norm gradient clipping as `torch.nn.utils.clip_grad_norm_` does it (transformers' max_grad_norm):
// the L2 norm over all gradients together, and every gradient scaled by maxNorm / (norm + 1e-6) when that is < 1.
// Everything stays on the device — no read-back — so clipping adds no synchronisation to a training step.
// The returned tensors are new and belong to the caller (dispose them, or call inside tf.tidy).
import * as tf from '@tensorflow/tfjs';

/** √(Σ‖g‖²) over all gradients. */
export function globalNorm(grads: Map<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    const squares = [...grads.values()].map((g) => g.square().sum());
    if (squares.length === 0) return tf.scalar(0);
    return tf.addN(squares).sqrt() as tf.Scalar;
  });
}

export interface Clipped {
  grads: Map<string, tf.Tensor>;
  /** The norm before clipping, which is what torch returns and transformers logs as grad_norm. */
  norm: tf.Scalar;
}

/**
 * Scales the gradients so their global norm is at most `maxNorm`. A non-finite norm propagates into the gradients,
 * as in torch (error_if_nonfinite=False). `maxNorm` of Infinity (or undefined) only measures.
 */
export function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm?: number): Clipped {
  if (maxNorm !== undefined && !(maxNorm > 0)) throw new Error(`clipByGlobalNorm: maxNorm ${maxNorm} must be > 0`);
  const names = [...grads.keys()];
  // tf.tidy keeps tensors it finds in arrays and plain objects, not in Maps, so the Map is rebuilt outside it.
  const { norm, scaled } = tf.tidy(() => {
    const norm = globalNorm(grads);
    const gs = [...grads.values()];
    if (maxNorm === undefined || maxNorm === Infinity) return { norm, scaled: gs.map((g) => g.clone()) };
    // min(1, ·) rather than a host-side branch keeps it free of read-backs; multiplying by exactly 1 is exact.
    const scale = tf.minimum(tf.scalar(1), tf.scalar(maxNorm).div(norm.add(tf.scalar(1e-6))));
    return { norm, scaled: gs.map((g) => g.mul(scale)) };
  });
  return { grads: new Map(names.map((n, i) => [n, scaled[i]])), norm };
}
