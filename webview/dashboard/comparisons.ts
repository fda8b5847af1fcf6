// Paired significance results, asked of the extension (which reads the test predictions) and cached here. A
// result is keyed by the two configurations AND the exact runs behind them (ref and last update), so a re-run
// seed or a newly finished one asks again instead of showing a stale verdict.
import type { Comparison } from '../../src/engine/analysis/significance';
import type { RunSummary } from './protocol';

export interface Side {
  key: string;
  refs: string[];
}

export type ComparisonResult = { comparison?: Comparison; problem?: string };

export class Comparisons {
  private readonly results = new Map<string, ComparisonResult>();
  private readonly pending = new Set<string>();
  private wanted = new Map<string, { a: string[]; b: string[] }>();

  /** The signature of comparing a with b as they are now. */
  signature(a: Side, b: Side, runByRef: ReadonlyMap<string, RunSummary>): string {
    const version = (refs: string[]) => refs.map((r) => `${r}@${runByRef.get(r)?.updatedAt ?? '?'}`).join(',');
    return hash(`${a.key}\u0001${b.key}\u0001${version(a.refs)}\u0001${version(b.refs)}`);
  }

  /** The result when known; otherwise notes that it is wanted (sent by `takeRequests`). */
  get(a: Side, b: Side, runByRef: ReadonlyMap<string, RunSummary>): ComparisonResult | undefined {
    const sig = this.signature(a, b, runByRef);
    const known = this.results.get(sig);
    if (known) return known;
    if (!this.pending.has(sig)) this.wanted.set(sig, { a: a.refs, b: b.refs });
    return undefined;
  }

  /** The comparisons wanted since the last call, marked pending. */
  takeRequests(): Array<{ key: string; a: string[]; b: string[] }> {
    const out = [...this.wanted].map(([key, v]) => ({ key, ...v }));
    for (const { key } of out) this.pending.add(key);
    this.wanted = new Map();
    return out;
  }

  receive(results: ReadonlyArray<{ key: string } & ComparisonResult>): void {
    for (const r of results) {
      this.pending.delete(r.key);
      this.results.set(r.key, r.comparison ? { comparison: r.comparison } : { problem: r.problem ?? 'no result' });
    }
  }

  isPending(a: Side, b: Side, runByRef: ReadonlyMap<string, RunSummary>): boolean {
    return this.pending.has(this.signature(a, b, runByRef));
  }
}

/** "Δ = +0.031, McNemar p = 0.012 (pooled over 3 seed pairs), 95% CI [+0.008, +0.054]". */
export function describeComparison(c: Comparison): string {
  const sign = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
  const p = (x: number) => (x < 0.001 ? x.toExponential(1) : x.toFixed(3));
  return `Δ = ${sign(c.bootstrap.diff)}, McNemar p = ${p(c.pooled.p)} (pooled over ${c.seeds.length} seed pair${c.seeds.length === 1 ? '' : 's'}), ` +
    `${Math.round(c.bootstrap.confidence * 100)}% CI [${sign(c.bootstrap.low)}, ${sign(c.bootstrap.high)}]`;
}

/** cyrb53: a 53-bit string hash, to keep request keys short (a collision among a few thousand keys: ~1e-10). */
function hash(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
