// View 2: accuracy against a chosen compute cost and against the data cost (labeled examples), side by side, each
// with its Pareto frontier — so a method that "cuts compute and data at once" sits at the left of both.
import { COST_AXES } from '../../../src/engine/analysis/cost-axes';
import { ChartHost } from '../charts/echarts';
import { costChart, symbolLegend } from '../charts/cost-chart';
import { h, replace } from '../../common/dom';
import { button, checkbox, dropdown } from '../ui/toolkit';
import type { Actions, ViewContext } from './context';
import { field, section } from './section';
import type { UiState } from '../state';

export class CostView {
  readonly el: HTMLElement;
  readonly compute = new ChartHost('cost-compute', 'Accuracy against compute cost');
  readonly data = new ChartHost('cost-data', 'Accuracy against labeled examples (data cost)');
  private readonly toolbar: HTMLElement;
  private readonly legend = h('p', { class: 'muted', attrs: { 'data-testid': 'symbol-legend' } });
  private ctx: ViewContext | undefined;

  constructor(private readonly actions: Actions) {
    const s = section('view-cost', '2 · Accuracy vs compute and data cost', { wide: true });
    this.el = s.el;
    this.toolbar = s.toolbar;
    s.body.append(h('div', { class: 'charts-2' }, [h('div', {}, this.compute.elements()), h('div', {}, this.data.elements())]), this.legend);
    for (const chart of [this.compute, this.data]) {
      chart.onClick((key, additive) => this.ctx && this.actions.select(this.ctx.refsOfKey(key), additive));
    }
  }

  update(ctx: ViewContext): void {
    this.ctx = ctx;
    const axes = COST_AXES.filter((a) => a.kind === 'compute').map((a) => ({ value: a.id, label: a.label }));
    replace(this.toolbar, [
      field('Compute cost', dropdown('Compute cost axis', axes, ctx.state.costAxis, (v) => this.actions.update((s) => { s.costAxis = v as UiState['costAxis']; }), 'cost-axis')),
      checkbox('Pareto on compute and labels together', ctx.state.joint, (v) => this.actions.update((s) => { s.joint = v; }), 'joint-pareto'),
      button('SVG', () => this.actions.exportChart(this.compute, 'accuracy-vs-compute', 'svg'), { secondary: true, title: 'Export the compute chart as SVG', testId: 'export-cost-svg' }),
      button('PNG', () => this.actions.exportChart(this.compute, 'accuracy-vs-compute', 'png'), { secondary: true, title: 'Export the compute chart as PNG', testId: 'export-cost-png' }),
      button('Data SVG', () => this.actions.exportChart(this.data, 'accuracy-vs-labels-cost', 'svg'), { secondary: true, title: 'Export the data-cost chart as SVG' }),
      button('Data PNG', () => this.actions.exportChart(this.data, 'accuracy-vs-labels-cost', 'png'), { secondary: true, title: 'Export the data-cost chart as PNG' }),
    ]);
    const input = { model: ctx.model, joint: ctx.state.joint, metricLabel: ctx.metricLabel, selectedKeys: ctx.selectedKeys };
    this.compute.render((theme, width) => costChart({ ...input, dimension: 'compute' }, theme, width));
    this.data.render((theme, width) => costChart({ ...input, dimension: 'data' }, theme, width));
    this.legend.textContent = ctx.model.models.length > 0 ? `Symbols: ${symbolLegend(ctx.model.models)}. Dimmed: dominated (another configuration is at least as accurate for no more cost).` : '';
  }
}
