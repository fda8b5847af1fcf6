// Accuracy against labeled examples: one curve per (model, series), its points the mean ± std over seeds at each
// train size. The x value is the number of labeled examples the runs really used (so "all" lands at the size of
// the training file), which is what the study's data-cost axis means. Zero-shot prompting uses no labels and has
// no place on a log axis; it is kept apart as a reference level for its model.
import type { AggregateRow, Stat } from './group';
import { seriesNamer, type SeriesInfo } from './series';

export type Metric = 'accuracy' | 'macroF1';

export interface CurvePoint {
  /** Labeled examples (> 0). */
  x: number;
  mean: number;
  std: number | null;
  /** Seeds behind the point. */
  n: number;
  /** The AggregateRow key. */
  key: string;
}

export interface Curve {
  experiment: string;
  model: string;
  series: SeriesInfo;
  /** Ascending x. */
  points: CurvePoint[];
  /** Zero-shot level of this (model, series), when there is one. */
  zeroShot?: { mean: number; std: number | null; n: number; key: string };
}

export function curveValue(row: Pick<AggregateRow, 'accuracy' | 'macroF1'>, metric: Metric): Stat {
  return metric === 'accuracy' ? row.accuracy : row.macroF1;
}

/** The x of a row: its labeled examples, or its numeric train size when the runs did not record their data. */
export function labeledOf(row: Pick<AggregateRow, 'labeled' | 'trainSize'>): number | null {
  if (row.labeled !== null) return row.labeled;
  return typeof row.trainSize === 'number' ? row.trainSize : null;
}

/**
 * Curves of the rows, ordered by model then series. Rows whose x is unknown are left out; two rows landing on the
 * same x of one curve (e.g. size 500 and "all" of a 500-row file) keep the one with more seeds.
 */
export function accuracyCurves(rows: readonly AggregateRow[], metric: Metric = 'accuracy'): Curve[] {
  const nameOf = seriesNamer(rows);
  const curves = new Map<string, Curve>();
  for (const row of rows) {
    const series = nameOf(row);
    const id = JSON.stringify([row.experiment, row.model, series.id]);
    let curve = curves.get(id);
    if (!curve) curves.set(id, (curve = { experiment: row.experiment, model: row.model, series, points: [] }));
    const stat = curveValue(row, metric);
    const x = labeledOf(row);
    if (x === null) continue;
    if (x <= 0) {
      if (!curve.zeroShot || row.n > curve.zeroShot.n) curve.zeroShot = { mean: stat.mean, std: stat.std, n: row.n, key: row.key };
      continue;
    }
    const same = curve.points.findIndex((p) => p.x === x);
    const point = { x, mean: stat.mean, std: stat.std, n: row.n, key: row.key };
    if (same < 0) curve.points.push(point);
    else if (row.n > curve.points[same].n) curve.points[same] = point;
  }
  const out = [...curves.values()];
  for (const c of out) c.points.sort((a, b) => a.x - b.x);
  return out.sort((a, b) => cmp(a.experiment, b.experiment) || cmp(a.model, b.model) || a.series.order - b.series.order || cmp(a.series.id, b.series.id));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
