// Softmax cross-entropy against integer class labels, as torch.nn.functional.cross_entropy computes it.
//
// One softmax pass does both directions: the gradient is (softmax − onehot)·dy (÷ M for the mean), and the
// loss needs logsumexp(x) = max(x) + log Σ exp(x − max) = max(x) − log(max softmax(x)), because the largest
// probability is exp(0)/Σ. That largest probability is at least 1/C, so its log never underflows the way
// log(softmax[label]) can. Why not TF.js's logSumExp: its Exp kernel on wasm is scalar (53 ms for 320 × 30,522
// against 7.5 ms for the Softmax kernel), and autodiff through it builds a broadcast Equal that took 1.3 s.
import * as tf from '@tensorflow/tfjs';
import { customGrad } from './grad';

export type Reduction = 'mean' | 'sum';

/**
 * Cross-entropy of logits [M, C] against labels (int32 [M], each in 0..C-1), averaged or summed over the M rows.
 * Returns a scalar.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, reduction: Reduction = 'mean'): tf.Scalar {
  const [m, c] = logits.shape;
  if (labels.shape[0] !== m) throw new Error(`crossEntropy: ${m} rows of logits but ${labels.shape[0]} labels`);
  const scale = reduction === 'mean' ? 1 / m : 1;
  const f = customGrad<tf.Scalar>((x) => {
    const probs = tf.softmax(x as tf.Tensor2D);
    const value = tf.tidy(() => {
      const logSumExp = tf.sub(tf.max(x, -1), tf.log(tf.max(probs, -1)));
      const flat = tf.add(tf.mul(tf.range(0, m, 1, 'int32'), tf.scalar(c, 'int32')), labels);
      const picked = tf.gather(tf.reshape(x, [-1]), flat);
      return tf.mul(tf.sum(tf.sub(logSumExp, picked)), scale) as tf.Scalar;
    });
    return {
      value,
      // labels is saved, not just captured: the backward pass may run after the scope that created it has ended.
      save: [probs, labels],
      grad: (dy, [p, savedLabels]) => tf.mul(tf.sub(p, tf.oneHot(savedLabels as tf.Tensor1D, c, 1, 0, 'float32')), tf.mul(dy, scale)),
    };
  });
  return f(logits);
}
