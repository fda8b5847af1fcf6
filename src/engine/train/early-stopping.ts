// Early stopping on a dev metric, as transformers' EarlyStoppingCallback with load_best_model_at_end: after
// `patience` evaluations in a row that do not beat the best so far by more than `minDelta`, training should stop,
// and the weights from the best evaluation are put back.
// The best weights are host copies, so keeping them costs no accelerator memory and survives variable reuse.
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../errors';

export interface EarlyStoppingOptions {
  /** Evaluations without improvement before stopping (transformers' early_stopping_patience). */
  patience: number;
  /** 'max' for accuracy/F1, 'min' for loss. */
  mode: 'max' | 'min';
  /** How much better than the best a metric must be to count (transformers' early_stopping_threshold). */
  minDelta?: number;
}

export interface Verdict {
  improved: boolean;
  /** True once `patience` evaluations in a row have not improved. */
  stop: boolean;
}

export class EarlyStopping {
  private readonly patience: number;
  private readonly mode: 'max' | 'min';
  private readonly minDelta: number;
  private bestValue: number | undefined;
  private bestAt: number | undefined;
  private bad = 0;
  private weights: Map<string, Float32Array> | undefined;

  constructor(opts: EarlyStoppingOptions) {
    if (!(Number.isInteger(opts.patience) && opts.patience >= 1)) {
      throw new UserError(`early_stopping_patience is ${opts.patience}, not a whole number ≥ 1`,
        { field: 'early_stopping_patience' }, 'Set early_stopping_patience to 1 or more (e.g. 3).');
    }
    const minDelta = opts.minDelta ?? 0;
    if (!(Number.isFinite(minDelta) && minDelta >= 0)) {
      throw new UserError(`early_stopping_threshold is ${minDelta}, not a number ≥ 0`,
        { field: 'early_stopping_threshold' }, 'Set early_stopping_threshold to 0 or a small positive number.');
    }
    this.patience = opts.patience;
    this.mode = opts.mode;
    this.minDelta = minDelta;
  }

  /** The best metric so far and the step it was seen at (undefined before any finite metric). */
  get best(): number | undefined {
    return this.bestValue;
  }
  get bestStep(): number | undefined {
    return this.bestAt;
  }
  get hasBest(): boolean {
    return this.weights !== undefined;
  }

  /**
   * Records one evaluation. Any strict improvement becomes the new best (its weights copied to the host), but only
   * one by more than `minDelta` resets the patience count — the split transformers makes between the best checkpoint
   * and EarlyStoppingCallback. A NaN metric never counts as an improvement (a diverged run must not become "best").
   */
  update(metric: number, params: Map<string, tf.Variable>, step: number): Verdict {
    const prev = this.bestValue;
    const finite = Number.isFinite(metric);
    const improved = finite && (prev === undefined || this.beats(metric, prev, 0));
    const significant = finite && (prev === undefined || this.beats(metric, prev, this.minDelta));
    this.bad = significant ? 0 : this.bad + 1;
    if (improved) {
      this.bestValue = metric;
      this.bestAt = step;
      this.weights = snapshot(params);
    }
    return { improved, stop: this.bad >= this.patience };
  }

  /** Puts the best weights back into the variables; false if there is no best yet (nothing changed). */
  restore(params: Map<string, tf.Variable>): boolean {
    const weights = this.weights;
    if (weights === undefined) return false;
    for (const [name, v] of params) {
      const w = weights.get(name);
      if (w === undefined) throw new Error(`EarlyStopping.restore: no saved weights for ${name}`);
      if (w.length !== v.size) throw new Error(`EarlyStopping.restore: ${name} has ${v.size} values, saved ${w.length}`);
      tf.tidy(() => v.assign(tf.tensor(w, v.shape, 'float32')));
    }
    return true;
  }

  private beats(metric: number, best: number, by: number): boolean {
    return this.mode === 'max' ? metric - best > by : best - metric > by;
  }
}

function snapshot(params: Map<string, tf.Variable>): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  // Copy: dataSync may return a view into backend memory (wasm) that later ops overwrite.
  for (const [name, v] of params) out.set(name, new Float32Array(v.dataSync()));
  return out;
}
