// What a running grid looks like to the person waiting for it: which cell of how many, the training step, and
// how long the rest will take. Built from the grid's events alone (plus the runs already done, which the grid
// will skip), with an injectable clock, so it is unit-tested without VS Code or a worker.
//
// The time left is an estimate, and says so: the current cell's remaining steps at its measured step rate, plus
// each cell still to train at the mean wall time of finished cells of the same method and model (else of any
// finished cell, else the current cell's projected time). Cells of other methods or sizes can take much longer;
// the estimate improves as cells finish.
import type { GridCellInfo, GridEvent } from '../../engine/grid/events';

export interface CurrentCell {
  index: number;
  cellId: string;
  runId: string;
  step: number;
  totalSteps: number;
  loss?: number;
}

export interface GridSnapshot {
  experiment: string;
  total: number;
  /** Cells that ended (done, skipped, failed or cancelled). */
  ended: number;
  counts: { done: number; skipped: number; failed: number; cancelled: number };
  current?: CurrentCell;
  /** 0…1 of the whole grid. */
  fraction: number;
  etaSeconds?: number;
}

interface Timing {
  cellStart: number;
  /** The first progress event seen in this cell, to measure the step rate from. */
  firstStep?: { step: number; at: number };
}

export class GridProgress {
  private experiment = '';
  private cells: GridCellInfo[] = [];
  private ended = 0;
  private readonly counts = { done: 0, skipped: 0, failed: 0, cancelled: 0 };
  private current: CurrentCell | undefined;
  private timing: Timing | undefined;
  /** Wall seconds of trained cells that ended, by "method model" and overall. */
  private readonly durations = new Map<string, number[]>();
  private readonly all: number[] = [];

  constructor(
    private readonly alreadyDone: ReadonlySet<string> = new Set(),
    private readonly now: () => number = Date.now,
  ) {}

  update(e: GridEvent): void {
    const t = this.now();
    switch (e.type) {
      case 'grid-start':
        this.experiment = e.experiment;
        this.cells = e.cells;
        break;
      case 'cell-start':
        this.current = { index: e.index, cellId: e.cellId, runId: e.runId, step: 0, totalSteps: 0 };
        this.timing = { cellStart: t };
        break;
      case 'progress':
        if (this.current?.runId !== e.runId) {
          this.current = { index: e.index, cellId: e.cellId, runId: e.runId, step: 0, totalSteps: 0 };
          this.timing = { cellStart: t };
        }
        this.current.step = e.step;
        this.current.totalSteps = e.totalSteps;
        this.current.loss = e.loss;
        if (this.timing && !this.timing.firstStep) this.timing.firstStep = { step: e.step, at: t };
        break;
      case 'cell-end': {
        this.ended++;
        this.counts[e.status]++;
        if (e.status !== 'skipped' && e.seconds !== undefined) {
          const key = this.keyOf(e.index);
          this.durations.set(key, [...(this.durations.get(key) ?? []), e.seconds]);
          this.all.push(e.seconds);
        }
        if (this.current?.runId === e.runId) {
          this.current = undefined;
          this.timing = undefined;
        }
        break;
      }
      case 'log':
      case 'grid-end':
        break;
    }
  }

  snapshot(): GridSnapshot {
    const total = this.cells.length;
    const within = this.current && this.current.totalSteps > 0 ? this.current.step / this.current.totalSteps : 0;
    const fraction = total === 0 ? 0 : Math.min(1, (this.ended + within) / total);
    const eta = this.eta();
    return {
      experiment: this.experiment, total, ended: this.ended, counts: { ...this.counts },
      ...(this.current ? { current: { ...this.current } } : {}),
      fraction,
      ...(eta !== undefined ? { etaSeconds: eta } : {}),
    };
  }

  /** One line for the progress notification, e.g. `Cell 3/12 finetune__m__n8__s1 · step 40/100 · about 2 min left`. */
  message(): string {
    const s = this.snapshot();
    const parts: string[] = [];
    if (s.current) {
      parts.push(`Cell ${s.current.index + 1}/${s.total} ${s.current.cellId}`);
      if (s.current.totalSteps > 0) parts.push(`step ${s.current.step}/${s.current.totalSteps}`);
      else parts.push('preparing');
    } else if (s.total > 0) {
      parts.push(`${s.ended}/${s.total} cells`);
    } else {
      parts.push('reading the experiment');
    }
    if (s.counts.failed > 0) parts.push(`${s.counts.failed} failed`);
    if (s.etaSeconds !== undefined) parts.push(`about ${formatDuration(s.etaSeconds)} left`);
    return parts.join(' · ');
  }

  private keyOf(index: number): string {
    const c = this.cells[index];
    return c ? `${c.method} ${c.model}` : '';
  }

  private eta(): number | undefined {
    if (this.cells.length === 0) return undefined;
    const t = this.now();
    let remainingCurrent = 0;
    let currentProjected: number | undefined;
    const cur = this.current;
    if (cur && this.timing) {
      const first = this.timing.firstStep;
      if (first && cur.step > first.step && cur.totalSteps > 0) {
        const perStep = (t - first.at) / 1000 / (cur.step - first.step);
        remainingCurrent = Math.max(0, cur.totalSteps - cur.step) * perStep;
        currentProjected = (t - this.timing.cellStart) / 1000 + remainingCurrent;
      } else if (!this.meanFor(cur.index)) {
        return undefined; // nothing measured yet
      }
    }
    const next = cur ? cur.index + 1 : this.ended;
    let ahead = 0;
    for (let i = next; i < this.cells.length; i++) {
      if (this.alreadyDone.has(this.cells[i].runId)) continue;
      const per = this.meanFor(i) ?? currentProjected;
      if (per === undefined) return undefined;
      ahead += per;
    }
    if (cur && currentProjected === undefined) remainingCurrent = this.meanFor(cur.index) ?? 0;
    return remainingCurrent + ahead;
  }

  private meanFor(index: number): number | undefined {
    const same = this.durations.get(this.keyOf(index));
    const pool = same && same.length > 0 ? same : this.all;
    return pool.length === 0 ? undefined : pool.reduce((a, b) => a + b, 0) / pool.length;
  }
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
