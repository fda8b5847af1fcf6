// Running an experiment file: every cell of its grid, in order, over a run store that makes the grid resumable.
// Done cells are skipped, failed / cancelled / interrupted ones run again, and one failing cell does not stop the
// others (a distillation whose teacher failed is recorded as failed too, naming the teacher). Everything the user
// can get wrong is checked before the first cell trains. Cancellation (an AbortSignal: the CLI wires SIGINT and
// SIGTERM to it) stops the current cell between training steps, marks it cancelled and releases the folder lock.
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors';
import { initBackend, type BackendInfo } from '../backend/select';
import { measureTrainingRate } from '../costs/rate';
import type { MeasureOptions } from '../costs/measure';
import { planCells, type Cell } from '../experiment/cells';
import { loadPredictor } from '../methods/predictor';
import { runMethod } from '../methods/run-method';
import { parseExperiment, type Experiment } from '../experiment/schema';
import type { LoadBaseModelOptions } from '../pretrained';
import type { RunRecord } from '../runs/record';
import { defaultRunsDir, RunStore, type ResumeDecision } from '../runs/store';
import { estimateCell, type CellEstimate } from './estimate';
import type { CellStatus, GridEventSink } from './events';
import { ModelCache } from './models';
import { checkBeforeTraining, loadGridInputs } from './prepare';
import { runCell, savedModelExists, type MethodEntryPoints } from './run-cell';

export interface RunExperimentOptions {
  /** Default: `.adapt-lab/runs` beside the experiment file. */
  runsDir?: string;
  /** Estimate each cell's cost instead of training. */
  dryRun?: boolean;
  onEvent?: GridEventSink;
  signal?: AbortSignal;
  /** Only cells whose id contains this text (plus the teachers they need that are not done yet). */
  only?: string;
  /** The methods' entry points; default: src/engine/methods. */
  methods?: MethodEntryPoints;
  /** Sizes of the cost measurement (tests make it smaller). */
  measure?: MeasureOptions;
  /** How Hub models are resolved (offline, cache folder, environment). */
  resolve?: LoadBaseModelOptions['resolve'];
}

export interface CellOutcome {
  cellId: string;
  runId: string;
  status: CellStatus;
  reason?: string;
}

export interface GridResult {
  experiment: Experiment;
  runsDir: string;
  backend: BackendInfo;
  /** The selected cells, in order; cells not reached because of cancellation are absent. */
  cells: CellOutcome[];
  cancelled: boolean;
  failed: number;
  /** The runs of the experiment's cells as they stand now (all cells, not only the selected ones): the report's input. */
  runs: RunRecord[];
  /** Present for a dry run. */
  dryRun?: { estimates: CellEstimate[]; gflops: number; how: string };
}

export async function readExperiment(file: string): Promise<Experiment> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? 'the experiment file was not found' : `cannot read the experiment file (${code ?? (e as Error).message})`,
      { file }, 'Check the path, e.g. examples/sms-spam.experiment.json.');
  }
  return parseExperiment(text, file, { checkFiles: true });
}

export async function runExperiment(file: string, opts: RunExperimentOptions = {}): Promise<GridResult> {
  const emit: GridEventSink = opts.onEvent ?? (() => {});
  const experiment = await readExperiment(file);
  const store = new RunStore(opts.runsDir ?? defaultRunsDir(experiment.file));
  const { cells: allCells, skipped } = planCells(experiment);
  const byReason = new Map<string, number>();
  for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  for (const [reason, n] of byReason) emit({ type: 'log', level: 'info', message: `${n} combination(s) left out: ${reason}` });
  const cells = selectCells(allCells, opts.only, store);

  const inputs = await loadGridInputs(experiment, emit);
  const models = new ModelCache({ allowRandomInit: experiment.allowRandomInit, emit, resolve: opts.resolve });
  await checkBeforeTraining(experiment, cells, inputs, models, store);
  const backend = await initBackend();
  if (backend.note) emit({ type: 'log', level: 'warn', message: `backend ${backend.name}: ${backend.note}` });

  const info = cells.map((c) => ({ cellId: c.id, runId: c.runId, method: c.method, model: c.model.name, trainSize: c.trainSize, seed: c.seed }));
  emit({ type: 'grid-start', experiment: experiment.name, runsDir: store.dir, backend: backend.name, threads: backend.threads, cells: info });
  const result: GridResult = { experiment, runsDir: store.dir, backend, cells: [], cancelled: false, failed: 0, runs: [] };

  if (opts.dryRun) {
    const rate = await measureTrainingRate();
    const estimates: CellEstimate[] = [];
    for (const cell of cells) {
      const decision = store.decide(cell.runId);
      estimates.push({ cellId: cell.id, runId: cell.runId, action: decision.action, reason: decision.reason, ...(await estimateCell(experiment, cell, inputs, models, rate.gflops)) });
    }
    result.dryRun = { estimates, gflops: rate.gflops, how: rate.how };
    result.runs = runsOf(store, allCells, emit);
    return result;
  }

  const teachers = new Set(allCells.flatMap((c) => (c.method === 'distill' ? [c.teacher.runId] : [])));
  const methods = opts.methods ?? { runMethod, loadPredictor };
  const lock = store.lock();
  try {
    for (const [index, cell] of cells.entries()) {
      if (opts.signal?.aborted) {
        result.cancelled = true;
        break;
      }
      const decision = decide(store, cell, cells, teachers, emit);
      if (decision.action === 'skip') {
        emit({ type: 'cell-end', index, total: cells.length, cellId: cell.id, runId: cell.runId, status: 'skipped', reason: decision.reason });
        result.cells.push({ cellId: cell.id, runId: cell.runId, status: 'skipped', reason: decision.reason });
        continue;
      }
      if (decision.previous) emit({ type: 'log', level: 'info', message: `${cell.id}: ${decision.reason}`, cellId: cell.id });
      const { status, run } = await runCell(
        {
          experiment, store, inputs, models, emit, methods, index, total: cells.length,
          backend: backend.name,
          signal: opts.signal,
          saveModel: experiment.saveModels || teachers.has(cell.runId),
          measure: opts.measure,
        },
        cell,
      );
      result.cells.push({ cellId: cell.id, runId: cell.runId, status, ...(run.error ? { reason: run.error } : {}) });
      if (status === 'failed') result.failed++;
      if (status === 'cancelled') {
        result.cancelled = true;
        break;
      }
    }
  } finally {
    lock.release();
  }
  const count = (s: CellStatus) => result.cells.filter((c) => c.status === s).length;
  emit({ type: 'grid-end', done: count('done'), skipped: count('skipped'), failed: result.failed, cancelled: result.cancelled });
  result.runs = runsOf(store, allCells, emit);
  return result;
}

/**
 * The store's decision, with one addition: a finished teacher whose saved model is gone (deleted by hand, or run
 * before it was anyone's teacher) is run again while a student still needs it.
 */
function decide(store: RunStore, cell: Cell, cells: readonly Cell[], teachers: ReadonlySet<string>, emit: GridEventSink): ResumeDecision {
  const decision = store.decide(cell.runId);
  if (decision.action !== 'skip' || decision.previous?.status !== 'done' || !teachers.has(cell.runId)) return decision;
  if (savedModelExists(store.modelDir(cell.runId))) return decision;
  const waiting = cells.some((c) => c.method === 'distill' && c.teacher.runId === cell.runId && !store.isFinished(c.runId));
  if (!waiting) return decision;
  emit({ type: 'log', level: 'info', message: `${cell.id}: done, but its model was not saved and a distillation needs it; running it again`, cellId: cell.id });
  store.remove(cell.runId);
  return { action: 'run', reason: 'its saved model is needed by a distillation' };
}

/** The cells `only` selects, plus the not-yet-finished teacher cells they depend on, in plan order. */
function selectCells(cells: readonly Cell[], only: string | undefined, store: RunStore): Cell[] {
  if (only === undefined || only === '') return [...cells];
  const chosen = new Set(cells.filter((c) => c.id.includes(only)).map((c) => c.runId));
  if (chosen.size === 0) {
    throw new UserError(`no cell id contains "${only}"`, { field: '--only' },
      `Cell ids look like ${cells[0]?.id ?? 'finetune__<model>__n32__s1'}; \`adapt-lab run <file> --dry-run\` lists them all.`);
  }
  for (const c of cells) {
    if (c.method === 'distill' && chosen.has(c.runId) && c.teacher.cellId !== undefined) {
      const teacherDone = store.isFinished(c.teacher.runId) && savedModelExists(store.modelDir(c.teacher.runId));
      if (!teacherDone) chosen.add(c.teacher.runId);
    }
  }
  return cells.filter((c) => chosen.has(c.runId));
}

function runsOf(store: RunStore, cells: readonly Cell[], emit: GridEventSink): RunRecord[] {
  const ids = new Set(cells.map((c) => c.runId));
  const { runs, problems } = store.list();
  for (const p of problems) emit({ type: 'log', level: 'warn', message: p.format() });
  return runs.filter((r) => ids.has(r.id));
}
