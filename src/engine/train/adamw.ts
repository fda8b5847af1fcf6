// AdamW as `torch.optim.AdamW` computes it (the optimizer transformers' Trainer uses), so a run here follows the
// same trajectory as the reference recipe:
//   p ← p·(1 − lr·wd)                       decoupled weight decay, applied before the Adam update
//   m ← β1·m + (1 − β1)·g ;  v ← β2·v + (1 − β2)·g²
//   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)     torch's ε placement
// The step count t is kept per parameter, as torch does: a parameter that got no gradient in a step (unused by the
// loss, or frozen) is left untouched and its bias correction does not advance.
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../errors';
import type { TensorMap } from '../tensors';

export interface AdamWOptions {
  /** Decoupled weight decay for parameters that decay (torch's default is 0.01; transformers' Trainer uses 0). */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Which parameters get no weight decay; defaults to {@link isNoDecayParam}. */
  noDecay?: (name: string) => boolean;
}

/**
 * The usual parameter-group rule: biases and LayerNorm weights are not decayed. transformers decides by module type
 * (LayerNorm); by name that is BERT's `LayerNorm` and the `layer_norm`/`layernorm` spellings of its relatives
 * (DistilBERT's `sa_layer_norm`, for instance).
 */
export function isNoDecayParam(name: string): boolean {
  return name.includes('bias') || /layer_?norm/i.test(name);
}

interface Slot {
  param: tf.Variable;
  m: tf.Variable;
  v: tf.Variable;
  t: number;
  weightDecay: number;
}

/** Suffixes of the exported state, mirroring the names of torch's optimizer state entries. */
const M = '.exp_avg';
const V = '.exp_avg_sq';
const T = '.step';

export class AdamW {
  private readonly slots = new Map<string, Slot>();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(params: Map<string, tf.Variable>, opts: AdamWOptions = {}) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    const weightDecay = opts.weightDecay ?? 0.01;
    const noDecay = opts.noDecay ?? isNoDecayParam;
    checkHyper('beta1', this.beta1, 0, 1);
    checkHyper('beta2', this.beta2, 0, 1);
    checkHyper('eps', this.eps, 0, Infinity);
    checkHyper('weightDecay', weightDecay, 0, Infinity);
    for (const [name, param] of params) {
      if (param.dtype !== 'float32') throw new Error(`AdamW: parameter ${name} is ${param.dtype}, not float32`);
      this.slots.set(name, {
        param,
        m: zerosVariable(param.shape),
        v: zerosVariable(param.shape),
        t: 0,
        weightDecay: noDecay(name) ? 0 : weightDecay,
      });
    }
  }

  /** The weight decay each parameter gets (0 for the no-decay group). */
  weightDecayOf(name: string): number {
    const slot = this.slots.get(name);
    if (slot === undefined) throw new Error(`AdamW: unknown parameter ${name}`);
    return slot.weightDecay;
  }

  /** One update with the given (already clipped) gradients at learning rate `lr`. Gradients are not disposed. */
  step(grads: Map<string, tf.Tensor>, lr: number): void {
    for (const name of grads.keys()) {
      if (!this.slots.has(name)) throw new Error(`AdamW: gradient for unknown parameter ${name}`);
    }
    tf.tidy(() => {
      const { beta1, beta2 } = this;
      const b1 = tf.scalar(beta1);
      const oneMinusB1 = tf.scalar(1 - beta1);
      const b2 = tf.scalar(beta2);
      const oneMinusB2 = tf.scalar(1 - beta2);
      const eps = tf.scalar(this.eps);
      for (const [name, g] of grads) {
        const slot = this.slots.get(name)!;
        if (!sameShape(g.shape, slot.param.shape)) {
          throw new Error(`AdamW: gradient for ${name} has shape [${g.shape}], parameter [${slot.param.shape}]`);
        }
        slot.t += 1;
        // Bias corrections in float64 on the host, as torch computes them in Python floats.
        const stepSize = lr / (1 - beta1 ** slot.t);
        const bc2Sqrt = Math.sqrt(1 - beta2 ** slot.t);

        let p: tf.Tensor = slot.param;
        if (slot.weightDecay !== 0) p = p.mul(tf.scalar(1 - lr * slot.weightDecay));
        const m = slot.m.mul(b1).add(g.mul(oneMinusB1));
        const v = slot.v.mul(b2).add(g.square().mul(oneMinusB2));
        const denom = v.sqrt().div(tf.scalar(bc2Sqrt)).add(eps);
        slot.m.assign(m);
        slot.v.assign(v);
        slot.param.assign(p.sub(m.div(denom).mul(tf.scalar(stepSize))));
      }
    });
  }

  /**
   * Optimizer state as host tensors, named `<param>.exp_avg`, `<param>.exp_avg_sq` and `<param>.step` (an int32
   * scalar), ready for a checkpoint writer.
   */
  exportState(): TensorMap {
    const out: TensorMap = new Map();
    for (const [name, slot] of this.slots) {
      const shape = slot.param.shape.slice();
      out.set(name + M, { dtype: 'float32', shape, data: new Float32Array(slot.m.dataSync()) });
      out.set(name + V, { dtype: 'float32', shape, data: new Float32Array(slot.v.dataSync()) });
      out.set(name + T, { dtype: 'int32', shape: [], data: Int32Array.of(slot.t) });
    }
    return out;
  }

  /** Restores state written by {@link exportState}; `file` names the checkpoint for error messages. */
  importState(state: TensorMap, file?: string): void {
    const missing = (field: string) =>
      new UserError(`Optimizer state ${field} is missing from the checkpoint`, { file, field },
        'Resume from a checkpoint saved for this model, or start the run afresh.');
    const host: { slot: Slot; m: Float32Array; v: Float32Array; t: number }[] = [];
    // Check everything before touching any variable, so a bad checkpoint leaves the optimizer as it was.
    for (const [name, slot] of this.slots) {
      const m = state.get(name + M);
      const v = state.get(name + V);
      const t = state.get(name + T);
      if (m === undefined) throw missing(name + M);
      if (v === undefined) throw missing(name + V);
      if (t === undefined) throw missing(name + T);
      for (const [field, ht] of [[name + M, m], [name + V, v]] as const) {
        if (ht.dtype !== 'float32' || !sameShape(ht.shape, slot.param.shape)) {
          throw new UserError(
            `Optimizer state ${field} is ${ht.dtype} [${ht.shape}], but the parameter is float32 [${slot.param.shape}]`,
            { file, field },
            'Resume from a checkpoint saved for this model and configuration, or start the run afresh.');
        }
      }
      const steps = t.data[0];
      if (t.data.length !== 1 || !Number.isInteger(steps) || steps < 0) {
        throw new UserError(`Optimizer state ${name + T} is not a non-negative integer step count`,
          { file, field: name + T }, 'Resume from an uncorrupted checkpoint, or start the run afresh.');
      }
      host.push({ slot, m: m.data as Float32Array, v: v.data as Float32Array, t: steps });
    }
    for (const { slot, m, v, t } of host) {
      tf.tidy(() => {
        slot.m.assign(tf.tensor(m, slot.param.shape, 'float32'));
        slot.v.assign(tf.tensor(v, slot.param.shape, 'float32'));
      });
      slot.t = t;
    }
  }

  /** Frees the moment buffers (the parameters belong to the caller). */
  dispose(): void {
    for (const slot of this.slots.values()) {
      slot.m.dispose();
      slot.v.dispose();
    }
    this.slots.clear();
  }
}

/** A non-trainable zero buffer; the tidy frees the initial tensor so only the variable holds the memory. */
function zerosVariable(shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros(shape), false));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function checkHyper(field: string, value: number, lo: number, hi: number): void {
  // β in [0, 1), ε and weight decay ≥ 0: what torch.optim.AdamW itself accepts.
  const ok = Number.isFinite(value) ? value >= lo && (hi === Infinity || value < hi) : false;
  if (!ok) {
    const range = hi === Infinity ? `a number ≥ ${lo}` : `a number in [${lo}, ${hi})`;
    throw new UserError(`AdamW ${field} is ${value}, not ${range}`, { field }, `Set ${field} to ${range}.`);
  }
}
