// The budget advisor: the user's limits (latency or inference FLOPs for serving, labeled examples for annotation,
// training time) against every configuration's measured costs; the best one within all limits by mean accuracy,
// with the runner-up, so that a choice between two near-equal configurations is visibly a close call. A limit on
// a cost a configuration did not measure excludes it: advice must not rest on a number nobody measured.
import { costOf, type CostAxis } from './cost-axes';
import { curveValue, type Metric } from './curves';
import type { AggregateRow } from './group';

export interface BudgetLimits {
  maxLatencyMs?: number;
  maxInferFlops?: number;
  maxLabeled?: number;
  maxTrainSeconds?: number;
}

const LIMIT_AXES: ReadonlyArray<[keyof BudgetLimits, CostAxis]> = [
  ['maxLatencyMs', 'latencyMsP50'],
  ['maxInferFlops', 'inferFlopsPerExample'],
  ['maxLabeled', 'labeled'],
  ['maxTrainSeconds', 'trainSeconds'],
];

export interface BudgetAdvice {
  best?: AggregateRow;
  runnerUp?: AggregateRow;
  /** Configurations within every limit. */
  eligible: number;
  /** Over at least one limit. */
  overBudget: number;
  /** Within the limits they measured, but missing a cost that a limit is set on. */
  unmeasured: number;
  /** Whether best and runner-up are within one standard deviation (the larger of the two) of each other. */
  closeCall: boolean;
}

/** The limits that are set (finite, ≥ 0), each with the cost it bounds. */
export function activeLimits(limits: BudgetLimits): Array<{ limit: keyof BudgetLimits; axis: CostAxis; max: number }> {
  return LIMIT_AXES.flatMap(([limit, axis]) => {
    const max = limits[limit];
    return typeof max === 'number' && Number.isFinite(max) && max >= 0 ? [{ limit, axis, max }] : [];
  });
}

export function adviseBudget(rows: readonly AggregateRow[], limits: BudgetLimits, metric: Metric = 'accuracy'): BudgetAdvice {
  const active = activeLimits(limits);
  const eligible: AggregateRow[] = [];
  let overBudget = 0;
  let unmeasured = 0;
  for (const row of rows) {
    let over = false;
    let missing = false;
    for (const { axis, max } of active) {
      const cost = costOf(row, axis);
      if (cost === null) missing = true;
      else if (cost > max) over = true;
    }
    if (over) overBudget++;
    else if (missing) unmeasured++;
    else eligible.push(row);
  }
  // Most accurate first; among equals the cheaper to serve, then the one needing fewer labels, then by key so the
  // answer never depends on input order.
  const cost = (r: AggregateRow, axis: CostAxis) => costOf(r, axis) ?? Number.POSITIVE_INFINITY;
  eligible.sort((a, b) =>
    curveValue(b, metric).mean - curveValue(a, metric).mean ||
    cost(a, 'inferFlopsPerExample') - cost(b, 'inferFlopsPerExample') ||
    cost(a, 'labeled') - cost(b, 'labeled') ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const [best, runnerUp] = eligible;
  let closeCall = false;
  if (best && runnerUp) {
    const sa = curveValue(best, metric);
    const sb = curveValue(runnerUp, metric);
    const spread = Math.max(sa.std ?? 0, sb.std ?? 0);
    closeCall = sa.mean - sb.mean <= spread;
  }
  return { best, runnerUp, eligible: eligible.length, overBudget, unmeasured, closeCall };
}
