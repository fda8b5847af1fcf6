// View 3, the budget advisor: limits on serving cost (latency or inference FLOPs), labels and training time; the
// best configuration within them with its accuracy ± std, the runner-up, and whether the paired test supports the
// difference between the two.
import { adviseBudget, type BudgetAdvice, type BudgetLimits } from '../../../src/engine/analysis/budget';
import { curveValue } from '../../../src/engine/analysis/curves';
import type { AggregateRow } from '../../../src/engine/analysis/group';
import { shortModelName } from '../../../src/engine/analysis/series';
import { describeComparison } from '../comparisons';
import { formatCost, formatStat, trainSizeLabel } from '../charts/format';
import { parseLimit, type UiState } from '../state';
import { h, replace } from '../../common/dom';
import { button, setInvalid, textField } from '../ui/toolkit';
import type { Actions, ViewContext } from './context';
import { kv, section } from './section';

const LIMITS: ReadonlyArray<[keyof UiState['budget'], string, string]> = [
  ['maxLatencyMs', 'Max latency p50 (ms)', 'e.g. 20'],
  ['maxInferFlops', 'Max inference FLOPs / example', 'e.g. 1e9 or 2G'],
  ['maxLabeled', 'Max labeled examples', 'e.g. 100'],
  ['maxTrainSeconds', 'Max training time (s)', 'optional'],
];

export class BudgetView {
  readonly el: HTMLElement;
  private readonly form = h('div', { class: 'toolbar', attrs: { role: 'group', 'aria-label': 'Budget limits' } });
  private readonly result = h('div', { attrs: { 'data-testid': 'budget-result', 'aria-live': 'polite' } });
  private readonly fields = new Map<keyof UiState['budget'], HTMLElement>();
  /** The advice as a sentence, for the HTML report. */
  sentence: string | undefined;

  constructor(private readonly actions: Actions) {
    const s = section('view-budget', '3 · Budget advisor');
    this.el = s.el;
    s.body.append(this.form, this.result);
  }

  update(ctx: ViewContext): void {
    // The inputs are built once: rebuilding them while typing would steal the focus.
    if (this.fields.size === 0) {
      for (const [key, label, placeholder] of LIMITS) {
        const f = textField(label, ctx.state.budget[key], (v) => this.actions.update((s) => { s.budget[key] = v; }), { placeholder, testId: `budget-${key}` });
        this.fields.set(key, f);
        this.form.append(f);
      }
    }
    const limits: BudgetLimits = {};
    const invalid: string[] = [];
    for (const [key, label] of LIMITS) {
      const v = parseLimit(ctx.state.budget[key]);
      setInvalid(this.fields.get(key)!, Number.isNaN(v));
      if (Number.isNaN(v)) invalid.push(label);
      else if (v !== undefined) limits[key] = v;
    }
    const advice = adviseBudget(ctx.model.rows, limits, ctx.state.metric);
    this.render(ctx, advice, limits, invalid);
  }

  private describe(ctx: ViewContext, r: AggregateRow): string {
    return `${ctx.model.seriesOfKey.get(r.key)?.label ?? r.method} · ${shortModelName(r.model)} · ${trainSizeLabel(r.trainSize)} labels`;
  }

  private card(ctx: ViewContext, r: AggregateRow, title: string, best: boolean): HTMLElement {
    const stat = curveValue(r, ctx.state.metric);
    return h('div', { class: `card${best ? ' best' : ''}`, attrs: { 'data-testid': best ? 'budget-best' : 'budget-runner-up', 'data-key': r.key } }, [
      h('h3', { text: title }),
      h('p', { class: 'big', text: this.describe(ctx, r) }),
      h('p', { text: `${ctx.metricLabel} ${formatStat(stat)} over ${r.n} seed(s)` }),
      kv([
        ['latency p50', formatCost('latencyMsP50', r.latencyMsP50)],
        ['inference FLOPs / example', formatCost('inferFlopsPerExample', r.inferFlopsPerExample)],
        ['labeled examples', formatCost('labeled', r.labeled)],
        ['training time', formatCost('trainSeconds', r.trainSeconds)],
        ['parameters', formatCost('params', r.params)],
      ]),
      button('Select', () => this.actions.select(ctx.refsOfKey(r.key), false), { secondary: true, title: `Select ${this.describe(ctx, r)} in every chart and the table` }),
    ]);
  }

  private render(ctx: ViewContext, advice: BudgetAdvice, limits: BudgetLimits, invalid: string[]): void {
    const parts: Array<HTMLElement | null> = [];
    if (invalid.length > 0) parts.push(h('p', { class: 'problem', attrs: { role: 'alert' }, text: `Not a number: ${invalid.join(', ')}. Use digits, e-notation (1e9) or a k/M/G suffix.` }));
    const set = Object.keys(limits).length;
    parts.push(h('p', { class: 'muted', attrs: { 'data-testid': 'budget-counts' }, text:
      `${set === 0 ? 'No limits set: the most accurate configuration overall.' : `${set} limit(s).`} ${advice.eligible} configuration(s) fit` +
      `${advice.overBudget > 0 ? `, ${advice.overBudget} over budget` : ''}${advice.unmeasured > 0 ? `, ${advice.unmeasured} without a measurement of a limited cost` : ''}.` }));
    this.sentence = undefined;
    if (!advice.best) {
      parts.push(h('p', { text: ctx.model.rows.length === 0 ? 'No finished runs yet.' : 'Nothing fits these limits. Loosen one of them.' }));
    } else {
      const cards = [this.card(ctx, advice.best, 'Best within budget', true)];
      if (advice.runnerUp) cards.push(this.card(ctx, advice.runnerUp, 'Runner-up', false));
      parts.push(h('div', { class: 'advice' }, cards));
      this.sentence = `Within ${set === 0 ? 'no limits' : 'the budget'}: ${this.describe(ctx, advice.best)} (${ctx.metricLabel} ${formatStat(curveValue(advice.best, ctx.state.metric))})` +
        (advice.runnerUp ? `, runner-up ${this.describe(ctx, advice.runnerUp)} (${formatStat(curveValue(advice.runnerUp, ctx.state.metric))})` : '') + '.';
      if (advice.runnerUp) {
        const result = ctx.comparisons.get(ctx.side(advice.best.key), ctx.side(advice.runnerUp.key), ctx.runByRef);
        let verdict: HTMLElement;
        if (!result) verdict = h('p', { class: 'muted', text: 'Testing the difference between the two on the test predictions…' });
        else if (result.problem) verdict = h('p', { class: 'muted', text: `No paired test: ${result.problem}.` });
        else {
          const c = result.comparison!;
          verdict = h('p', {}, [
            h('span', { class: c.supported ? 'verdict-ok' : 'verdict-ns', text: c.supported ? 'Difference supported' : 'Difference not supported' }),
            ` by the paired test: ${describeComparison(c)}.${advice.closeCall ? ' Within one standard deviation over seeds: a close call.' : ''}`,
          ]);
          this.sentence += c.supported ? ' The difference is supported by the paired test.' : ' The difference is not supported by the paired test.';
        }
        parts.push(verdict);
      }
    }
    replace(this.result, parts);
  }
}
