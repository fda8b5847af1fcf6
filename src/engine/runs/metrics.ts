// Classification metrics from gold and predicted labels, defined as scikit-learn defines them (with
// zero_division=0): precision of a class never predicted is 0, F1 is 0 when precision and recall are both 0 — never
// NaN, which would poison every mean it enters. Macro-F1 is the unweighted mean over the label set, so a rare class
// counts as much as a common one: the point of reporting it next to accuracy on imbalanced data.

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Gold examples of the class. */
  support: number;
}

export interface Confusion {
  labels: string[];
  /** `matrix[gold][predicted]`, indexed like `labels` (rows are the truth, as in scikit-learn). */
  matrix: number[][];
}

export interface ClassificationMetrics {
  accuracy: number;
  macroF1: number;
  perClass: Record<string, ClassMetrics>;
  confusion: Confusion;
}

/**
 * @param labels the task's label set, in display order; by default the sorted labels seen in `gold` or `predicted`.
 *   A label with no gold and no predicted examples still counts in macro-F1 (with F1 0), as in scikit-learn.
 */
export function classificationMetrics(gold: readonly string[], predicted: readonly string[], labels?: readonly string[]): ClassificationMetrics {
  if (gold.length !== predicted.length) {
    throw new Error(`classificationMetrics: ${gold.length} gold labels but ${predicted.length} predictions`);
  }
  if (gold.length === 0) throw new Error('classificationMetrics: no examples to measure');
  const order = labels ? [...labels] : [...new Set([...gold, ...predicted])].sort();
  const index = new Map(order.map((l, i) => [l, i]));
  for (const l of [...gold, ...predicted]) {
    if (!index.has(l)) throw new Error(`classificationMetrics: label ${JSON.stringify(l)} is not in the label set [${order.join(', ')}]`);
  }

  const k = order.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    matrix[index.get(gold[i])!][index.get(predicted[i])!]++;
    if (gold[i] === predicted[i]) correct++;
  }

  const perClass: Record<string, ClassMetrics> = {};
  let f1Sum = 0;
  order.forEach((label, c) => {
    const tp = matrix[c][c];
    const support = matrix[c].reduce((a, b) => a + b, 0);
    const predictedCount = matrix.reduce((a, row) => a + row[c], 0);
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    // defineProperty: a label is user data, and one spelled "__proto__" must still be an ordinary key.
    Object.defineProperty(perClass, label, { value: { precision, recall, f1, support }, enumerable: true, writable: true, configurable: true });
    f1Sum += f1;
  });

  return { accuracy: correct / gold.length, macroF1: f1Sum / k, perClass, confusion: { labels: order, matrix } };
}
