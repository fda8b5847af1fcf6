// What a running grid tells its caller: the CLI prints it, the VS Code extension's worker forwards it to the
// editor. Every event is plain JSON (no classes, no functions, no undefined-only fields) so that it survives
// `JSON.stringify` and a process boundary unchanged.
import type { Method, TrainSize } from '../experiment/schema';

export type CellStatus = 'done' | 'skipped' | 'failed' | 'cancelled';

export interface GridCellInfo {
  cellId: string;
  runId: string;
  method: Method;
  model: string;
  trainSize: TrainSize;
  seed: number;
}

export type GridEvent =
  | { type: 'grid-start'; experiment: string; runsDir: string; backend: string; threads: number; cells: GridCellInfo[] }
  /** Sent when a cell starts training; skipped cells get only a cell-end. `index` is 0-based, of `total`. */
  | { type: 'cell-start'; index: number; total: number; cellId: string; runId: string; attempt: number }
  | { type: 'progress'; index: number; cellId: string; runId: string; step: number; totalSteps: number; loss: number }
  | {
      type: 'cell-end';
      index: number;
      total: number;
      cellId: string;
      runId: string;
      status: CellStatus;
      /** Why it was skipped, or the error (a UserError's one line, or "internal error: ..."). */
      reason?: string;
      accuracy?: number;
      macroF1?: number;
      /** Training FLOPs, and the part of them spent on inference for training (teacher labels, PET weights). */
      trainFlops?: number;
      auxiliaryInferenceFlops?: number;
      steps?: number;
      trainSeconds?: number;
      /** Wall time of the whole cell: loading, training, evaluation, measurement, saving. */
      seconds?: number;
    }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; cellId?: string }
  | { type: 'grid-end'; done: number; skipped: number; failed: number; cancelled: boolean };

export type GridEventSink = (event: GridEvent) => void;
