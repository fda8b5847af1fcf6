// Where the labeler is: the current row, the rows visited (for Back), the filter for unlabeled rows, and — after
// Label Next Uncertain Examples — the order of the rows to label and the helper model's suggestion for each.
// Rows are re-read after every edit (undo, a change in the text editor, git checkout), so the session keeps
// rows by index and checks them again each time. Pure, unit-tested.
import type { LabelRow } from './dataset-doc';

export interface Suggestion {
  label: string;
  /** The helper's probability of that label. */
  confidence: number;
  /** Why the row is early in the queue: its entropy, or how much two runs disagree on it. */
  score: number;
}

export interface Queue {
  /** Shown above the example, e.g. "most uncertain first for finetune · bert…". */
  title: string;
  /** Texts in the order to label them (a text is the row's identity: indexes move when lines are added). */
  texts: string[];
  suggestions: Map<string, Suggestion>;
}

export class LabelingSession {
  current: number | undefined = 0;
  unlabeledOnly = false;
  queue: Queue | undefined;
  private history: number[] = [];

  /** Keeps `current` pointing at a row that exists; the first fitting row otherwise. */
  settle(rows: readonly LabelRow[]): void {
    if (this.current !== undefined && this.current < rows.length) return;
    this.current = this.order(rows).find((i) => this.fits(rows[i]));
    if (this.current === undefined && !this.unlabeledOnly && !this.queue && rows.length > 0) this.current = rows.length - 1;
  }

  /**
   * The next row after the current one. In file order it stops at the last row; when only unlabeled rows are
   * wanted (the filter, or a queue) it wraps around once, and none left means there is nothing to show.
   */
  next(rows: readonly LabelRow[]): void {
    const order = this.order(rows);
    const at = this.current === undefined ? -1 : order.indexOf(this.current);
    const filtering = this.unlabeledOnly || this.queue !== undefined;
    const after = filtering ? [...order.slice(at + 1), ...order.slice(0, Math.max(0, at))] : order.slice(at + 1);
    const found = after.find((i) => this.fits(rows[i]));
    if (found === undefined && !filtering) return; // the last row: stay
    if (this.current !== undefined) this.history.push(this.current);
    this.current = found;
  }

  /** Back to the row shown before; false when there is none. */
  back(rows: readonly LabelRow[]): boolean {
    while (this.history.length > 0) {
      const previous = this.history.pop()!;
      if (previous < rows.length) {
        this.current = previous;
        return true;
      }
    }
    return false;
  }

  get canGoBack(): boolean {
    return this.history.length > 0;
  }

  goto(index: number, rows: readonly LabelRow[]): void {
    if (index < 0 || index >= rows.length || index === this.current) return;
    if (this.current !== undefined) this.history.push(this.current);
    this.current = index;
  }

  startQueue(queue: Queue, rows: readonly LabelRow[]): void {
    this.queue = queue;
    this.history = [];
    this.current = undefined;
    this.current = this.order(rows).find((i) => this.fits(rows[i]));
  }

  stopQueue(rows: readonly LabelRow[]): void {
    this.queue = undefined;
    this.settle(rows);
  }

  suggestionFor(row: LabelRow): Suggestion | undefined {
    return this.queue?.suggestions.get(row.text);
  }

  /** Row indexes in visiting order: the queue's (rows not in it are left out), else file order. */
  order(rows: readonly LabelRow[]): number[] {
    if (!this.queue) return rows.map((_, i) => i);
    const byText = new Map<string, number[]>();
    for (const r of rows) byText.set(r.text, [...(byText.get(r.text) ?? []), r.index]);
    const seen = new Set<number>();
    const out: number[] = [];
    for (const t of this.queue.texts) {
      for (const i of byText.get(t) ?? []) {
        if (!seen.has(i)) out.push(i);
        seen.add(i);
      }
    }
    return out;
  }

  /** How many rows of the visiting order are still to label. */
  remaining(rows: readonly LabelRow[]): number {
    return this.order(rows).filter((i) => rows[i].label === undefined).length;
  }

  private fits(row: LabelRow | undefined): boolean {
    if (!row) return false;
    return (this.unlabeledOnly || this.queue !== undefined) ? row.label === undefined : true;
  }
}
