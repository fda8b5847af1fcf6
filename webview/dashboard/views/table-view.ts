// View 4, the runs table: grouped over seeds (mean ± std) or one row per run; filtered by method, model, train
// size, seed and status; sorted by any column. Selecting rows (click, Enter or Space; with Ctrl/Cmd/Shift to add)
// selects their runs in every chart and opens them in the run detail. Arrow keys move between rows.
import { h, replace } from '../../common/dom';
import { button, checkbox, dropdown } from '../ui/toolkit';
import { buildTable, filterChoices, toCsv, type Table } from '../table';
import type { TableFilters } from '../state';
import type { Actions, ViewContext } from './context';
import { field, section } from './section';

const PAGE = 300;

export class TableView {
  readonly el: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly body: HTMLElement;
  private table: Table | undefined;
  private rowEls: HTMLTableRowElement[] = [];

  constructor(private readonly actions: Actions) {
    const s = section('view-table', '4 · Runs table', { wide: true });
    this.el = s.el;
    this.toolbar = s.toolbar;
    this.body = s.body;
  }

  /** The table as shown, for the CSV export and the HTML report. */
  current(): Table | undefined {
    return this.table;
  }

  csv(): string {
    const t = this.table;
    return t ? toCsv(t.csvColumns, t.rows.map((r) => r.csv)) : '';
  }

  update(ctx: ViewContext): void {
    const { state } = ctx;
    const f = state.table.filters;
    const choices = filterChoices(ctx.runs);
    const all = { value: '', label: 'all' };
    const filter = (key: keyof TableFilters, label: string, options: Array<{ value: string; label: string }>) =>
      field(label, dropdown(`Filter by ${label.toLowerCase()}`, [all, ...options], f[key], (v) => this.actions.update((s) => { s.table.filters[key] = v; s.table.showAll = false; }), `filter-${key}`));
    replace(this.toolbar, [
      checkbox('Group seeds (mean ± std)', state.table.mode === 'groups', (v) => this.actions.update((s) => { s.table.mode = v ? 'groups' : 'runs'; }), 'group-toggle'),
      filter('series', 'Method', choices.series),
      filter('model', 'Model', choices.models.map((m) => ({ value: m, label: m }))),
      filter('size', 'Train n', choices.sizes.map((s) => ({ value: s, label: s }))),
      filter('seed', 'Seed', choices.seeds.map((s) => ({ value: s, label: s }))),
      filter('status', 'Status', choices.statuses.map((s) => ({ value: s, label: s }))),
      button('Export CSV', () => this.actions.exportCsv(), { secondary: true, testId: 'export-csv', title: 'Export the table as shown (filters, grouping) as CSV' }),
    ]);

    const t = buildTable(ctx.runs, state.table);
    this.table = t;
    const shown = state.table.showAll ? t.rows : t.rows.slice(0, PAGE);
    const sort = state.table.sort;
    const head = h('tr', {}, t.columns.map((c) => {
      const active = sort.column === c.id;
      return h('th', { class: c.numeric ? 'num' : '', attrs: { scope: 'col', 'aria-sort': active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined } }, [
        h('button', {
          class: 'sort',
          text: `${c.label}${active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}`,
          attrs: { type: 'button', title: `Sort by ${c.label}` },
          on: { click: () => this.actions.update((s) => { s.table.sort = { column: c.id, dir: active && sort.dir === 'asc' ? 'desc' : 'asc' }; }) },
        }),
      ]);
    }));
    this.rowEls = shown.map((r, i) => {
      const tr = h('tr', {
        class: `row${r.status ? ` status-${r.status}` : ''}`,
        attrs: { tabindex: i === 0 ? 0 : -1, 'data-id': r.id, 'aria-selected': 'false', 'data-notice': r.notice ? 'true' : undefined },
        on: {
          click: (e) => this.choose(r.refs, e as MouseEvent),
          keydown: (e) => this.onKey(e as KeyboardEvent, i, r.refs),
        },
      }, r.cells.map((c, j) => h('td', { class: t.columns[j].numeric ? 'num' : '', text: c })));
      return tr;
    });
    replace(this.body, [
      h('p', { class: 'muted', attrs: { 'data-testid': 'table-count' }, text:
        `${t.rows.length} ${state.table.mode === 'groups' ? 'configuration' : 'run'}(s) from ${t.matched} of ${t.total} runs${t.matched < t.total ? ' (filtered)' : ''}.` +
        (state.table.mode === 'groups' ? ' Unfinished runs are not grouped.' : '') }),
      h('div', { class: 'table-wrap' }, [
        h('table', { attrs: { role: 'grid', 'aria-multiselectable': 'true', 'aria-label': 'Runs', 'data-testid': 'runs-table', 'data-rows': String(t.rows.length) } }, [
          h('thead', {}, [head]),
          h('tbody', {}, this.rowEls),
        ]),
      ]),
      shown.length < t.rows.length
        ? h('div', { class: 'more' }, [button(`Show all ${t.rows.length} rows`, () => this.actions.update((s) => { s.table.showAll = true; }), { secondary: true })])
        : null,
    ]);
    this.showSelection(ctx.state.selection);
  }

  /** Marks the rows whose runs are selected (no rebuild). */
  showSelection(selection: readonly string[]): void {
    const selected = new Set(selection);
    const rows = this.table?.rows ?? [];
    this.rowEls.forEach((tr, i) => {
      const on = rows[i].refs.some((ref) => selected.has(ref));
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', on ? 'true' : 'false');
    });
  }

  private choose(refs: string[], e: MouseEvent | KeyboardEvent): void {
    this.actions.select(refs, e.ctrlKey || e.metaKey || e.shiftKey);
  }

  private onKey(e: KeyboardEvent, i: number, refs: string[]): void {
    const move = (to: number) => {
      const target = this.rowEls[Math.max(0, Math.min(this.rowEls.length - 1, to))];
      if (!target) return;
      for (const tr of this.rowEls) tr.tabIndex = -1;
      target.tabIndex = 0;
      target.focus();
    };
    switch (e.key) {
      case 'ArrowDown': move(i + 1); break;
      case 'ArrowUp': move(i - 1); break;
      case 'Home': move(0); break;
      case 'End': move(this.rowEls.length - 1); break;
      case 'PageDown': move(i + 10); break;
      case 'PageUp': move(i - 10); break;
      case 'Enter':
      case ' ':
        this.choose(refs, e);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}
