// View 1: accuracy against labeled examples, with the crossover of a chosen pair of methods ("prompting beats
// fine-tuning below ~N labels") and the sizes where the paired test does not support the pair's difference.
import { describeCrossovers } from '../../../src/engine/analysis/crossover';
import { shortModelName } from '../../../src/engine/analysis/series';
import { ChartHost } from '../charts/echarts';
import { labelsChart, type NotSupportedMark } from '../charts/labels-chart';
import { describeComparison } from '../comparisons';
import { h, replace } from '../../common/dom';
import { button, dropdown } from '../ui/toolkit';
import type { Actions, ViewContext } from './context';
import { field, section } from './section';

export class LabelsView {
  readonly el: HTMLElement;
  readonly chart = new ChartHost('labels', 'Accuracy against labeled examples, one panel per model');
  private readonly toolbar: HTMLElement;
  private readonly findings = h('ul', { class: 'findings', attrs: { 'data-testid': 'crossover-findings' } });
  /** Sentences for the HTML report. */
  sentences: string[] = [];

  constructor(private readonly actions: Actions) {
    const s = section('view-labels', '1 · Accuracy vs labeled examples', { wide: true });
    this.el = s.el;
    this.toolbar = s.toolbar;
    s.body.append(...this.chart.elements(), this.findings);
    this.chart.onClick((key, additive) => this.onPoint(key, additive));
  }

  private ctx: ViewContext | undefined;

  private onPoint(key: string, additive: boolean): void {
    if (this.ctx) this.actions.select(this.ctx.refsOfKey(key), additive);
  }

  update(ctx: ViewContext): void {
    this.ctx = ctx;
    const { model } = ctx;
    const choices = model.series.map((s) => ({ value: s.id, label: s.label }));
    const pair = model.pair;
    replace(this.toolbar, [
      pair ? field('Compare', dropdown('First method of the compared pair', choices, pair[0], (v) => this.actions.update((s) => { s.pair = [v, pair[1]]; }), 'pair-a')) : null,
      pair ? field('with', dropdown('Second method of the compared pair', choices, pair[1], (v) => this.actions.update((s) => { s.pair = [pair[0], v]; }), 'pair-b')) : null,
      button('SVG', () => this.actions.exportChart(this.chart, 'accuracy-vs-labels', 'svg'), { secondary: true, title: 'Export this chart as SVG', testId: 'export-labels-svg' }),
      button('PNG', () => this.actions.exportChart(this.chart, 'accuracy-vs-labels', 'png'), { secondary: true, title: 'Export this chart as PNG', testId: 'export-labels-png' }),
    ]);

    const marks = this.notSupported(ctx);
    this.chart.render((theme, width) => labelsChart({ model, metricLabel: ctx.metricLabel, selectedKeys: ctx.selectedKeys, notSupported: marks }, theme, width));

    const label = (id: string) => model.series.find((s) => s.id === id)?.label ?? id;
    this.sentences = pair
      ? model.crossovers.flatMap((c) => {
        const text = describeCrossovers(c.result, label(pair[0]), label(pair[1]));
        return text ? [`${shortModelName(c.model)}: ${text}.`] : [];
      })
      : [];
    replace(this.findings, this.sentences.length > 0
      ? this.sentences.map((t) => h('li', { text: t }))
      : [h('li', { class: 'muted', text: pair ? 'The compared methods share no range of train sizes yet.' : 'Two methods with finished runs are needed for a comparison.' })]);
  }

  /** "n.s." marks: sizes where both methods of the pair have results and the paired test does not support the gap. */
  private notSupported(ctx: ViewContext): NotSupportedMark[] {
    const { model } = ctx;
    const pair = model.pair;
    if (!pair) return [];
    const marks: NotSupportedMark[] = [];
    for (const m of model.models) {
      const a = model.curves.find((c) => c.model === m && c.series.id === pair[0]);
      const b = model.curves.find((c) => c.model === m && c.series.id === pair[1]);
      if (!a || !b) continue;
      for (const pa of a.points) {
        const pb = b.points.find((p) => p.x === pa.x);
        if (!pb) continue;
        const result = ctx.comparisons.get(ctx.side(pa.key), ctx.side(pb.key), ctx.runByRef);
        if (result?.comparison && !result.comparison.supported) {
          marks.push({ model: m, x: pa.x, y: (pa.mean + pb.mean) / 2, text: `${a.series.label} vs ${b.series.label} at ${pa.x} labels: ${describeComparison(result.comparison)}` });
        }
      }
    }
    return marks;
  }
}
