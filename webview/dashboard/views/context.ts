// What every view reads (derived once per render by the app) and what it can ask the app to do.
import type { DashboardModel } from '../../../src/engine/analysis/dashboard';
import type { ChartHost } from '../charts/echarts';
import type { Comparisons, Side } from '../comparisons';
import type { RunSummary } from '../protocol';
import type { UiState } from '../state';

export interface ViewContext {
  state: UiState;
  model: DashboardModel;
  /** All runs of the experiment shown (every status). */
  runs: RunSummary[];
  runByRef: ReadonlyMap<string, RunSummary>;
  /** The runs (refs) behind a group, one per seed. */
  refsOfKey(key: string): string[];
  /** Groups that hold a selected run. */
  selectedKeys: ReadonlySet<string>;
  comparisons: Comparisons;
  /** A group as a comparison side. */
  side(key: string): Side;
  metricLabel: string;
  /** A file-name-safe prefix for exports: the experiment's name. */
  filePrefix: string;
}

export interface Actions {
  /** Changes the state; `scope` 'selection' redraws only what depends on the selection. */
  update(change: (s: UiState) => void, scope?: 'all' | 'selection'): void;
  /** Selects these runs (replacing the selection, or adding to it). */
  select(refs: readonly string[], additive: boolean): void;
  exportChart(chart: ChartHost, name: string, format: 'svg' | 'png'): void;
  exportCsv(): void;
  exportReport(): void;
  openRun(ref: string): void;
}
