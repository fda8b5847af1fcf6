// The label set is whatever the training data uses; dev and test may only use labels from it, because a model
// has no output for a label it never saw in training, and an unseen label is almost always a typo or a wrong file.
import { UserError } from '../errors';
import type { Example } from './example';

/**
 * Sorted label set of the training rows (code-unit order, so it is the same on every machine and locale).
 * `field` is the label column or key, named in errors.
 */
export function labelSet(train: readonly Example[], file: string, field?: string): string[] {
  const counts = labelCounts(train);
  const labels = [...counts.keys()].sort(compareLabels);
  if (labels.length === 0) {
    throw new UserError('the training data has no labeled rows', { file, field }, 'Give the training file a label column or field with at least two classes.');
  }
  if (labels.length === 1) {
    throw new UserError(
      `the training data has only one class ("${labels[0]}", ${counts.get(labels[0])} rows)`,
      { file, field },
      'A classifier needs at least two classes: check the label field, or add examples of the other classes.',
    );
  }
  return labels;
}

/** Throws for the first row of `rows` whose label is not in `labels`. Rows without a label are left alone. */
export function checkKnownLabels(rows: readonly Example[], labels: readonly string[], file: string): void {
  const known = new Set(labels);
  for (const row of rows) {
    if (row.label !== undefined && !known.has(row.label)) {
      throw new UserError(
        `label "${row.label}" does not occur in the training data (its labels: ${labels.map((l) => JSON.stringify(l)).join(', ')})`,
        { file, line: row.line, field: 'label' },
        'Correct the label, or check that this file belongs to the same dataset as the training file.',
      );
    }
  }
}

/** Rows per label, in first-seen order. */
export function labelCounts(rows: readonly Example[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.label !== undefined) counts.set(row.label, (counts.get(row.label) ?? 0) + 1);
  return counts;
}

export function compareLabels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
