// The top of the dashboard: which experiment (when the workspace has several), which metric, what the runs are
// doing (live while a grid runs), the notices every result must travel with, unreadable runs, the HTML report.
import { button, dropdown } from '../ui/toolkit';
import { h, replace } from '../../common/dom';
import type { Actions, ViewContext } from './context';
import { field } from './section';

export const SECTIONS: ReadonlyArray<[string, string]> = [
  ['view-labels', 'Accuracy vs labels'],
  ['view-cost', 'Accuracy vs cost'],
  ['view-budget', 'Budget advisor'],
  ['view-significance', 'Significance'],
  ['view-table', 'Runs table'],
  ['view-detail', 'Run detail'],
];

export class HeaderView {
  readonly el = h('header', { class: 'header-wrap' });

  constructor(private readonly actions: Actions) {}

  update(ctx: ViewContext, meta: { folders: string[]; problems: string[]; updatedAt: Date | undefined; messageProblem?: string }): void {
    const { model, state } = ctx;
    const counts = model.statusCounts;
    const running = (counts.running ?? 0) + (counts.queued ?? 0);
    const statusText = Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ');
    const controls = h('div', { class: 'controls' }, [
      model.experiments.length > 1
        ? field('Experiment', dropdown('Experiment', model.experiments.map((e) => ({ value: e.name, label: `${e.name} (${e.runs} runs)` })), model.experiment ?? '',
          (v) => this.actions.update((s) => { s.experiment = v; s.selection = []; }), 'experiment'))
        : null,
      field('Metric', dropdown('Metric', [{ value: 'accuracy', label: 'Accuracy' }, { value: 'macroF1', label: 'Macro-F1' }], state.metric,
        (v) => this.actions.update((s) => { s.metric = v === 'macroF1' ? 'macroF1' : 'accuracy'; }), 'metric')),
      button('Export HTML report', () => this.actions.exportReport(), { secondary: true, testId: 'export-report', title: 'Export the dashboard as one self-contained HTML file' }),
    ]);
    replace(this.el, [
      h('div', { class: 'header' }, [
        h('div', { class: 'title' }, [
          h('h1', { text: model.experiment ? `Method comparison — ${model.experiment}` : 'Method comparison' }),
          h('p', { class: 'status-line muted', attrs: { 'data-testid': 'status-line', 'aria-live': 'polite' } }, [
            running > 0 ? h('span', { class: 'live-dot', attrs: { 'aria-hidden': 'true' } }) : null,
            model.runs.length === 0 ? 'No runs yet.' : `${model.runs.length} runs: ${statusText}. ${model.rows.length} configurations (mean ± std over seeds).`,
            meta.updatedAt ? ` Updated ${meta.updatedAt.toLocaleTimeString()}${running > 0 ? ' — live' : ''}.` : '',
          ]),
        ]),
        controls,
      ]),
      h('nav', { class: 'sections', attrs: { 'aria-label': 'Dashboard sections' } }, SECTIONS.map(([id, label]) => h('a', { text: label, attrs: { href: `#${id}` } }))),
      ...model.notices.map((n) => h('p', { class: 'notice', attrs: { role: 'note', 'data-testid': 'notice' }, text: `NOTICE: ${n.text}${n.runs < n.of ? ` (${n.runs} of ${n.of} runs)` : ' (all runs)'}` })),
      meta.messageProblem ? h('p', { class: 'problem', attrs: { role: 'alert' }, text: meta.messageProblem }) : null,
      meta.problems.length > 0
        ? h('details', { class: 'problem' }, [
          h('summary', { text: `${meta.problems.length} run folder(s) could not be read and are left out` }),
          h('ul', {}, meta.problems.slice(0, 50).map((p) => h('li', { text: p }))),
        ])
        : null,
    ]);
  }
}
