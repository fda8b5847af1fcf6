// The Pareto frontier of accuracy against cost: a configuration is worth considering only when no other one is at
// least as accurate AND at least as cheap on every cost, and strictly better on one of these. Several costs at
// once (say inference FLOPs and labeled examples) answer "which methods cut compute and data at once": a point on
// that joint frontier can only be beaten by paying more of one of them.

export interface ParetoPoint {
  key: string;
  /** Higher is better. */
  accuracy: number;
  /** Lower is better; a null cost (not measured) keeps the point out of the comparison. */
  costs: readonly (number | null)[];
}

export interface ParetoResult {
  /** Keys on the frontier, in ascending order of the first cost (then descending accuracy). */
  frontier: string[];
  /** Each dominated key, with one point that dominates it (the most accurate of those, for tooltips). */
  dominatedBy: Map<string, string>;
  /** Keys left out because a cost was not measured. */
  unmeasured: string[];
}

/** Whether p dominates q: no worse on accuracy and on every cost, strictly better on at least one. */
export function dominates(p: ParetoPoint, q: ParetoPoint): boolean {
  if (p.accuracy < q.accuracy) return false;
  let strictly = p.accuracy > q.accuracy;
  for (let i = 0; i < p.costs.length; i++) {
    const a = p.costs[i]!;
    const b = q.costs[i]!;
    if (a > b) return false;
    if (a < b) strictly = true;
  }
  return strictly;
}

export function paretoFrontier(points: readonly ParetoPoint[]): ParetoResult {
  const unmeasured: string[] = [];
  const measured: ParetoPoint[] = [];
  for (const p of points) {
    if (p.costs.every((c) => c !== null && Number.isFinite(c)) && Number.isFinite(p.accuracy)) measured.push(p);
    else unmeasured.push(p.key);
  }
  // By first cost ascending, then accuracy descending: a point can only be dominated by one before it (or, for
  // equal costs, one equal to it — which `dominates` rules out).
  const sorted = measured.slice().sort((p, q) => p.costs[0]! - q.costs[0]! || q.accuracy - p.accuracy || compareRest(p, q));
  const dominatedBy = new Map<string, string>();
  const frontier: ParetoPoint[] = [];
  if (sorted.length > 0 && sorted[0].costs.length === 1) {
    // One cost: a sweep. The best accuracy so far among cheaper-or-equal points decides.
    let best: ParetoPoint | undefined;
    for (const p of sorted) {
      if (best && dominates(best, p)) dominatedBy.set(p.key, best.key);
      else frontier.push(p);
      if (!best || p.accuracy > best.accuracy) best = p;
    }
  } else {
    for (const p of sorted) {
      let by: ParetoPoint | undefined;
      for (const q of frontier) if (dominates(q, p) && (!by || q.accuracy > by.accuracy)) by = q;
      if (by) dominatedBy.set(p.key, by.key);
      else frontier.push(p);
    }
  }
  return { frontier: frontier.map((p) => p.key), dominatedBy, unmeasured };
}

function compareRest(p: ParetoPoint, q: ParetoPoint): number {
  for (let i = 1; i < p.costs.length; i++) {
    const d = p.costs[i]! - q.costs[i]!;
    if (d !== 0) return d;
  }
  return p.key < q.key ? -1 : p.key > q.key ? 1 : 0;
}
