// What the dashboard remembers across hide/show and window reloads (vscode.getState/setState): the user's choices,
// not the data (the extension re-sends the runs). Restored state is checked like a message — it may come from an
// older version of the dashboard — and anything unrecognised falls back to its default.
import { isCostAxis, type CostAxis } from '../../src/engine/analysis/cost-axes';
import type { Metric } from '../../src/engine/analysis/curves';

export interface TableFilters {
  series: string;
  model: string;
  size: string;
  seed: string;
  status: string;
}

export interface UiState {
  v: 1;
  experiment?: string;
  metric: Metric;
  /** The compute cost on the accuracy-vs-cost chart's x axis. */
  costAxis: Exclude<CostAxis, 'labeled'>;
  /** Pareto dominance over compute and labeled examples together. */
  joint: boolean;
  /** The two series compared (crossovers, significance). */
  pair?: [string, string];
  /** The model whose sizes the significance view lists. */
  sigModel?: string;
  /** Budget limits as typed (parsed when used), so a half-typed number survives a reload. */
  budget: { maxLatencyMs: string; maxInferFlops: string; maxLabeled: string; maxTrainSeconds: string };
  table: { mode: 'groups' | 'runs'; sort: { column: string; dir: 'asc' | 'desc' }; filters: TableFilters; showAll: boolean };
  /** Selected runs (refs), in the order selected: the first two are the run detail's A and B. */
  selection: string[];
}

export function defaultState(): UiState {
  return {
    v: 1,
    metric: 'accuracy',
    costAxis: 'inferFlopsPerExample',
    joint: false,
    budget: { maxLatencyMs: '', maxInferFlops: '', maxLabeled: '', maxTrainSeconds: '' },
    table: { mode: 'groups', sort: { column: 'method', dir: 'asc' }, filters: { series: '', model: '', size: '', seed: '', status: '' }, showAll: false },
    selection: [],
  };
}

const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;

export function restoreState(raw: unknown): UiState {
  const s = defaultState();
  if (raw === null || typeof raw !== 'object') return s;
  const o = raw as Record<string, unknown>;
  if (o.v !== 1) return s;
  if (isStr(o.experiment, 1000)) s.experiment = o.experiment;
  if (o.metric === 'accuracy' || o.metric === 'macroF1') s.metric = o.metric;
  if (isCostAxis(o.costAxis) && o.costAxis !== 'labeled') s.costAxis = o.costAxis;
  if (typeof o.joint === 'boolean') s.joint = o.joint;
  if (Array.isArray(o.pair) && o.pair.length === 2 && o.pair.every((x) => isStr(x, 1000))) s.pair = [o.pair[0], o.pair[1]];
  if (isStr(o.sigModel)) s.sigModel = o.sigModel;
  const b = o.budget as Record<string, unknown> | undefined;
  if (b && typeof b === 'object') for (const k of Object.keys(s.budget) as Array<keyof UiState['budget']>) if (isStr(b[k], 40)) s.budget[k] = b[k] as string;
  const t = o.table as Record<string, unknown> | undefined;
  if (t && typeof t === 'object') {
    if (t.mode === 'groups' || t.mode === 'runs') s.table.mode = t.mode;
    const sort = t.sort as Record<string, unknown> | undefined;
    if (sort && isStr(sort.column, 100) && (sort.dir === 'asc' || sort.dir === 'desc')) s.table.sort = { column: sort.column, dir: sort.dir };
    const f = t.filters as Record<string, unknown> | undefined;
    if (f && typeof f === 'object') for (const k of Object.keys(s.table.filters) as Array<keyof TableFilters>) if (isStr(f[k])) s.table.filters[k] = f[k] as string;
    if (typeof t.showAll === 'boolean') s.table.showAll = t.showAll;
  }
  if (Array.isArray(o.selection)) s.selection = o.selection.filter((x): x is string => isStr(x)).slice(0, 10_000);
  return s;
}

/**
 * A budget limit as typed: '' is no limit; numbers may use e-notation, thousands separators and k/M/G/T suffixes
 * ("1.5G" FLOPs, "2k" labels). Undefined for no limit, NaN for text that is not a number ≥ 0.
 */
export function parseLimit(text: string): number | undefined {
  const t = text.trim().replace(/[,_\s]/g, '');
  if (t === '') return undefined;
  const m = /^(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?([kKmMgGtT]?)$/.exec(t);
  if (!m) return Number.NaN;
  const scale: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * scale[m[3].toLowerCase()];
}
