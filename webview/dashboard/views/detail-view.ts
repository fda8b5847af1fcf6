// View 5, run detail: for the first one or two selected runs, what they were (configuration, training options),
// what they cost, how training went (the log), how they erred (confusion matrix, per-class F1), and — for two
// runs — the test examples they predict differently, with their text, for review.
import { shortModelName } from '../../../src/engine/analysis/series';
import { ChartHost } from '../charts/echarts';
import { formatCost } from '../charts/format';
import { learningChart } from '../charts/learning-chart';
import type { Disagreements, RunDetail } from '../protocol';
import { h, replace } from '../../common/dom';
import { button } from '../ui/toolkit';
import type { Actions, ViewContext } from './context';
import { kv, section } from './section';

export class DetailView {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  readonly chart = new ChartHost('learning', 'Training log of the selected runs');
  private details: RunDetail[] = [];
  private disagreements: Disagreements | undefined;
  private problem: string | undefined;
  private refs: string[] = [];
  /** The details last drawn: a re-render with the same answer keeps the DOM (and the reader's place in it). */
  private drawn: RunDetail[] | undefined;

  constructor(private readonly actions: Actions) {
    const s = section('view-detail', '5 · Run detail', { wide: true });
    this.el = s.el;
    this.body = s.body;
  }

  /** The runs the view should show: the first two selected. */
  wanted(ctx: ViewContext): string[] {
    return ctx.state.selection.filter((ref) => ctx.runByRef.has(ref)).slice(0, 2);
  }

  /** The extension's answer to the last request. */
  receive(refs: string[], details: RunDetail[], disagreements: Disagreements | undefined, problem: string | undefined): void {
    this.refs = refs;
    this.details = details;
    this.disagreements = disagreements;
    this.problem = problem;
  }

  update(ctx: ViewContext, loading: boolean): void {
    const wanted = this.wanted(ctx);
    if (wanted.length === 0) {
      this.drawn = undefined;
      replace(this.body, [h('p', { class: 'muted', text: 'Select a run or a configuration (in the table or a chart) to see its details; select two to review the test examples where they disagree.' })]);
      return;
    }
    const current = wanted.join('\n') === this.refs.join('\n');
    if (!current) {
      this.drawn = undefined;
      replace(this.body, [h('p', { class: 'muted', text: loading ? 'Loading…' : 'Waiting for the run details…' })]);
      return;
    }
    if (this.drawn === this.details) return;
    this.drawn = this.details;
    const cols = this.details.map((d, i) => this.column(d, this.details.length > 1 ? (i === 0 ? 'A' : 'B') : undefined));
    const learning = h('div', {}, this.chart.elements());
    replace(this.body, [
      this.problem ? h('p', { class: 'problem', text: this.problem }) : null,
      h('div', { class: 'detail-cols' }, cols),
      h('h3', { text: 'Training log' }),
      learning,
      this.disagreements ? this.review(this.disagreements) : null,
    ]);
    const details = this.details;
    this.chart.render((theme) => learningChart(details, theme));
  }

  private column(d: RunDetail, tag: string | undefined): HTMLElement {
    const s = d.summary;
    const c = s.cost;
    const parts: Array<HTMLElement | null> = [
      h('h3', { text: `${tag ? `${tag}: ` : ''}${s.method}${s.teacher?.method ? `←${s.teacher.method}` : ''} · ${shortModelName(s.model)} · ${s.trainSize} labels · seed ${s.seed}` }),
      h('p', { class: `status-${s.status}`, text: `${s.status}${s.metrics ? ` — accuracy ${s.metrics.accuracy.toFixed(3)}, macro-F1 ${s.metrics.macroF1.toFixed(3)}` : ''}` }),
      s.notice ? h('p', { class: 'notice', text: `NOTICE: ${s.notice}` }) : null,
      s.error ? h('p', { class: 'problem', text: s.error }) : null,
      button('Open run.json', () => this.actions.openRun(s.ref), { secondary: true, title: `Open ${s.id}/run.json` }),
      h('h3', { text: 'Costs' }),
      c ? kv([
        ['parameters', formatCost('params', c.params)],
        ['non-embedding parameters', formatCost('params', c.nonEmbeddingParams)],
        ['training FLOPs', formatCost('trainFlops', c.trainFlops)],
        ['training time', formatCost('trainSeconds', c.trainSeconds)],
        ['inference FLOPs / example', formatCost('inferFlopsPerExample', c.inferFlopsPerExample)],
        ['latency p50 / p95', `${formatCost('latencyMsP50', c.latencyMsP50)} / ${formatCost('latencyMsP50', c.latencyMsP95)}`],
        ['throughput', c.throughputPerS === null ? '–' : `${c.throughputPerS.toFixed(1)} examples/s`],
        ['peak memory', c.peakMemoryMB === null ? '–' : `${Math.round(c.peakMemoryMB)} MB`],
        ['backend', c.backend],
        ['data', s.data ? `${s.data.labeled} labeled, ${s.data.unlabeled} unlabeled` : '–'],
      ]) : h('p', { class: 'muted', text: 'Not measured yet.' }),
      d.confusion ? h('h3', { text: 'Confusion matrix (rows: gold, columns: predicted)' }) : null,
      d.confusion ? confusion(d.confusion) : null,
      d.perClass ? h('h3', { text: 'Per class' }) : null,
      d.perClass ? perClass(d.perClass) : null,
      h('h3', { text: 'Training options' }),
      kv(d.training),
      h('details', {}, [h('summary', { text: 'Run facts' }), kv(d.facts)]),
      d.logProblem ? h('p', { class: 'problem', text: `Training log: ${d.logProblem}` }) : null,
    ];
    return h('div', { attrs: { 'data-testid': 'run-detail', 'data-ref': s.ref } }, parts);
  }

  private review(d: Disagreements): HTMLElement {
    if (d.problem) return h('p', { class: 'problem', text: `Per-example review: ${d.problem}` });
    return h('div', { attrs: { 'data-testid': 'disagreements', 'data-total': String(d.total) } }, [
      h('h3', { text: `Where A and B disagree: ${d.total} of ${d.examples} test examples${d.total > d.shown.length ? ` (first ${d.shown.length} shown)` : ''}` }),
      d.textProblem ? h('p', { class: 'muted', text: d.textProblem }) : null,
      d.total === 0 ? h('p', { class: 'muted', text: 'They predict every test example the same way.' }) : h('div', { class: 'table-wrap' }, [
        h('table', {}, [
          h('thead', {}, [h('tr', {}, ['#', 'gold', 'A predicts', 'B predicts', 'text'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })))]),
          h('tbody', {}, d.shown.map((e) => h('tr', {}, [
            h('td', { class: 'num', text: String(e.index) }),
            h('td', { text: e.label }),
            h('td', { class: e.a === e.label ? 'verdict-ok' : '', text: e.a }),
            h('td', { class: e.b === e.label ? 'verdict-ok' : '', text: e.b }),
            h('td', { class: 'text-cell', text: e.text ?? '' }),
          ]))),
        ]),
      ]),
    ]);
  }
}

function confusion(c: NonNullable<RunDetail['confusion']>): HTMLElement {
  const max = Math.max(1, ...c.matrix.flat());
  return h('div', { class: 'table-wrap' }, [
    h('table', { class: 'confusion', attrs: { 'data-testid': 'confusion' } }, [
      h('thead', {}, [h('tr', {}, [h('th', { text: 'gold \\ predicted' }), ...c.labels.map((l) => h('th', { text: l, attrs: { scope: 'col' } }))])]),
      h('tbody', {}, c.matrix.map((row, i) => h('tr', {}, [
        h('th', { text: c.labels[i], attrs: { scope: 'row' } }),
        // Shade by count with a class per tenth: no inline styles under the CSP.
        ...row.map((n) => h('td', { class: `count heat-${Math.min(9, Math.floor((n / max) * 9.999))}`, text: String(n) })),
      ]))),
    ]),
  ]);
}

function perClass(pc: NonNullable<RunDetail['perClass']>): HTMLElement {
  return h('div', { class: 'table-wrap' }, [
    h('table', { attrs: { 'data-testid': 'per-class' } }, [
      h('thead', {}, [h('tr', {}, ['label', 'precision', 'recall', 'F1', 'support'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })))]),
      h('tbody', {}, Object.entries(pc).map(([label, m]) => h('tr', {}, [
        h('td', { text: label }),
        h('td', { class: 'num', text: m.precision.toFixed(3) }),
        h('td', { class: 'num', text: m.recall.toFixed(3) }),
        h('td', { class: 'num', text: m.f1.toFixed(3) }),
        h('td', { class: 'num', text: String(m.support) }),
      ]))),
    ]),
  ]);
}
