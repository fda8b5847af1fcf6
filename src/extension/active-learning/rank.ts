// Which unlabeled rows to label first. With one helper run: the rows its model is least sure about (highest
// entropy of its class probabilities — uncertainty sampling). With two (a prompted and a fine-tuned run, say):
// the rows they disagree on most (total variation distance between their distributions, 0 … 1), ties broken by
// the mean entropy. Each row also gets the helpers' suggestion — the most probable label of their mean — and its
// probability, which the labeling editor shows next to the buttons. Pure, unit-tested.
import type { Suggestion } from '../labeling/session';

export interface HelperPredictions {
  labels: string[];
  /** One probability vector per row, in `labels` order. */
  probs: number[][];
}

export interface RankedRow extends Suggestion {
  /** Position in the list of rows that were predicted. */
  row: number;
}

/** Entropy in nats. */
export function entropy(p: readonly number[]): number {
  let h = 0;
  for (const x of p) if (x > 0) h -= x * Math.log(x);
  return h;
}

export function rankByEntropy(helper: HelperPredictions): RankedRow[] {
  return sortRanked(helper.probs.map((p, row) => ({ row, score: entropy(p), ...suggest(helper.labels, p) })));
}

export function rankByDisagreement(a: HelperPredictions, b: HelperPredictions): RankedRow[] {
  if (a.probs.length !== b.probs.length) throw new Error(`rankByDisagreement: ${a.probs.length} vs ${b.probs.length} rows`);
  // The two runs may list their labels in different orders, or not share all of them: align by name.
  const labels = [...new Set([...a.labels, ...b.labels])];
  const align = (h: HelperPredictions, p: number[]) => labels.map((l) => {
    const i = h.labels.indexOf(l);
    return i === -1 ? 0 : p[i];
  });
  return sortRanked(a.probs.map((pa, row) => {
    const p = align(a, pa);
    const q = align(b, b.probs[row]);
    const distance = 0.5 * p.reduce((s, x, i) => s + Math.abs(x - q[i]), 0);
    const mean = p.map((x, i) => (x + q[i]) / 2);
    // Disagreement first; among equal disagreements, the more uncertain row (a tiny, bounded tie-break).
    const tie = (entropy(p) + entropy(q)) / 2 / Math.log(Math.max(2, labels.length)) * 1e-6;
    return { row, score: distance + tie, ...suggest(labels, mean) };
  }));
}

function suggest(labels: readonly string[], p: readonly number[]): { label: string; confidence: number } {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return { label: labels[best], confidence: p[best] };
}

function sortRanked(rows: RankedRow[]): RankedRow[] {
  return rows.sort((x, y) => y.score - x.score || x.row - y.row);
}
