// Numbers as the dashboard shows them: the report's engineering notation for costs, three decimals for accuracy,
// and axis labels that stay short.
import { formatEngineering, formatStat } from '../../../src/engine/runs/report';
import type { CostAxis } from '../../../src/engine/analysis/cost-axes';

export { formatEngineering, formatStat };

export function formatCost(axis: CostAxis, v: number | null): string {
  if (v === null) return '–';
  switch (axis) {
    case 'latencyMsP50':
      return `${v.toFixed(v < 10 ? 2 : 1)} ms`;
    case 'trainSeconds':
      return `${v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US')} s`;
    case 'labeled':
      return Math.round(v).toLocaleString('en-US');
    default:
      return formatEngineering(v);
  }
}

/** Axis tick labels: 1, 10, 100, 1k, 10k, 1M, 1G … */
export function shortNumber(v: number): string {
  const abs = Math.abs(v);
  const units: Array<[number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [n, s] of units) if (abs >= n) return `${Number((v / n).toPrecision(3))}${s}`;
  return String(Number(v.toPrecision(3)));
}

export function trainSizeLabel(size: number | 'all'): string {
  return size === 'all' ? 'all' : size === 0 ? '0 (zero-shot)' : String(size);
}
