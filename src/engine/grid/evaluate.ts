// A trained predictor on the test set: its class probabilities, the predicted label (the most probable class; the
// first one on a tie, as numpy's argmax), the metrics, and one prediction row per test example for predictions.jsonl.
import type { Example } from '../data/example';
import type { Predictor } from '../methods/types';
import { classificationMetrics, type ClassificationMetrics } from '../runs/metrics';
import type { PredictionRow } from '../runs/store';

export interface Evaluation {
  metrics: ClassificationMetrics;
  rows: PredictionRow[];
}

export async function evaluate(predictor: Predictor, test: readonly Example[], labels: readonly string[]): Promise<Evaluation> {
  if (predictor.labels.length !== labels.length || predictor.labels.some((l, i) => l !== labels[i])) {
    throw new Error(`internal: the predictor's labels [${predictor.labels.join(', ')}] are not the task's [${labels.join(', ')}]`);
  }
  const probs = await predictor.predict(test, { batchSize: 32 });
  if (probs.length !== test.length) throw new Error(`internal: ${probs.length} predictions for ${test.length} test examples`);
  const rows = test.map((example, index): PredictionRow => {
    const p = probs[index];
    return { index, label: example.label!, predicted: labels[argmax(p)], probs: Array.from(p) };
  });
  const metrics = classificationMetrics(rows.map((r) => r.label), rows.map((r) => r.predicted), labels);
  return { metrics, rows };
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
