// Run detail: the training log of one or two runs — loss per step (left axis) and dev/test accuracy (right axis).
// Two runs are told apart by line style (solid: first selected, dashed: second).
import type { RunDetail } from '../protocol';
import type { ChartOption, ChartSpec } from './echarts';
import { type ChartTheme } from './theme';

export function learningChart(details: readonly RunDetail[], theme: ChartTheme): ChartSpec {
  const series: NonNullable<ChartOption['series']> = [];
  let points = 0;
  details.forEach((d, i) => {
    const tag = details.length > 1 ? ` (${i === 0 ? 'A' : 'B'})` : '';
    const dash = i === 0 ? ('solid' as const) : ('dashed' as const);
    const loss = d.log.flatMap((e) => ('loss' in e ? [[e.step, e.loss]] : []));
    const dev = d.log.flatMap((e) => ('split' in e && e.split === 'dev' ? [[e.step, e.accuracy]] : []));
    const test = d.log.flatMap((e) => ('split' in e && e.split === 'test' ? [[e.step, e.accuracy]] : []));
    points += loss.length + dev.length + test.length;
    series.push({ type: 'line', name: `loss${tag}`, data: loss, yAxisIndex: 0, symbol: 'none', color: theme.palette[0], lineStyle: { type: dash, width: 1.5 } });
    if (dev.length) series.push({ type: 'line', name: `dev accuracy${tag}`, data: dev, yAxisIndex: 1, symbolSize: 5, color: theme.palette[1], lineStyle: { type: dash } });
    if (test.length) series.push({ type: 'scatter', name: `test accuracy${tag}`, data: test, yAxisIndex: 1, symbol: i === 0 ? 'diamond' : 'triangle', symbolSize: 10, color: theme.palette[2] });
  });
  const option: ChartOption = {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.foreground, fontFamily: theme.fontFamily },
    aria: { enabled: true },
    legend: { top: 2, textStyle: { color: theme.foreground }, inactiveColor: theme.muted },
    tooltip: { trigger: 'axis', confine: true, backgroundColor: theme.background, borderColor: theme.grid, textStyle: { color: theme.foreground } },
    grid: { left: 50, right: 50, top: 44, bottom: 36 },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 22, nameTextStyle: { color: theme.muted }, axisLabel: { color: theme.muted }, splitLine: { show: false } },
    yAxis: [
      { type: 'value', name: 'loss', nameTextStyle: { color: theme.muted }, axisLabel: { color: theme.muted }, splitLine: { lineStyle: { color: theme.grid, opacity: 0.5 } } },
      { type: 'value', name: 'accuracy', min: 0, max: 1, nameTextStyle: { color: theme.muted }, axisLabel: { color: theme.muted }, splitLine: { show: false } },
    ],
    series,
  };
  const summary = points === 0 ? 'No training log (a zero-shot run trains nothing).' : `Training log: ${points} logged value(s) of loss and accuracy over steps.`;
  return { option, height: 260, summary, data: { points: String(points), runs: String(details.length) } };
}
