// Is one configuration really more accurate than another on this test set, or is the gap test-set noise? Both are
// evaluated on the same test examples, so the comparison is paired:
//   - McNemar's exact test per seed pair: only the examples where exactly one of the two is right carry
//     information; under "equally good" each such example is a fair coin (two-sided binomial test, p ≤ 1).
//   - Combined over seeds: McNemar on the discordant counts pooled over seed pairs, and a paired bootstrap that
//     resamples test examples (each keeping all its seed pairs, since seeds share the examples) to give a
//     confidence interval of the mean accuracy difference.
// A difference is marked "supported" only when both agree (pooled p < α and the interval excludes 0): pooling
// treats seeds as independent, which they are not quite, and the bootstrap guards against that optimism.
import { Rng } from '../rng';

export interface PredictionLike {
  index: number;
  label: string;
  predicted: string;
}

export interface SeedPredictions {
  seed: number;
  runId: string;
  predictions: readonly PredictionLike[];
}

export interface McNemar {
  /** Examples only A gets right, and only B gets right. */
  onlyA: number;
  onlyB: number;
  p: number;
}

export interface SeedComparison extends McNemar {
  seedA: number;
  seedB: number;
  runA: string;
  runB: string;
  examples: number;
  accuracyA: number;
  accuracyB: number;
}

export interface Bootstrap {
  /** Mean over seed pairs of accuracy(A) − accuracy(B), on the test set as it is. */
  diff: number;
  low: number;
  high: number;
  confidence: number;
  /** Two-sided: twice the smaller share of resamples on either side of 0. */
  p: number;
  resamples: number;
}

export interface Comparison {
  /** Set when the runs cannot be compared (different test sets, no seeds); then nothing else is. */
  problem?: string;
  seeds: SeedComparison[];
  /** How seeds were paired: by equal seed numbers, or (when no seed is shared) in ascending order. */
  pairing: 'seed' | 'order';
  pooled: McNemar;
  bootstrap: Bootstrap;
  alpha: number;
  supported: boolean;
}

/** Two-sided exact McNemar p-value for b and c discordant pairs: P(X ≤ min(b,c)) × 2 for X ~ Bin(b+c, ½), capped at 1. */
export function mcnemarExact(b: number, c: number): number {
  if (!(Number.isInteger(b) && Number.isInteger(c) && b >= 0 && c >= 0)) throw new Error(`mcnemarExact: counts must be whole numbers ≥ 0, got ${b}, ${c}`);
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  if (2 * k === n) return 1;
  // Sum the binomial terms in log space (2^-n underflows past n ≈ 1074): running log C(n, i).
  const logHalf = -n * Math.LN2;
  let logC = 0;
  let max = -Infinity;
  const logs: number[] = [];
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    const t = logC + logHalf;
    logs.push(t);
    if (t > max) max = t;
  }
  const tail = Math.exp(max) * logs.reduce((s, t) => s + Math.exp(t - max), 0);
  return Math.min(1, 2 * tail);
}

/** Right (1) or wrong (0) per example, for two runs on the same test set; a problem string when it is not the same. */
export function pairCorrectness(a: readonly PredictionLike[], b: readonly PredictionLike[]): { a: Uint8Array; b: Uint8Array } | string {
  if (a.length !== b.length) return `the runs have ${a.length} and ${b.length} test predictions: not the same test set`;
  if (a.length === 0) return 'no test predictions';
  const byIndex = (rows: readonly PredictionLike[]) => [...rows].sort((p, q) => p.index - q.index);
  const sa = byIndex(a);
  const sb = byIndex(b);
  const ca = new Uint8Array(sa.length);
  const cb = new Uint8Array(sb.length);
  for (let i = 0; i < sa.length; i++) {
    if (sa[i].index !== sb[i].index || sa[i].label !== sb[i].label) {
      return `test example ${sa[i].index} differs between the runs (index or gold label): not the same test set`;
    }
    ca[i] = sa[i].predicted === sa[i].label ? 1 : 0;
    cb[i] = sb[i].predicted === sb[i].label ? 1 : 0;
  }
  return { a: ca, b: cb };
}

export function mcnemarOf(a: Uint8Array, b: Uint8Array): McNemar {
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && !b[i]) onlyA++;
    else if (b[i] && !a[i]) onlyB++;
  }
  return { onlyA, onlyB, p: mcnemarExact(onlyA, onlyB) };
}

/**
 * Paired bootstrap over test examples of the mean (over seed pairs) accuracy difference. `pairs` are aligned
 * correctness vectors, all of one length (the test set).
 */
export function pairedBootstrap(pairs: ReadonlyArray<{ a: Uint8Array; b: Uint8Array }>, opts: { resamples?: number; seed?: number; confidence?: number } = {}): Bootstrap {
  const resamples = opts.resamples ?? 2000;
  const confidence = opts.confidence ?? 0.95;
  const n = pairs[0].a.length;
  // Per example, the difference averaged over seed pairs: the resampled statistic is then a plain mean.
  const d = new Float64Array(n);
  for (const { a, b } of pairs) for (let i = 0; i < n; i++) d[i] += (a[i] - b[i]) / pairs.length;
  const diff = d.reduce((s, v) => s + v, 0) / n;
  const rng = new Rng(opts.seed ?? 1);
  const stats = new Float64Array(resamples);
  let below = 0;
  let above = 0;
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[rng.int(n)];
    const m = s / n;
    stats[r] = m;
    // Ties at 0 count on both sides: a resample with no difference supports neither direction.
    if (m <= 1e-12) below++;
    if (m >= -1e-12) above++;
  }
  stats.sort();
  const q = (f: number) => stats[Math.min(resamples - 1, Math.max(0, Math.floor(f * resamples)))];
  const tail = (1 - confidence) / 2;
  return { diff, low: q(tail), high: q(1 - tail), confidence, p: Math.min(1, (2 * Math.min(below, above)) / resamples), resamples };
}

/**
 * Compares configuration A with B over their seeds. Seeds are paired by seed number where the two share seeds
 * (the same seed drew the same training sample), otherwise in ascending order.
 */
export function compareConfigurations(a: readonly SeedPredictions[], b: readonly SeedPredictions[], opts: { alpha?: number; resamples?: number; seed?: number } = {}): Comparison {
  const alpha = opts.alpha ?? 0.05;
  const empty: Comparison = {
    seeds: [], pairing: 'seed', pooled: { onlyA: 0, onlyB: 0, p: 1 },
    bootstrap: { diff: 0, low: 0, high: 0, confidence: 0.95, p: 1, resamples: 0 }, alpha, supported: false,
  };
  const sa = [...a].sort((p, q) => p.seed - q.seed);
  const sb = [...b].sort((p, q) => p.seed - q.seed);
  const shared = sa.filter((x) => sb.some((y) => y.seed === x.seed));
  const pairing: 'seed' | 'order' = shared.length > 0 ? 'seed' : 'order';
  const pairs: Array<[SeedPredictions, SeedPredictions]> = pairing === 'seed'
    ? shared.map((x) => [x, sb.find((y) => y.seed === x.seed)!])
    : sa.slice(0, Math.min(sa.length, sb.length)).map((x, i) => [x, sb[i]]);
  if (pairs.length === 0) return { ...empty, problem: 'one side has no finished runs with predictions' };

  const aligned: Array<{ a: Uint8Array; b: Uint8Array }> = [];
  const seeds: SeedComparison[] = [];
  for (const [x, y] of pairs) {
    const c = pairCorrectness(x.predictions, y.predictions);
    if (typeof c === 'string') return { ...empty, pairing, problem: `${x.runId} vs ${y.runId}: ${c}` };
    if (aligned.length > 0 && c.a.length !== aligned[0].a.length) return { ...empty, pairing, problem: 'the seeds were evaluated on test sets of different sizes' };
    aligned.push(c);
    const m = mcnemarOf(c.a, c.b);
    const acc = (v: Uint8Array) => v.reduce((s, t) => s + t, 0) / v.length;
    seeds.push({ ...m, seedA: x.seed, seedB: y.seed, runA: x.runId, runB: y.runId, examples: c.a.length, accuracyA: acc(c.a), accuracyB: acc(c.b) });
  }
  const onlyA = seeds.reduce((s, x) => s + x.onlyA, 0);
  const onlyB = seeds.reduce((s, x) => s + x.onlyB, 0);
  const pooled = { onlyA, onlyB, p: mcnemarExact(onlyA, onlyB) };
  const bootstrap = pairedBootstrap(aligned, { resamples: opts.resamples, seed: opts.seed });
  const supported = pooled.p < alpha && (bootstrap.low > 0 || bootstrap.high < 0);
  return { seeds, pairing, pooled, bootstrap, alpha, supported };
}
