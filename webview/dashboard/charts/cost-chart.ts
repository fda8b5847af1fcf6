// View 2, accuracy against cost: every configuration (method series × model × train size, mean over seeds) as a
// point, x on a log scale — a compute cost, or the data cost (labeled examples). The Pareto frontier is drawn as
// a step line and dominated points are dimmed; with "compute and labels together" a point is dimmed only when
// another is at least as accurate and no more expensive in compute AND labels. Colour is the method series,
// shape the model. Costs of zero (zero-shot labels, no training) sit on the axis's left edge, labelled "0".
import type { CostPoint, DashboardModel } from '../../../src/engine/analysis/dashboard';
import { costAxisInfo, type CostAxis } from '../../../src/engine/analysis/cost-axes';
import { shortModelName } from '../../../src/engine/analysis/series';
import { legendHeight, type ChartOption, type ChartSpec } from './echarts';
import { formatCost, formatStat, shortNumber, trainSizeLabel } from './format';
import { MODEL_SYMBOLS, seriesColor, type ChartTheme } from './theme';
import { tooltipBox } from './tooltip';

export interface CostChartInput {
  model: DashboardModel;
  /** 'compute': the model's chosen compute axis; 'data': labeled examples. */
  dimension: 'compute' | 'data';
  joint: boolean;
  metricLabel: string;
  selectedKeys: ReadonlySet<string>;
}

/** Where values ≤ 0 are drawn on a log axis: a power of ten below the smallest positive value. */
export function logFloor(values: readonly number[]): number {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return 1;
  return 10 ** (Math.floor(Math.log10(Math.min(...positive))) - 1);
}

export function costChart(input: CostChartInput, theme: ChartTheme, width: number): ChartSpec {
  const { model, dimension, joint, metricLabel, selectedKeys } = input;
  const axis: CostAxis = dimension === 'data' ? 'labeled' : model.cost.axis;
  const info = costAxisInfo(axis);
  const costOf = (p: CostPoint) => (dimension === 'data' ? p.data : p.compute);
  const measured = model.cost.points.filter((p) => costOf(p) !== null);
  const floor = logFloor(measured.map((p) => costOf(p)!));
  const pareto = joint ? model.cost.joint : model.cost[dimension];
  const frontier2d = model.cost[dimension];
  const symbolOf = new Map(model.models.map((m, i) => [m, MODEL_SYMBOLS[i % MODEL_SYMBOLS.length]]));
  const x = (p: CostPoint) => Math.max(costOf(p)!, floor);
  const text = { color: theme.foreground, fontFamily: theme.fontFamily };

  let selected = 0;
  let dominated = 0;
  const series: NonNullable<ChartOption['series']> = model.series.map((s) => ({
    type: 'scatter' as const,
    name: s.label,
    color: seriesColor(theme, s.order),
    z: 3,
    emphasis: { focus: 'self' as const },
    data: measured.filter((p) => p.series.id === s.id).map((p) => {
      const isDominated = pareto.dominatedBy.has(p.key);
      const isSel = selectedKeys.has(p.key);
      if (isDominated) dominated++;
      if (isSel) selected++;
      return {
        value: [x(p), p.accuracy], key: p.key, point: p,
        symbol: symbolOf.get(p.model) ?? 'circle', symbolSize: isSel ? 15 : 10,
        itemStyle: { opacity: isDominated && !isSel ? (theme.highContrast ? 0.45 : 0.25) : 1, ...(isSel ? { borderColor: theme.focus, borderWidth: 3 } : {}) },
      };
    }),
    tooltip: {
      formatter: (params: unknown) => {
        const p = (params as { data: { point: CostPoint } }).data.point;
        const by = pareto.dominatedBy.get(p.key);
        return tooltipBox(`${p.series.label} · ${shortModelName(p.model)}`, [
          ['train size', trainSizeLabel(p.trainSize)],
          [metricLabel, formatStat({ mean: p.accuracy, std: p.std })],
          [info.label, formatCost(axis, costOf(p))],
          ['seeds', String(p.n)],
          ['', by ? 'dominated: another configuration is as accurate for less' : 'on the Pareto frontier'],
        ]);
      },
    },
  }));
  const frontierPoints = frontier2d.frontier.map((k) => measured.find((p) => p.key === k)).filter((p): p is CostPoint => p !== undefined);
  series.push({
    type: 'line', name: 'Pareto frontier', step: 'end', symbol: 'none', silent: true, z: 2,
    color: theme.muted, lineStyle: { type: 'dashed', width: theme.highContrast ? 2.5 : 1.5, color: theme.muted },
    data: frontierPoints.map((p) => [x(p), p.accuracy]),
  });

  const ys = measured.map((p) => p.accuracy);
  const option: ChartOption = {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: text,
    aria: { enabled: true },
    legend: { top: 4, left: 'center', textStyle: { color: theme.foreground }, inactiveColor: theme.muted },
    tooltip: { trigger: 'item', confine: true, backgroundColor: theme.background, borderColor: theme.grid, textStyle: { color: theme.foreground } },
    grid: { left: 56, right: 24, top: legendHeight([...model.series.map((x) => x.label), 'Pareto frontier'], width) + 14, bottom: 48 },
    xAxis: {
      type: 'log', logBase: 10, min: floor, name: `${info.label}${info.unit ? ` (${info.unit})` : ''}`, nameLocation: 'middle', nameGap: 28,
      nameTextStyle: { color: theme.muted }, axisLine: { lineStyle: { color: theme.grid } }, splitLine: { show: false },
      axisLabel: { color: theme.muted, formatter: (v: number) => (v <= floor * 1.0001 && measured.some((p) => costOf(p)! <= 0) ? '0' : shortNumber(v)) },
    },
    yAxis: {
      type: 'value', name: metricLabel, nameLocation: 'middle', nameGap: 36, nameRotate: 90, nameTextStyle: { color: theme.muted }, axisLabel: { color: theme.muted },
      min: ys.length ? Math.max(0, Math.floor((Math.min(...ys) - 0.02) * 10) / 10) : 0,
      max: ys.length ? Math.min(1, Math.ceil((Math.max(...ys) + 0.02) * 10) / 10) : 1,
      splitLine: { lineStyle: { color: theme.grid, opacity: 0.5 } },
    },
    series,
  };
  const unmeasured = model.cost.points.length - measured.length;
  const summary = measured.length === 0
    ? `No configuration has measured ${info.label.toLowerCase()} yet.`
    : `${metricLabel} against ${info.label.toLowerCase()} (log scale): ${measured.length} configuration(s), ${frontierPoints.length} on the Pareto frontier` +
      `${joint ? ' (dimmed: dominated in compute and labels together)' : ''}, ${dominated} dominated.` +
      (unmeasured > 0 ? ` ${unmeasured} not shown: cost not measured.` : '');
  return {
    option, height: 340, summary,
    data: {
      axis, points: String(measured.length), frontier: String(frontierPoints.length), dominated: String(dominated), selected: String(selected),
      series: model.series.filter((s) => measured.some((p) => p.series.id === s.id)).map((s) => s.label).join('|'), unmeasured: String(unmeasured),
    },
  };
}

/** "● small-model  ▲ large-model": the symbol legend, as text next to the chart. */
export function symbolLegend(models: readonly string[]): string {
  const glyph: Record<string, string> = { circle: '●', triangle: '▲', rect: '■', diamond: '◆', roundRect: '▢', pin: '⬤' };
  return models.map((m, i) => `${glyph[MODEL_SYMBOLS[i % MODEL_SYMBOLS.length]]} ${shortModelName(m)}`).join('   ');
}
