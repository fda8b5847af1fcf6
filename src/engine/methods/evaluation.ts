// Scoring class probabilities against gold labels, for dev evaluations during training and PET's train-set
// accuracy before training: accuracy and macro-F1 as the run store reports them (runs/metrics.ts).
import { classificationMetrics } from '../runs/metrics';

export interface Score {
  accuracy: number;
  macroF1: number;
}

/** The arg-max class of each row (the first on ties, as numpy's argmax). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

export function score(rows: readonly ArrayLike<number>[], gold: readonly number[], labels: readonly string[]): Score {
  const m = classificationMetrics(gold.map((g) => labels[g]), rows.map((r) => labels[argmax(r)]), labels);
  return { accuracy: m.accuracy, macroF1: m.macroF1 };
}

/** Row-wise softmax in float64 on the host (a handful of classes), returned as float32 probabilities. */
export function softmaxRow(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const exps = Array.from(logits, (x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return Float32Array.from(exps, (e) => e / sum);
}
