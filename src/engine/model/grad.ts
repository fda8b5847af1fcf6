// tf.customGrad with explicit typing: the forward value, the tensors the gradient needs, and the gradient of
// every input. Used where TF.js's automatic gradients are slow or wrong for us (ops.ts, loss.ts, layers.ts).
import * as tf from '@tensorflow/tfjs';

export interface CustomForward<T extends tf.Tensor> {
  value: T;
  /** Tensors handed back to `grad` (they are kept alive until the backward pass). */
  save?: tf.Tensor[];
  grad: (dy: T, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
}

export function customGrad<T extends tf.Tensor>(forward: (...inputs: tf.Tensor[]) => CustomForward<T>): (...inputs: tf.Tensor[]) => T {
  return tf.customGrad<T>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const { value, save: saved, grad } = forward(...(args as tf.Tensor[]));
    save(saved ?? []);
    return { value, gradFunc: (dy: T, s: tf.Tensor[]) => grad(dy, s) };
  });
}
