// The dashboard page: receives runs from the extension (validated), derives everything the views show through the
// analysis modules (src/engine/analysis/), renders the six views, keeps the user's choices in the webview state,
// and asks the extension for what only it can read (run details, paired tests on predictions, file saves).
import { prepareDashboard, type DashboardModel } from '../../src/engine/analysis/dashboard';
import { groupKey } from '../../src/engine/analysis/group';
import { h, replace } from '../common/dom';
import type { Host } from '../common/vscode-api';
import { Comparisons } from './comparisons';
import { checkHostMessage, type HostMessage, type ReportPayload, type RunSummary, type ViewMessage } from './protocol';
import { restoreState, type UiState } from './state';
import type { ChartHost } from './charts/echarts';
import type { Actions, ViewContext } from './views/context';
import { BudgetView } from './views/budget-view';
import { CostView } from './views/cost-view';
import { DetailView } from './views/detail-view';
import { HeaderView } from './views/header';
import { LabelsView } from './views/labels-view';
import { SignificanceView } from './views/significance-view';
import { TableView } from './views/table-view';

export class App implements Actions {
  private state: UiState;
  private runs: RunSummary[] = [];
  private runsVersion = 0;
  private folders: string[] = [];
  private problems: string[] = [];
  private updatedAt: Date | undefined;
  private messageProblem: string | undefined;
  private readonly comparisons = new Comparisons();
  private memo: { key: string; model: DashboardModel } | undefined;
  private nextRequest = 1;
  private detailRequest: { id: number; refs: string[] } | undefined;
  private readonly status = h('p', { class: 'sr-only', attrs: { 'aria-live': 'polite', 'data-testid': 'export-status' } });

  private readonly header = new HeaderView(this);
  private readonly labels = new LabelsView(this);
  private readonly cost = new CostView(this);
  private readonly budget = new BudgetView(this);
  private readonly significance = new SignificanceView(this);
  private readonly table = new TableView(this);
  private readonly detail = new DetailView(this);

  constructor(private readonly host: Host<ViewMessage>, private readonly root: HTMLElement) {
    this.state = restoreState(host.getState());
  }

  start(): void {
    replace(this.root, [
      this.header.el,
      this.status,
      h('div', { class: 'grid' }, [this.labels.el, this.cost.el, this.budget.el, this.significance.el, this.table.el, this.detail.el]),
    ]);
    this.root.removeAttribute('aria-busy');
    window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data));
    // VS Code swaps body classes (vscode-light / vscode-dark / vscode-high-contrast) on a theme change.
    new MutationObserver(() => this.redrawCharts()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.renderAll();
    this.post({ type: 'ready' });
  }

  // ---- messages ----

  private onMessage(raw: unknown): void {
    let m: HostMessage;
    try {
      m = checkHostMessage(raw);
    } catch (e) {
      this.messageProblem = `The dashboard ignored a malformed message from the extension (${(e as Error).message}).`;
      this.renderAll();
      return;
    }
    switch (m.type) {
      case 'runs':
        this.runs = m.runs;
        this.runsVersion++;
        this.folders = m.folders;
        this.problems = m.problems;
        this.updatedAt = new Date();
        if (m.focus) this.applyFocus(m.focus.experiment, m.focus.runRef);
        this.renderAll();
        return;
      case 'focus':
        this.applyFocus(m.focus.experiment, m.focus.runRef);
        this.renderAll();
        return;
      case 'detail':
        if (!this.detailRequest || m.requestId !== this.detailRequest.id) return; // an answer to an older question
        this.detail.receive(this.detailRequest.refs, m.details, m.disagreements, m.problem);
        this.detail.update(this.context(), false);
        return;
      case 'comparisons':
        this.comparisons.receive(m.results);
        this.renderAll();
        return;
      case 'exported':
        this.status.textContent = m.message;
        this.status.dataset.ok = String(m.ok);
        return;
    }
  }

  private applyFocus(experiment: string | undefined, runRef: string | undefined): void {
    const run = runRef ? this.runs.find((r) => r.ref === runRef) : undefined;
    if (run) {
      this.state.experiment = run.experiment;
      this.state.selection = [run.ref];
      requestAnimationFrame(() => this.detail.el.scrollIntoView({ block: 'start' }));
    } else if (experiment) {
      this.state.experiment = experiment;
    }
    this.host.setState(this.state);
  }

  private post(m: ViewMessage): void {
    this.host.post(m);
  }

  // ---- derived data ----

  private context(): ViewContext {
    const s = this.state;
    const key = JSON.stringify([this.runsVersion, s.experiment, s.metric, s.costAxis, s.pair]);
    if (this.memo?.key !== key) {
      this.memo = { key, model: prepareDashboard(this.runs, { experiment: s.experiment, metric: s.metric, costAxis: s.costAxis, pair: s.pair }) };
    }
    const model = this.memo.model;
    const runs = model.runs as RunSummary[];
    const runByRef = new Map(this.runs.map((r) => [r.ref, r]));
    const refOf = new Map<string, string>();
    const keyOfRef = new Map<string, string>();
    for (const r of runs) {
      const k = groupKey(r);
      keyOfRef.set(r.ref, k);
      if (!refOf.has(`${k}\u0000${r.id}`)) refOf.set(`${k}\u0000${r.id}`, r.ref);
    }
    const refsOfKey = (k: string) => (model.rowByKey.get(k)?.runIds ?? []).map((id) => refOf.get(`${k}\u0000${id}`)).filter((x): x is string => x !== undefined);
    const selectedKeys = new Set(s.selection.map((ref) => keyOfRef.get(ref)).filter((k): k is string => k !== undefined));
    return {
      state: s, model, runs, runByRef, refsOfKey, selectedKeys, comparisons: this.comparisons,
      side: (k) => ({ key: k, refs: refsOfKey(k) }),
      metricLabel: s.metric === 'accuracy' ? 'accuracy' : 'macro-F1',
      filePrefix: (model.experiment ?? 'adapt-lab').replace(/[^\w.-]+/g, '-'),
    };
  }

  // ---- rendering ----

  private renderAll(): void {
    const ctx = this.context();
    this.header.update(ctx, { folders: this.folders, problems: this.problems, updatedAt: this.updatedAt, messageProblem: this.messageProblem });
    this.labels.update(ctx);
    this.cost.update(ctx);
    this.budget.update(ctx);
    this.table.update(ctx);
    this.significance.update(ctx);
    this.afterRender(ctx);
  }

  private renderSelection(): void {
    const ctx = this.context();
    this.labels.update(ctx);
    this.cost.update(ctx);
    this.table.showSelection(ctx.state.selection);
    this.significance.update(ctx);
    this.afterRender(ctx);
  }

  /** Asks for what the views found missing: the run detail, paired tests. */
  private afterRender(ctx: ViewContext): void {
    const wanted = this.detail.wanted(ctx);
    if (wanted.length > 0 && wanted.join('\n') !== this.detailRequest?.refs.join('\n')) {
      this.detailRequest = { id: this.nextRequest++, refs: wanted };
      this.post({ type: 'detail', requestId: this.detailRequest.id, refs: wanted });
    }
    if (wanted.length === 0) this.detailRequest = undefined;
    this.detail.update(ctx, true);
    const pairs = this.comparisons.takeRequests();
    for (let i = 0; i < pairs.length; i += 200) this.post({ type: 'compare', requestId: this.nextRequest++, pairs: pairs.slice(i, i + 200) });
    this.host.setState(this.state);
  }

  private redrawCharts(): void {
    for (const c of [this.labels.chart, this.cost.compute, this.cost.data, this.detail.chart]) c.draw();
  }

  // ---- actions (called by the views) ----

  update(change: (s: UiState) => void, scope: 'all' | 'selection' = 'all'): void {
    change(this.state);
    if (scope === 'selection') this.renderSelection();
    else this.renderAll();
  }

  select(refs: readonly string[], additive: boolean): void {
    this.update((s) => {
      if (!additive) s.selection = [...refs];
      else {
        const all = refs.every((r) => s.selection.includes(r));
        s.selection = all ? s.selection.filter((r) => !refs.includes(r)) : [...s.selection, ...refs.filter((r) => !s.selection.includes(r))];
      }
    }, 'selection');
  }

  exportChart(chart: ChartHost, name: string, format: 'svg' | 'png'): void {
    try {
      const content = format === 'svg' ? chart.exportSvg() : chart.exportPng();
      this.post({ type: 'export', requestId: this.nextRequest++, format, name: `${this.context().filePrefix}-${name}.${format}`, content });
    } catch (e) {
      this.status.textContent = `Export failed: ${(e as Error).message}`;
    }
  }

  exportCsv(): void {
    this.post({ type: 'export', requestId: this.nextRequest++, format: 'csv', name: `${this.context().filePrefix}-runs.csv`, content: this.table.csv() });
  }

  exportReport(): void {
    const ctx = this.context();
    const charts: ReportPayload['charts'] = [];
    for (const [title, chart] of [['Accuracy vs labeled examples', this.labels.chart], ['Accuracy vs compute cost', this.cost.compute], ['Accuracy vs labeled examples (data cost)', this.cost.data]] as const) {
      try {
        charts.push({ title, svg: chart.exportSvg() });
      } catch {
        // A chart with nothing drawn yet is left out.
      }
    }
    const t = this.table.current();
    const report: ReportPayload = {
      title: `Adapt Lab — ${ctx.model.experiment ?? 'method comparison'}`,
      notices: ctx.model.notices.map((n) => `${n.text}${n.runs < n.of ? ` (${n.runs} of ${n.of} runs)` : ' (all runs)'}`),
      findings: [...this.labels.sentences, ...(this.budget.sentence ? [this.budget.sentence] : []), ...this.significance.sentences],
      charts,
      table: { columns: t?.columns.map((c) => c.label) ?? [], rows: t?.rows.map((r) => r.cells) ?? [] },
    };
    this.post({ type: 'exportReport', requestId: this.nextRequest++, name: `${ctx.filePrefix}-report.html`, report });
  }

  openRun(ref: string): void {
    this.post({ type: 'openRun', ref });
  }
}
