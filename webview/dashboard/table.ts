// The runs table's content, apart from its DOM: filtering (method series, model, train size, seed, status),
// grouping over seeds (mean ± std, through the same aggregateRuns as `adapt-lab report`) or one row per run,
// sorting, and the CSV export of exactly what is shown. Pure: no DOM, unit-tested.
import { aggregateRuns, groupKey, type AggregateRow } from '../../src/engine/analysis/group';
import { seriesNamer, shortModelName, type SeriesInfo } from '../../src/engine/analysis/series';
import { formatEngineering, formatStat } from '../../src/engine/runs/report';
import type { RunSummary } from './protocol';
import type { TableFilters, UiState } from './state';

export interface TableRow {
  /** Group key (grouped) or run ref (per run). */
  id: string;
  /** The runs behind the row (refs): what selecting it selects. */
  refs: string[];
  cells: string[];
  /** For sorting, one per column: numbers sort numerically, null last. */
  sort: Array<number | string | null>;
  /** CSV values, one per CSV column. */
  csv: Array<string | number | null>;
  status?: string;
  notice: boolean;
}

export interface Table {
  columns: Array<{ id: string; label: string; numeric: boolean }>;
  csvColumns: string[];
  rows: TableRow[];
  /** Runs matching the filters, and all runs of the experiment. */
  matched: number;
  total: number;
}

export interface FilterChoices {
  series: Array<{ value: string; label: string }>;
  models: string[];
  sizes: string[];
  seeds: string[];
  statuses: string[];
}

const sizeText = (s: number | 'all') => (s === 'all' ? 'all' : String(s));
const num = (v: number | null | undefined) => (typeof v === 'number' ? v : null);
const eng = (v: number | null | undefined) => formatEngineering(num(v));
const ms = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(v < 10 ? 2 : 1) : '–');
const secs = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(v < 10 ? 1 : 0) : '–');

/** Methods sort in the study's order (finetune, prompt, distill←finetune, distill←prompt), not alphabetically. */
const seriesSort = (s: SeriesInfo) => `${s.order} ${s.label}`;

/** The values each filter can take, from the experiment's runs. */
export function filterChoices(runs: readonly RunSummary[]): FilterChoices {
  const nameOf = seriesNamer(runs);
  const series = new Map<string, { label: string; order: number }>();
  for (const r of runs) {
    const s = nameOf(r);
    series.set(s.id, { label: s.label, order: s.order });
  }
  const uniq = <T,>(xs: T[], cmp: (a: T, b: T) => number) => [...new Set(xs)].sort(cmp);
  const sizeOrder = (s: string) => (s === 'all' ? Number.POSITIVE_INFINITY : Number(s));
  return {
    series: [...series].sort((a, b) => a[1].order - b[1].order || (a[0] < b[0] ? -1 : 1)).map(([value, s]) => ({ value, label: s.label })),
    models: uniq(runs.map((r) => r.model), (a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    sizes: uniq(runs.map((r) => sizeText(r.trainSize)), (a, b) => sizeOrder(a) - sizeOrder(b)),
    seeds: uniq(runs.map((r) => String(r.seed)), (a, b) => Number(a) - Number(b)),
    statuses: uniq(runs.map((r) => r.status), (a, b) => (a < b ? -1 : 1)),
  };
}

export function filterRuns(runs: readonly RunSummary[], f: TableFilters): RunSummary[] {
  const nameOf = seriesNamer(runs);
  return runs.filter((r) =>
    (f.series === '' || nameOf(r).id === f.series) &&
    (f.model === '' || r.model === f.model) &&
    (f.size === '' || sizeText(r.trainSize) === f.size) &&
    (f.seed === '' || String(r.seed) === f.seed) &&
    (f.status === '' || r.status === f.status));
}

export function buildTable(runs: readonly RunSummary[], table: UiState['table']): Table {
  const matched = filterRuns(runs, table.filters);
  const nameOf = seriesNamer(runs);
  let out: Table;
  if (table.mode === 'groups') {
    const refsOf = new Map<string, string>();
    for (const r of matched) refsOf.set(`${groupKey(r)}\u0000${r.id}`, r.ref);
    const rows = aggregateRuns(matched);
    out = {
      columns: GROUP_COLUMNS,
      csvColumns: GROUP_CSV,
      rows: rows.map((g) => groupRow(g, nameOf(g), g.runIds.map((id) => refsOf.get(`${g.key}\u0000${id}`)!).filter(Boolean))),
      matched: matched.length,
      total: runs.length,
    };
  } else {
    out = { columns: RUN_COLUMNS, csvColumns: RUN_CSV, rows: matched.map((r) => runRow(r, nameOf(r))), matched: matched.length, total: runs.length };
  }
  const col = out.columns.findIndex((c) => c.id === table.sort.column);
  if (col >= 0) {
    const dir = table.sort.dir === 'asc' ? 1 : -1;
    out.rows = out.rows
      .map((r, i) => ({ r, i }))
      .sort((a, b) => compareValues(a.r.sort[col], b.r.sort[col], dir) || a.i - b.i)
      .map((x) => x.r);
  }
  return out;
}

/** Nulls last in either direction; numbers numerically; text by code point. */
function compareValues(a: number | string | null, b: number | string | null, dir: number): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return (a - b) * dir;
  return (String(a) < String(b) ? -1 : 1) * dir;
}

const GROUP_COLUMNS: Table['columns'] = [
  { id: 'method', label: 'Method', numeric: false },
  { id: 'model', label: 'Model', numeric: false },
  { id: 'size', label: 'Train n', numeric: true },
  { id: 'labeled', label: 'Labeled', numeric: true },
  { id: 'seeds', label: 'Seeds', numeric: true },
  { id: 'accuracy', label: 'Accuracy', numeric: true },
  { id: 'macroF1', label: 'Macro-F1', numeric: true },
  { id: 'inferFlops', label: 'Infer FLOPs/ex', numeric: true },
  { id: 'latency', label: 'p50 ms', numeric: true },
  { id: 'params', label: 'Params', numeric: true },
  { id: 'trainFlops', label: 'Train FLOPs', numeric: true },
  { id: 'trainSeconds', label: 'Train s', numeric: true },
];
const GROUP_CSV = ['experiment', 'method', 'series', 'teacher', 'model', 'train_size', 'labeled', 'seeds', 'n', 'accuracy_mean', 'accuracy_std',
  'macro_f1_mean', 'macro_f1_std', 'infer_flops_per_example', 'latency_ms_p50', 'params', 'train_flops', 'train_seconds', 'notices'];

function groupRow(g: AggregateRow, info: SeriesInfo, refs: string[]): TableRow {
  const series = info.label;
  const sizeSort = g.trainSize === 'all' ? Number.POSITIVE_INFINITY : g.trainSize;
  return {
    id: g.key,
    refs,
    notice: g.notices.length > 0,
    cells: [series, shortModelName(g.model), g.trainSize === 0 ? '0 (zero-shot)' : sizeText(g.trainSize), g.labeled === null ? '–' : String(Math.round(g.labeled)),
      String(g.n), formatStat(g.accuracy), formatStat(g.macroF1), eng(g.inferFlopsPerExample), ms(g.latencyMsP50), eng(g.params), eng(g.trainFlops), secs(g.trainSeconds)],
    sort: [seriesSort(info), g.model, sizeSort, g.labeled, g.n, g.accuracy.mean, g.macroF1.mean, g.inferFlopsPerExample, g.latencyMsP50, g.params, g.trainFlops, g.trainSeconds],
    csv: [g.experiment, g.method, series, g.teacher ? (g.teacher.method !== undefined ? `${g.teacher.method}:${g.teacher.model ?? ''}` : `run:${g.teacher.runId}`) : '',
      g.model, sizeText(g.trainSize), g.labeled, g.seeds.join(' '), g.n, g.accuracy.mean, g.accuracy.std, g.macroF1.mean, g.macroF1.std,
      g.inferFlopsPerExample, g.latencyMsP50, g.params, g.trainFlops, g.trainSeconds, g.notices.join(' | ')],
  };
}

const RUN_COLUMNS: Table['columns'] = [
  { id: 'status', label: 'Status', numeric: false },
  { id: 'method', label: 'Method', numeric: false },
  { id: 'model', label: 'Model', numeric: false },
  { id: 'size', label: 'Train n', numeric: true },
  { id: 'seed', label: 'Seed', numeric: true },
  { id: 'accuracy', label: 'Accuracy', numeric: true },
  { id: 'macroF1', label: 'Macro-F1', numeric: true },
  { id: 'inferFlops', label: 'Infer FLOPs/ex', numeric: true },
  { id: 'latency', label: 'p50 ms', numeric: true },
  { id: 'params', label: 'Params', numeric: true },
  { id: 'trainFlops', label: 'Train FLOPs', numeric: true },
  { id: 'trainSeconds', label: 'Train s', numeric: true },
  { id: 'id', label: 'Run', numeric: false },
];
const RUN_CSV = ['experiment', 'run_id', 'status', 'method', 'series', 'model', 'train_size', 'labeled', 'seed', 'accuracy', 'macro_f1',
  'infer_flops_per_example', 'latency_ms_p50', 'params', 'train_flops', 'train_seconds', 'notice', 'error'];

function runRow(r: RunSummary, info: SeriesInfo): TableRow {
  const series = info.label;
  const c = r.cost;
  const m = r.metrics;
  return {
    id: r.ref,
    refs: [r.ref],
    status: r.status,
    notice: r.notice !== undefined,
    cells: [r.status, series, shortModelName(r.model), r.trainSize === 0 ? '0 (zero-shot)' : sizeText(r.trainSize), String(r.seed),
      m ? m.accuracy.toFixed(3) : '–', m ? m.macroF1.toFixed(3) : '–', eng(c?.inferFlopsPerExample), ms(c?.latencyMsP50), eng(c?.params), eng(c?.trainFlops), secs(c?.trainSeconds), r.id],
    sort: [r.status, seriesSort(info), r.model, r.trainSize === 'all' ? Number.POSITIVE_INFINITY : r.trainSize, r.seed, m?.accuracy ?? null, m?.macroF1 ?? null,
      num(c?.inferFlopsPerExample), num(c?.latencyMsP50), num(c?.params), num(c?.trainFlops), num(c?.trainSeconds), r.id],
    csv: [r.experiment, r.id, r.status, r.method, series, r.model, sizeText(r.trainSize), r.data?.labeled ?? null, r.seed, m?.accuracy ?? null, m?.macroF1 ?? null,
      num(c?.inferFlopsPerExample), num(c?.latencyMsP50), num(c?.params), num(c?.trainFlops), num(c?.trainSeconds), r.notice ?? '', r.error ?? ''],
  };
}

/**
 * RFC 4180 CSV. Text that a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a leading
 * apostrophe: model names and notices come from files anyone can write.
 */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const cell = (v: string | number | null): string => {
    if (v === null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
