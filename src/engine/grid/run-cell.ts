// One cell of a grid, start to finish: draw its data, get its model (and for distillation its teacher's saved
// predictor), train through the method, evaluate on the test set, measure costs, save the model when asked, and
// record everything in the run store. Whatever goes wrong ends in a run record that says so — failed with the
// user-facing message, or cancelled — never in a run left "running" by a live process.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isUserError, UserError } from '../errors';
import { StorageError } from '../fs/storage-error';
import { dataHash } from '../data/hash';
import type { Example } from '../data/example';
import { buildPool, type UnlabeledExample } from '../data/pool';
import { sampleTrain } from '../data/sampling';
import { countParams, shapeOf } from '../costs/flops';
import { measureCosts, type MeasureOptions } from '../costs/measure';
import type { Cell } from '../experiment/cells';
import type { Experiment } from '../experiment/schema';
import { parseHubRef } from '../hub/hub-id';
import { CancelledError, type MethodInput, type MethodOutput, type Predictor, type TrainingReporter } from '../methods/types';
import { randomInitNotice } from '../pretrained';
import type { RunRecord } from '../runs/record';
import type { RunStore } from '../runs/store';
import { evaluate } from './evaluate';
import type { CellStatus, GridEventSink } from './events';
import type { ModelCache } from './models';
import type { GridInputs } from './prepare';
import { versions } from './versions';

/** The two entry points of the methods; injectable so a caller can wrap them (e.g. to time or trace them). */
export interface MethodEntryPoints {
  runMethod(input: MethodInput): Promise<MethodOutput>;
  loadPredictor(dir: string): Promise<Predictor>;
}

export interface CellContext {
  experiment: Experiment;
  store: RunStore;
  inputs: GridInputs;
  models: ModelCache;
  backend: string;
  emit: GridEventSink;
  signal?: AbortSignal;
  methods: MethodEntryPoints;
  /** Whether this cell's trained model must be saved (a later cell's teacher, or saveModels). */
  saveModel: boolean;
  measure?: MeasureOptions;
  index: number;
  total: number;
}

export interface CellResult {
  status: Exclude<CellStatus, 'skipped'>;
  run: RunRecord;
}

export async function runCell(ctx: CellContext, cell: Cell): Promise<CellResult> {
  const { store, emit, index, total } = ctx;
  const started = performance.now();
  const id = cell.runId;
  const created = store.create(cell, ctx.experiment);
  emit({ type: 'cell-start', index, total, cellId: cell.id, runId: id, attempt: created.attempt });
  store.update(id, { status: 'running' });

  const owned: Predictor[] = [];
  try {
    const result = await train(ctx, cell, owned);
    checkAborted(ctx.signal);
    const { output, trainSeconds, notice, labeled, pool } = result;
    const { splits } = ctx.inputs;

    const { metrics, rows } = await evaluate(output.predictor, splits.test, splits.labels);
    store.appendMetrics(id, { step: output.steps, split: 'test', accuracy: metrics.accuracy, macroF1: metrics.macroF1 });
    store.writePredictions(id, rows);
    checkAborted(ctx.signal);

    const model = await ctx.models.get(cell.model);
    const shape = shapeOf(model.config);
    const params = countParams(shape, cell.method === 'prompt' ? { mlm: true } : { pooler: true, numLabels: splits.labels.length });
    const trainFlops = output.flops.train + output.flops.auxiliaryInference;
    const cost = await measureCosts({ predictor: output.predictor, inputs: splits.test, params, trainFlops, trainSeconds, backend: ctx.backend }, ctx.measure);
    checkAborted(ctx.signal);

    if (ctx.saveModel) await store.saveModel(id, (dir) => output.predictor.save(dir));
    const hash = dataHash({ train: labeled, dev: splits.dev, test: splits.test, pool });
    // Built apart from the patch: the record's type lists three versions, and the backend rides along as a fourth.
    const versionInfo = versions(ctx.backend);
    const run = store.update(id, {
      status: 'done',
      error: undefined,
      labels: splits.labels,
      metrics,
      cost,
      data: output.data,
      versions: versionInfo,
      dataHash: hash,
      notice,
    });
    emit({
      type: 'cell-end', index, total, cellId: cell.id, runId: id, status: 'done',
      accuracy: metrics.accuracy, macroF1: metrics.macroF1,
      trainFlops, auxiliaryInferenceFlops: output.flops.auxiliaryInference, steps: output.steps, trainSeconds,
      seconds: (performance.now() - started) / 1000,
    });
    return { status: 'done', run };
  } catch (e) {
    if (e instanceof StorageError) {
      // A full disk or a read-only folder would fail every further cell the same way: the grid stops here. Recording
      // the failure may be refused too; the run is then left "running" by a process that will be gone, which the
      // next grid recognises as interrupted.
      try {
        store.update(id, { status: 'failed', error: e.format() });
      } catch {
        // See above.
      }
      throw e;
    }
    const cancelled = e instanceof CancelledError || ctx.signal?.aborted === true;
    const status = cancelled ? 'cancelled' : 'failed';
    const reason = cancelled ? 'cancelled' : isUserError(e) ? e.format() : `internal error: ${(e as Error)?.message ?? String(e)}`;
    if (!cancelled && !isUserError(e)) emit({ type: 'log', level: 'error', message: `${cell.id}: ${(e as Error)?.stack ?? String(e)}`, cellId: cell.id });
    const run = store.update(id, { status, error: cancelled ? undefined : reason });
    emit({ type: 'cell-end', index, total, cellId: cell.id, runId: id, status, reason, seconds: (performance.now() - started) / 1000 });
    return { status, run };
  } finally {
    for (const p of owned) p.dispose();
  }
}

interface Trained {
  output: MethodOutput;
  trainSeconds: number;
  notice?: string;
  labeled: Example[];
  pool: UnlabeledExample[];
}

async function train(ctx: CellContext, cell: Cell, owned: Predictor[]): Promise<Trained> {
  const { store, emit, index, experiment } = ctx;
  const { splits, unlabeled } = ctx.inputs;
  const teacherRun = cell.method === 'distill' ? finishedTeacher(store, cell.teacher.runId) : undefined;

  const labeled = sampleTrain(splits.train, cell.trainSize, cell.seed, experiment.dataset.train);
  // The whole pool: a distillation draws its `unlabeledCap` sample from it itself.
  const pool = buildPool({ train: splits.train, labeled, unlabeled }, { seed: cell.seed });
  const model = await ctx.models.get(cell.model);
  checkAborted(ctx.signal);

  const reporter: TrainingReporter = {
    step: ({ step, totalSteps, loss, lr }) => {
      store.appendMetrics(cell.runId, { step, loss, lr });
      emit({ type: 'progress', index, cellId: cell.id, runId: cell.runId, step, totalSteps, loss });
    },
    evaluation: ({ step, split, accuracy, macroF1 }) => store.appendMetrics(cell.runId, { step, split, accuracy, macroF1 }),
    log: (message) => emit({ type: 'log', level: 'info', message, cellId: cell.id }),
  };
  const base = {
    model,
    labels: splits.labels,
    train: labeled,
    ...(splits.dev.length > 0 ? { dev: splits.dev } : {}),
    pool,
    seed: cell.seed,
    reporter,
    signal: ctx.signal,
  };

  let input: MethodInput;
  if (cell.method === 'finetune') {
    input = { ...base, method: 'finetune', training: cell.training };
  } else if (cell.method === 'prompt') {
    input = { ...base, method: 'prompt', training: cell.training, template: ctx.inputs.template!, zeroShot: cell.zeroShot };
  } else {
    const teacherDir = store.runDir(cell.teacher.runId);
    const predictor = await ctx.methods.loadPredictor(path.join(teacherDir, 'model'));
    owned.push(predictor);
    const teacherLabeled = teacherRun!.data?.labeled ?? (cell.trainSize === 'all' ? splits.train.length : cell.trainSize);
    input = { ...base, method: 'distill', training: cell.training, teacher: { predictor, runDir: teacherDir, labeled: teacherLabeled } };
  }

  const t0 = performance.now();
  const output = await ctx.methods.runMethod(input);
  const trainSeconds = (performance.now() - t0) / 1000;
  owned.push(output.predictor);
  return { output, trainSeconds, notice: runNotice(ctx, cell, teacherRun), labeled, pool };
}

/** The teacher's run, which must be done with its model saved; otherwise this cell cannot run (yet). */
function finishedTeacher(store: RunStore, runId: string): RunRecord {
  const file = store.runFile(runId);
  const run = store.get(runId);
  if (!run || run.status !== 'done') {
    const state = !run ? 'was never run' : run.status === 'failed' ? `failed (${run.error ?? 'no message'})` : `is ${run.status}`;
    throw new UserError(`its teacher run ${runId} ${state}`, { file },
      'Fix the teacher\'s problem and run the experiment again; this cell runs once its teacher is done.');
  }
  if (!savedModelExists(store.modelDir(runId))) {
    throw new UserError(`its teacher run ${runId} did not save its model`, { file },
      'Delete the teacher\'s run folder and run the experiment again (teachers of a distillation are saved).');
  }
  return run;
}

/** A saved predictor's folder holds adapt-lab.json (method, labels, template), which loadPredictor starts from. */
export function savedModelExists(modelDir: string): boolean {
  return existsSync(path.join(modelDir, 'adapt-lab.json'));
}

/**
 * The run's notice: which of its models (its own, and for distillation its teacher's) were random-init, in one
 * sentence with the command that fetches them; a teacher's other notices are passed on as they are.
 */
function runNotice(ctx: CellContext, cell: Cell, teacherRun: RunRecord | undefined): string | undefined {
  const repos: string[] = [];
  const own = ctx.models.randomInit.get(cell.model.source);
  if (own) repos.push(own);
  const other: string[] = [];
  if (teacherRun?.notice) {
    const teacherRepo = parseHubRef(teacherRun.modelSource ?? teacherRun.model)?.repoId;
    if (teacherRepo !== undefined && teacherRun.notice === randomInitNotice([teacherRepo])) repos.push(teacherRepo);
    else other.push(`Teacher: ${teacherRun.notice}`);
  }
  const parts = [repos.length > 0 ? randomInitNotice(repos) : undefined, ...other].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
