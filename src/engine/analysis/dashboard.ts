// Everything the dashboard draws, computed from the runs in one pass and kept out of the UI code: the groups over
// seeds (the same rows as `adapt-lab report`), the accuracy-vs-labels curves with the crossovers of one chosen pair
// of methods, the accuracy-vs-cost points with their Pareto frontiers, and the counts shown in the header. The
// webview recomputes it when runs arrive or a choice changes; bench/dashboard.ts times it on 5,000 runs.
import type { RunStatus } from '../runs/record';
import { reportJson, type ReportNotice } from '../runs/report';
import { costOf, type CostAxis } from './cost-axes';
import { findCrossovers, type CrossoverResult } from './crossover';
import { accuracyCurves, curveValue, labeledOf, type Curve, type Metric } from './curves';
import type { AggregateRow, GroupableRun } from './group';
import { paretoFrontier, type ParetoResult } from './pareto';
import { seriesNamer, type SeriesInfo } from './series';

export interface DashboardOptions {
  /** The experiment shown; default: the one with the most recently updated run. */
  experiment?: string;
  metric: Metric;
  /** The compute cost on the x axis of the accuracy-vs-cost chart. */
  costAxis: CostAxis;
  /** The two series whose crossovers (and significance) are shown; default prompt vs finetune when present. */
  pair?: [string, string];
}

export interface ExperimentSummary {
  name: string;
  runs: number;
  lastUpdated: string;
}

export interface CostPoint {
  key: string;
  series: SeriesInfo;
  model: string;
  trainSize: number | 'all';
  accuracy: number;
  std: number | null;
  n: number;
  /** The chosen compute cost and the data cost (labeled examples); null when not measured. */
  compute: number | null;
  data: number | null;
}

export interface PanelCrossover {
  model: string;
  result: CrossoverResult;
}

export interface DashboardModel {
  experiments: ExperimentSummary[];
  experiment: string | undefined;
  /** The runs of the experiment shown (every status). */
  runs: GroupableRun[];
  statusCounts: Partial<Record<RunStatus, number>>;
  notices: ReportNotice[];
  /** Groups over seeds, as `adapt-lab report --json` gives them. */
  rows: AggregateRow[];
  rowByKey: Map<string, AggregateRow>;
  /** The series present, in canonical order; and the series of each row key. */
  series: SeriesInfo[];
  seriesOfKey: Map<string, SeriesInfo>;
  /** Models, smallest first (by parameters where measured). */
  models: string[];
  curves: Curve[];
  pair: [string, string] | undefined;
  crossovers: PanelCrossover[];
  cost: {
    axis: CostAxis;
    points: CostPoint[];
    /** Frontier against the compute cost, against the data cost, and against both at once. */
    compute: ParetoResult;
    data: ParetoResult;
    joint: ParetoResult;
  };
}

export function prepareDashboard(allRuns: readonly GroupableRun[], opts: DashboardOptions): DashboardModel {
  const byExperiment = new Map<string, { runs: number; lastUpdated: string }>();
  for (const r of allRuns) {
    const e = byExperiment.get(r.experiment) ?? { runs: 0, lastUpdated: '' };
    e.runs++;
    if (r.updatedAt > e.lastUpdated) e.lastUpdated = r.updatedAt;
    byExperiment.set(r.experiment, e);
  }
  const experiments = [...byExperiment].map(([name, e]) => ({ name, ...e })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const latest = experiments.reduce<ExperimentSummary | undefined>((m, e) => (!m || e.lastUpdated > m.lastUpdated ? e : m), undefined);
  const experiment = opts.experiment !== undefined && byExperiment.has(opts.experiment) ? opts.experiment : latest?.name;
  const runs = allRuns.filter((r) => r.experiment === experiment);

  const report = reportJson(runs);
  const rows = report.rows;
  const statusCounts: Partial<Record<RunStatus, number>> = {};
  for (const r of runs) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;

  const nameOf = seriesNamer(rows);
  const seriesOfKey = new Map<string, SeriesInfo>();
  const seriesById = new Map<string, SeriesInfo>();
  for (const row of rows) {
    const s = nameOf(row);
    seriesOfKey.set(row.key, s);
    seriesById.set(s.id, s);
  }
  const series = [...seriesById.values()].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  const models = modelsBySize(rows);
  const curves = accuracyCurves(rows, opts.metric);

  const ids = series.map((s) => s.id);
  const pair = opts.pair && ids.includes(opts.pair[0]) && ids.includes(opts.pair[1]) && opts.pair[0] !== opts.pair[1]
    ? opts.pair
    : ids.includes('prompt') && ids.includes('finetune') ? (['prompt', 'finetune'] as [string, string])
      : ids.length >= 2 ? ([ids[0], ids[1]] as [string, string]) : undefined;
  const crossovers: PanelCrossover[] = [];
  if (pair) {
    for (const model of models) {
      const curve = (id: string) => curves.find((c) => c.model === model && c.series.id === id)?.points.map((p) => ({ x: p.x, y: p.mean })) ?? [];
      crossovers.push({ model, result: findCrossovers(curve(pair[0]), curve(pair[1])) });
    }
  }

  const points: CostPoint[] = rows.map((row) => {
    const stat = curveValue(row, opts.metric);
    return {
      key: row.key, series: seriesOfKey.get(row.key)!, model: row.model, trainSize: row.trainSize,
      accuracy: stat.mean, std: stat.std, n: row.n, compute: costOf(row, opts.costAxis), data: labeledOf(row),
    };
  });
  const front = (costs: (p: CostPoint) => (number | null)[]) => paretoFrontier(points.map((p) => ({ key: p.key, accuracy: p.accuracy, costs: costs(p) })));

  return {
    experiments, experiment, runs, statusCounts, notices: report.notices, rows,
    rowByKey: new Map(rows.map((r) => [r.key, r])), series, seriesOfKey, models, curves, pair, crossovers,
    cost: {
      axis: opts.costAxis,
      points,
      compute: front((p) => [p.compute]),
      data: front((p) => [p.data]),
      joint: front((p) => [p.compute, p.data]),
    },
  };
}

/** Models ordered smallest first: by the smallest parameter count measured for them, then by name. */
export function modelsBySize(rows: readonly AggregateRow[]): string[] {
  const size = new Map<string, number>();
  for (const r of rows) {
    const p = r.params ?? Number.POSITIVE_INFINITY;
    size.set(r.model, Math.min(size.get(r.model) ?? Number.POSITIVE_INFINITY, p));
  }
  return [...size.keys()].sort((a, b) => size.get(a)! - size.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
}

