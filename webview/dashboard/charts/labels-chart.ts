// View 1, accuracy against labeled examples: one panel per model (smallest first), one line per method series
// with a ±std band over seeds, log x. The chosen pair's crossovers are marked with a vertical line and the
// estimate ("~59"); sizes where the pair's difference is not supported by the paired test get an "n.s." mark
// between the two points; zero-shot prompting is a dashed level. Pure option building: no DOM until hover.
import type { DashboardModel } from '../../../src/engine/analysis/dashboard';
import { roundLabels } from '../../../src/engine/analysis/crossover';
import { shortModelName } from '../../../src/engine/analysis/series';
import { legendHeight, type ChartOption, type ChartSpec } from './echarts';
import { formatStat, shortNumber } from './format';
import { seriesColor, type ChartTheme } from './theme';
import { tooltipBox } from './tooltip';

export interface NotSupportedMark {
  model: string;
  x: number;
  y: number;
  text: string;
}

export interface LabelsChartInput {
  model: DashboardModel;
  metricLabel: string;
  selectedKeys: ReadonlySet<string>;
  notSupported: readonly NotSupportedMark[];
}

const PANEL_HEIGHT = 220;
const PANEL_MIN_WIDTH = 300;

export function labelsChart(input: LabelsChartInput, theme: ChartTheme, width: number): ChartSpec {
  const { model, metricLabel, selectedKeys } = input;
  const models = model.models.filter((m) => model.curves.some((c) => c.model === m && (c.points.length > 0 || c.zeroShot)));
  const columns = Math.max(1, Math.min(models.length, Math.floor(width / PANEL_MIN_WIDTH)));
  const rows = Math.max(1, Math.ceil(models.length / columns));
  const legendNames = [...new Set(model.curves.filter((c) => models.includes(c.model)).map((c) => c.series.label))];
  const nsCount = input.notSupported.filter((n) => models.includes(n.model)).length;
  if (nsCount > 0) legendNames.push('difference not supported');
  const top = legendHeight(legendNames, width);
  const rowHeight = PANEL_HEIGHT + 56;
  const height = top + rows * rowHeight + 10;
  const colWidth = width / columns;
  const text = { color: theme.foreground, fontFamily: theme.fontFamily };
  const lineWidth = theme.highContrast ? 3 : 2;

  const allY = model.curves.flatMap((c) => [...c.points.flatMap((p) => [p.mean - (p.std ?? 0), p.mean + (p.std ?? 0)]), ...(c.zeroShot ? [c.zeroShot.mean] : [])]);
  const yMin = allY.length ? Math.max(0, Math.floor((Math.min(...allY) - 0.02) * 10) / 10) : 0;
  const yMax = allY.length ? Math.min(1, Math.ceil((Math.max(...allY) + 0.02) * 10) / 10) : 1;

  const grids: NonNullable<ChartOption['grid']> = [];
  const titles: NonNullable<ChartOption['title']> = [];
  const xAxes: NonNullable<ChartOption['xAxis']> = [];
  const yAxes: NonNullable<ChartOption['yAxis']> = [];
  const series: NonNullable<ChartOption['series']> = [];
  let points = 0;
  let selected = 0;
  let crossoverCount = 0;

  models.forEach((m, i) => {
    const col = i % columns;
    const row = Math.floor(i / columns);
    const left = col * colWidth + 52;
    const gridTop = top + row * rowHeight + 26;
    grids.push({ left, top: gridTop, width: Math.max(60, colWidth - 72), height: PANEL_HEIGHT });
    titles.push({ text: shortModelName(m), left: left, top: gridTop - 24, textStyle: { ...text, fontSize: 12, fontWeight: 'bold' } });
    xAxes.push({
      type: 'log', logBase: 10, gridIndex: i, name: 'labeled examples', nameLocation: 'middle', nameGap: 24,
      nameTextStyle: { color: theme.muted }, axisLabel: { color: theme.muted, formatter: (v: number) => shortNumber(v) },
      axisLine: { lineStyle: { color: theme.grid } }, splitLine: { show: false },
    });
    yAxes.push({
      type: 'value', gridIndex: i, min: yMin, max: yMax, name: i % columns === 0 ? metricLabel : '', nameLocation: 'middle', nameGap: 36, nameRotate: 90,
      nameTextStyle: { color: theme.muted },
      axisLabel: { color: theme.muted }, splitLine: { lineStyle: { color: theme.grid, opacity: 0.5 } },
    });

    for (const curve of model.curves.filter((c) => c.model === m)) {
      const color = seriesColor(theme, curve.series.order);
      const name = curve.series.label;
      const data = curve.points.map((p) => {
        points++;
        const isSel = selectedKeys.has(p.key);
        if (isSel) selected++;
        return {
          value: [p.x, p.mean], key: p.key, std: p.std, n: p.n,
          ...(isSel ? { symbolSize: 13, itemStyle: { borderColor: theme.focus, borderWidth: 3 } } : {}),
        };
      });
      const isPairA = model.pair?.[0] === curve.series.id;
      const crossing = isPairA ? model.crossovers.find((c) => c.model === m)?.result.crossovers ?? [] : [];
      crossoverCount += crossing.length;
      const markData: Array<Record<string, unknown>> = crossing.map((c) => ({
        xAxis: c.x,
        label: { formatter: `~${roundLabels(c.x)}`, color: theme.foreground, position: 'end' },
        lineStyle: { color: theme.foreground, type: 'dashed', width: 1.5 },
      }));
      if (curve.zeroShot) {
        markData.push({ yAxis: curve.zeroShot.mean, label: { formatter: 'zero-shot', color, position: 'insideStartTop' }, lineStyle: { color, type: 'dotted', width: 1.5 } });
      }
      series.push({
        type: 'line', name, xAxisIndex: i, yAxisIndex: i, data, color, symbol: 'circle', symbolSize: 7, z: 3,
        lineStyle: { width: lineWidth }, emphasis: { focus: 'series' },
        ...(markData.length > 0 ? { markLine: { silent: true, symbol: 'none', data: markData as never } } : {}),
        tooltip: {
          formatter: (p: unknown) => {
            const d = (p as { data: { value: [number, number]; std: number | null; n: number } }).data;
            return tooltipBox(`${name} · ${shortModelName(m)}`, [
              ['labeled examples', Math.round(d.value[0]).toLocaleString('en-US')],
              [metricLabel, formatStat({ mean: d.value[1], std: d.std })],
              ['seeds', String(d.n)],
            ]);
          },
        },
      });
      // The ±std band: an invisible lower line and the band's height stacked on it.
      if (curve.points.some((p) => p.std !== null)) {
        const stack = `band:${i}:${curve.series.id}`;
        const base = { type: 'line' as const, name, xAxisIndex: i, yAxisIndex: i, stack, symbol: 'none', silent: true, z: 1, color, lineStyle: { opacity: 0 }, tooltip: { show: false } };
        series.push({ ...base, data: curve.points.map((p) => [p.x, p.mean - (p.std ?? 0)]) });
        series.push({ ...base, data: curve.points.map((p) => [p.x, 2 * (p.std ?? 0)]), areaStyle: { color, opacity: theme.highContrast ? 0.3 : 0.18 } });
      }
    }
    const marks = input.notSupported.filter((n) => n.model === m);
    if (marks.length > 0) {
      series.push({
        type: 'scatter', name: 'difference not supported', xAxisIndex: i, yAxisIndex: i, symbol: 'diamond', symbolSize: 11, z: 4,
        color: theme.muted, itemStyle: { color: 'transparent', borderColor: theme.foreground, borderWidth: 1.5 },
        label: { show: true, formatter: 'n.s.', position: 'right', color: theme.foreground, fontSize: 11 },
        data: marks.map((n) => ({ value: [n.x, n.y], text: n.text })),
        tooltip: { formatter: (p: unknown) => tooltipBox('Not supported by the paired test', [['', (p as { data: { text: string } }).data.text]]) },
      });
    }
  });

  const legend = legendNames;
  const option: ChartOption = {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: text,
    aria: { enabled: true },
    title: titles,
    legend: { data: legend, top: 4, left: 'center', textStyle: { color: theme.foreground }, inactiveColor: theme.muted },
    tooltip: { trigger: 'item', confine: true, backgroundColor: theme.background, borderColor: theme.grid, textStyle: { color: theme.foreground } },
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
  };
  const curveCount = model.curves.filter((c) => models.includes(c.model) && c.points.length > 0).length;
  const crossSentences = model.crossovers.filter((c) => c.result.crossovers.length > 0).map((c) => `${shortModelName(c.model)}: crossing at ~${c.result.crossovers.map((x) => roundLabels(x.x)).join(', ~')} labels`);
  const summary = models.length === 0
    ? 'No finished runs with labeled examples yet.'
    : `${metricLabel} against labeled examples (log scale), ${models.length} model panel(s), ${curveCount} curve(s) of ${legend.filter((l) => l !== 'difference not supported').join(', ')}; ${points} point(s), mean ± std over seeds.` +
      (crossSentences.length > 0 ? ` ${crossSentences.join('; ')}.` : '') + (nsCount > 0 ? ` ${nsCount} difference(s) not supported by the paired test.` : '');
  return {
    option, height, summary,
    data: {
      panels: String(models.length), series: legend.filter((l) => l !== 'difference not supported').join('|'), curves: String(curveCount),
      points: String(points), selected: String(selected), crossovers: String(crossoverCount), notSupported: String(nsCount),
    },
  };
}
