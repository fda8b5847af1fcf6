// View 6, significance: the paired tests behind the claims. For the compared pair of methods (chosen in view 1)
// and one model, every train size both were run at: the accuracies, McNemar's exact test per seed pair and pooled,
// the bootstrap interval of the difference, and the verdict. Two selected configurations (in the table or a
// chart) are compared too, whatever they are.
import type { AggregateRow } from '../../../src/engine/analysis/group';
import { shortModelName } from '../../../src/engine/analysis/series';
import type { Comparison } from '../../../src/engine/analysis/significance';
import { describeComparison, type ComparisonResult } from '../comparisons';
import { formatStat, trainSizeLabel } from '../charts/format';
import { h, replace } from '../../common/dom';
import { dropdown } from '../ui/toolkit';
import type { Actions, ViewContext } from './context';
import { field, section } from './section';

const p = (x: number) => (x < 0.001 ? x.toExponential(1) : x.toFixed(3));
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

export class SignificanceView {
  readonly el: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly body: HTMLElement;
  /** Sentences for the HTML report. */
  sentences: string[] = [];

  constructor(private readonly actions: Actions) {
    const s = section('view-significance', '6 · Significance (paired tests on the test predictions)');
    this.el = s.el;
    this.toolbar = s.toolbar;
    this.body = s.body;
  }

  update(ctx: ViewContext): void {
    const { model } = ctx;
    const pair = model.pair;
    const models = model.models;
    const chosen = ctx.state.sigModel && models.includes(ctx.state.sigModel) ? ctx.state.sigModel : models[0];
    replace(this.toolbar, [
      models.length > 1
        ? field('Model', dropdown('Model for the significance table', models.map((m) => ({ value: m, label: shortModelName(m) })), chosen ?? '',
          (v) => this.actions.update((s) => { s.sigModel = v; }), 'sig-model'))
        : null,
    ]);
    const label = (id: string) => model.series.find((s) => s.id === id)?.label ?? id;
    const parts: Array<HTMLElement | null> = [this.selectedComparison(ctx)];
    this.sentences = [];
    if (!pair || !chosen) {
      parts.push(h('p', { class: 'muted', text: 'Two methods with finished runs are needed for a comparison.' }));
    } else {
      const rowsOf = (id: string) => model.rows.filter((r) => r.model === chosen && model.seriesOfKey.get(r.key)?.id === id);
      const aRows = rowsOf(pair[0]);
      const bRows = rowsOf(pair[1]);
      const sizes = aRows.filter((a) => bRows.some((b) => b.trainSize === a.trainSize));
      parts.push(h('h3', { text: `${label(pair[0])} vs ${label(pair[1])} on ${shortModelName(chosen)}` }));
      if (sizes.length === 0) {
        parts.push(h('p', { class: 'muted', text: 'The two methods share no train size on this model.' }));
      } else {
        const body = sizes.map((a) => {
          const b = bRows.find((r) => r.trainSize === a.trainSize)!;
          const result = ctx.comparisons.get(ctx.side(a.key), ctx.side(b.key), ctx.runByRef);
          if (result?.comparison) {
            this.sentences.push(`${shortModelName(chosen)}, ${trainSizeLabel(a.trainSize)} labels: ${label(pair[0])} vs ${label(pair[1])}: ${describeComparison(result.comparison)} — ${result.comparison.supported ? 'supported' : 'not supported'}.`);
          }
          return this.row(ctx, a, b, result);
        });
        parts.push(h('div', { class: 'table-wrap' }, [
          h('table', { attrs: { 'data-testid': 'significance-table' } }, [
            h('thead', {}, [h('tr', {}, ['Train n', label(pair[0]), label(pair[1]), 'Δ (bootstrap 95% CI)', 'McNemar p per seed (A-only / B-only)', 'pooled p', 'verdict']
              .map((t, i) => h('th', { text: t, class: i > 0 && i < 6 ? 'num' : '', attrs: { scope: 'col' } })))]),
            h('tbody', {}, body),
          ]),
        ]));
        parts.push(h('p', { class: 'muted', text: 'A difference is supported when the pooled McNemar test gives p < 0.05 and the bootstrap interval (resampling test examples, all seeds together) excludes 0. Not supported: the gap may be test-set noise.' }));
      }
    }
    replace(this.body, parts);
  }

  private row(ctx: ViewContext, a: AggregateRow, b: AggregateRow, result: ComparisonResult | undefined): HTMLElement {
    const stat = (r: AggregateRow) => formatStat(ctx.state.metric === 'accuracy' ? r.accuracy : r.macroF1);
    const cells: Array<[string, string]> = [[trainSizeLabel(a.trainSize), ''], [stat(a), 'num'], [stat(b), 'num']];
    let verdict: HTMLElement;
    if (!result) {
      cells.push(['…', 'num'], ['…', 'num'], ['…', 'num']);
      verdict = h('td', { class: 'muted', text: 'testing…' });
    } else if (result.problem) {
      cells.push(['–', 'num'], ['–', 'num'], ['–', 'num']);
      verdict = h('td', { class: 'muted', text: result.problem });
    } else {
      const c = result.comparison!;
      cells.push(
        [`${signed(c.bootstrap.diff)} [${signed(c.bootstrap.low)}, ${signed(c.bootstrap.high)}]`, 'num'],
        [c.seeds.map((s) => `${p(s.p)} (${s.onlyA}/${s.onlyB})`).join('; '), 'num'],
        [p(c.pooled.p), 'num'],
      );
      verdict = verdictCell(c);
    }
    return h('tr', { attrs: { 'data-size': String(a.trainSize) } }, [...cells.map(([t, cls]) => h('td', { class: cls, text: t })), verdict]);
  }

  /** The comparison of exactly two selected configurations, when that is what is selected. */
  private selectedComparison(ctx: ViewContext): HTMLElement | null {
    const keys = [...ctx.selectedKeys].filter((k) => ctx.model.rowByKey.has(k));
    if (keys.length !== 2) return h('p', { class: 'muted', text: 'Select two configurations (in the table or a chart) to compare them directly.' });
    const [a, b] = keys.map((k) => ctx.model.rowByKey.get(k)!);
    const name = (r: AggregateRow) => `${ctx.model.seriesOfKey.get(r.key)?.label} · ${shortModelName(r.model)} · ${trainSizeLabel(r.trainSize)}`;
    const result = ctx.comparisons.get(ctx.side(a.key), ctx.side(b.key), ctx.runByRef);
    const text = !result ? 'testing…' : result.problem ? `no paired test: ${result.problem}` : describeComparison(result.comparison!);
    return h('div', { class: 'card', attrs: { 'data-testid': 'selected-comparison' } }, [
      h('h3', { text: 'Selected configurations' }),
      h('p', { text: `A: ${name(a)} — ${formatStat(a.accuracy)}` }),
      h('p', { text: `B: ${name(b)} — ${formatStat(b.accuracy)}` }),
      h('p', {}, [result?.comparison ? verdictSpan(result.comparison) : null, ` ${text}`]),
    ]);
  }
}

function verdictSpan(c: Comparison): HTMLElement {
  return h('span', { class: c.supported ? 'verdict-ok' : 'verdict-ns', text: c.supported ? 'supported' : 'not supported' });
}

function verdictCell(c: Comparison): HTMLElement {
  return h('td', { attrs: { 'data-verdict': c.supported ? 'supported' : 'not-supported' } }, [verdictSpan(c)]);
}
