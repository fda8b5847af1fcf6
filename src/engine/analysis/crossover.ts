// Where one method overtakes another: the study's "prompting beats fine-tuning with few labels" is a crossover of
// two accuracy-vs-labels curves. Both curves are read as piecewise linear in log(labels) — the axis the results
// are drawn on, where train sizes are spaced geometrically — and compared only over the range both cover:
// extrapolating a learning curve past its last size would invent results.

export interface XY {
  x: number;
  y: number;
}

export interface Crossover {
  /** Labeled examples where the curves meet (interpolated on log x). */
  x: number;
  /** The curve ahead just below `x`, and the one ahead just above it. */
  below: 'a' | 'b';
  above: 'a' | 'b';
}

export interface CrossoverResult {
  crossovers: Crossover[];
  /** The shared x range compared; undefined when the curves do not overlap in at least two distinct x values. */
  range?: [number, number];
  /** Without a crossover: the curve ahead over the whole shared range ('tie' when they coincide). */
  leader?: 'a' | 'b' | 'tie';
}

/** Linear interpolation of a curve (ascending x, x > 0) at x, on log x. */
export function interpolateLogX(curve: readonly XY[], x: number): number {
  if (curve.length === 0) throw new Error('interpolateLogX: empty curve');
  if (x <= curve[0].x) return curve[0].y;
  for (let i = 1; i < curve.length; i++) {
    if (x <= curve[i].x) {
      const p = curve[i - 1];
      const q = curve[i];
      const t = (Math.log(x) - Math.log(p.x)) / (Math.log(q.x) - Math.log(p.x));
      return p.y + t * (q.y - p.y);
    }
  }
  return curve[curve.length - 1].y;
}

/** Crossovers of curves a and b (each ascending in x, x > 0, one y per x). */
export function findCrossovers(a: readonly XY[], b: readonly XY[]): CrossoverResult {
  const usable = (c: readonly XY[]) => c.filter((p) => p.x > 0 && Number.isFinite(p.x) && Number.isFinite(p.y));
  const ca = usable(a);
  const cb = usable(b);
  if (ca.length === 0 || cb.length === 0) return { crossovers: [] };
  const lo = Math.max(ca[0].x, cb[0].x);
  const hi = Math.min(ca[ca.length - 1].x, cb[cb.length - 1].x);
  if (!(lo < hi)) return { crossovers: [] };

  // Between consecutive knots of either curve both are linear in log x, so their difference is too: a sign change
  // between two knots is one crossing, found exactly.
  const xs = [...new Set([...ca, ...cb].map((p) => p.x).filter((x) => x >= lo && x <= hi))].sort((p, q) => p - q);
  const diffs = xs.map((x) => ({ x, d: interpolateLogX(ca, x) - interpolateLogX(cb, x) }));
  const EPS = 1e-12;
  const sign = (d: number) => (Math.abs(d) <= EPS ? 0 : d > 0 ? 1 : -1);

  const crossovers: Crossover[] = [];
  let prev: { x: number; d: number; s: number } | undefined; // last knot with a nonzero difference
  let tiedFrom: number | undefined; // first knot of a run of ties since `prev`
  let tiedTo: number | undefined;
  for (const { x, d } of diffs) {
    const s = sign(d);
    if (s === 0) {
      tiedFrom ??= x;
      tiedTo = x;
      continue;
    }
    if (prev && s !== prev.s) {
      let at: number;
      if (tiedFrom !== undefined && tiedTo !== undefined) {
        at = Math.sqrt(tiedFrom * tiedTo); // they meet over [tiedFrom, tiedTo]: its middle on log x
      } else {
        const t = prev.d / (prev.d - d);
        at = Math.exp(Math.log(prev.x) + t * (Math.log(x) - Math.log(prev.x)));
      }
      crossovers.push({ x: at, below: prev.s > 0 ? 'a' : 'b', above: s > 0 ? 'a' : 'b' });
    }
    prev = { x, d, s };
    tiedFrom = tiedTo = undefined;
  }
  const result: CrossoverResult = { crossovers, range: [lo, hi] };
  if (crossovers.length === 0) result.leader = prev === undefined ? 'tie' : prev.s > 0 ? 'a' : 'b';
  return result;
}

/** "~1,200" style: two significant digits, with thousands separators; the crossing is an estimate. */
export function roundLabels(x: number): string {
  if (!(x > 0)) return '0';
  const digits = Math.floor(Math.log10(x));
  const step = 10 ** Math.max(0, digits - 1);
  return Math.round(Math.round(x / step) * step).toLocaleString('en-US');
}

/**
 * One sentence per crossing, e.g. "prompt beats finetune below ~48 labels; finetune is ahead above". With no
 * crossing, who is ahead over the shared range; undefined without a shared range.
 */
export function describeCrossovers(result: CrossoverResult, nameA: string, nameB: string): string | undefined {
  if (!result.range) return undefined;
  const name = (w: 'a' | 'b') => (w === 'a' ? nameA : nameB);
  const [lo, hi] = result.range.map(roundLabels);
  if (result.crossovers.length === 0) {
    if (result.leader === 'tie') return `${nameA} and ${nameB} are level from ${lo} to ${hi} labels`;
    const l = result.leader as 'a' | 'b';
    return `${name(l)} is ahead of ${name(l === 'a' ? 'b' : 'a')} at every train size from ${lo} to ${hi} labels`;
  }
  return result.crossovers
    .map((c, i) => {
      const first = i === 0 ? `${name(c.below)} beats ${name(c.above)} below ~${roundLabels(c.x)} labels` : `they cross again at ~${roundLabels(c.x)} labels`;
      return `${first}; ${name(c.above)} is ahead above`;
    })
    .join('; ');
}
