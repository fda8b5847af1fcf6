// One optimizer step: loss and gradients over exactly the given variables, global-norm clipping, AdamW update.
// Every intermediate tensor (activations kept for the backward pass, gradients, clipped copies, optimizer
// temporaries) is created inside one tf.tidy, so the number of live tensors is the same after every step; the only
// read-back is the loss and the gradient norm together, once, at the end.
import * as tf from '@tensorflow/tfjs';
import type { AdamW } from './adamw';
import { clipByGlobalNorm } from './clip';

export interface TrainStepArgs {
  /** The trainable parameters by Hugging Face name; frozen (non-trainable) variables get no update. */
  params: Map<string, tf.Variable>;
  /** Builds the loss from the current parameter values; runs under gradient recording. */
  loss: () => tf.Scalar;
  optimizer: AdamW;
  lr: number;
  /** Global-norm clipping threshold (transformers' max_grad_norm, 1.0 there); undefined or Infinity: no clipping. */
  maxGradNorm?: number;
}

export interface StepResult {
  loss: number;
  /** Gradient norm before clipping. */
  gradNorm: number;
}

export function trainStep(args: TrainStepArgs): StepResult {
  const { params, loss, optimizer, lr, maxGradNorm } = args;
  // variableGrads keys gradients by the TF.js variable name, which need not be the Hugging Face name.
  const keyOf = new Map<string, string>();
  for (const [key, v] of params) keyOf.set(v.name, key);

  const both = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(loss, [...params.values()]);
    const byKey = new Map<string, tf.Tensor>();
    for (const [varName, g] of Object.entries(grads)) {
      // null: a non-trainable variable in the list; absent: a variable the loss does not use. Neither is updated.
      if (g != null) byKey.set(keyOf.get(varName)!, g);
    }
    const { grads: clipped, norm } = clipByGlobalNorm(byKey, maxGradNorm);
    optimizer.step(clipped, lr);
    return tf.stack([value, norm]);
  });
  const [lossValue, gradNorm] = both.dataSync();
  both.dispose();
  return { loss: lossValue, gradNorm };
}
