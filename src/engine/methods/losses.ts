// The knowledge-distillation loss of Hinton et al. (2015) as PET computes it for its final classifier:
//   KL( softmax(teacher/T) ‖ softmax(student/T) ) · T², summed over classes and averaged over rows.
// The T² keeps the gradient's scale independent of T. The gradient is given analytically,
//   ∂L/∂student = T · (softmax(student/T) − softmax(teacher/T)) / M,
// rather than left to TF.js's autodiff through logSoftmax, which builds broadcast ops that are slow on wasm
// (see model/loss.ts). The teacher gets no gradient: its soft labels are data.
import * as tf from '@tensorflow/tfjs';
import { customGrad } from '../model/grad';

/**
 * @param student the student's logits [M, C]
 * @param teacher the teacher's logits or log-probabilities [M, C] (equivalent: softmax ignores a per-row shift)
 * @param temperature T > 0
 */
export function distillationLoss(student: tf.Tensor2D, teacher: tf.Tensor2D, temperature: number): tf.Scalar {
  const [m, c] = student.shape;
  if (teacher.shape[0] !== m || teacher.shape[1] !== c) {
    throw new Error(`distillationLoss: student logits [${student.shape}] but teacher [${teacher.shape}]`);
  }
  if (!(temperature > 0)) throw new Error(`distillationLoss: temperature ${temperature} must be > 0`);
  const f = customGrad<tf.Scalar>((s) => ({
    value: tf.tidy(() => {
      // logSoftmax on both sides: a teacher probability that underflows to 0 then contributes 0·finite = 0.
      const logP = tf.logSoftmax(tf.div(teacher, temperature));
      const logQ = tf.logSoftmax(tf.div(s, temperature));
      const kl = tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)));
      return tf.mul(kl, (temperature * temperature) / m) as tf.Scalar;
    }),
    // The teacher is saved, not just captured: the backward pass may run after the scope that created it has ended.
    save: [s, teacher],
    grad: (dy, [savedS, savedT]) =>
      tf.tidy(() => {
        const q = tf.softmax(tf.div(savedS, temperature));
        const p = tf.softmax(tf.div(savedT, temperature));
        return tf.mul(tf.sub(q, p), tf.mul(dy, temperature / m));
      }),
  }));
  return f(student);
}
