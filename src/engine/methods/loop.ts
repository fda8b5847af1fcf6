// The optimisation loop every method shares: AdamW with the configured schedule and clipping, for maxSteps or
// a number of epochs, dropout seeded per step from the cell's seed, dev evaluation every `evalEverySteps` (and
// after the last step) with early stopping that restores the best weights, progress to the reporter, and a
// cancellation check before each step. What a step computes is the method's business (`step`).
import type * as tf from '@tensorflow/tfjs';
import type { CommonOptions } from '../experiment/training';
import { trainStepFlops } from '../costs/flops';
import { UserError } from '../errors';
import { Rng } from '../rng';
import { AdamW } from '../train/adamw';
import { EarlyStopping } from '../train/early-stopping';
import { makeSchedule } from '../train/schedule';
import { trainStep } from '../train/step';
import { checkCancelled } from './cancel';
import type { Score } from './evaluation';
import type { TrainingReporter } from './types';

export interface StepPlan {
  /** Builds the step's loss; runs under gradient recording, inside a tidy that frees whatever it creates. */
  loss: () => tf.Scalar;
  /** Forward FLOPs of the passes the loss makes, at their actual (padded) shapes. */
  forwardFlops: number;
}

export interface LoopSpec<B> {
  params: Map<string, tf.Variable>;
  training: CommonOptions;
  /** The training batches of epoch e (0-based); asked for again each time an epoch runs out. */
  epoch: (e: number) => B[];
  /** The loss of one step on one batch; `seed` seeds its dropout masks. */
  step: (batch: B, seed: number) => StepPlan;
  /** Scores the current weights on the dev set (dropout off); absent when there is no dev set. */
  evaluate?: () => Promise<Score & { flops: number }>;
  seed: number;
  reporter: TrainingReporter;
  signal?: AbortSignal;
  /** For reporting several consecutive loops (PET's pattern models) as one count of steps. */
  report?: { offset: number; total: number };
  /** Named in log lines, e.g. "pattern 2". */
  name?: string;
}

export interface LoopResult {
  steps: number;
  trainFlops: number;
  /** Forward FLOPs of the dev evaluations. */
  evalFlops: number;
}

/** Optimizer steps a run makes: maxSteps, or the epochs over `batchesPerEpoch` (a fraction rounds up). */
export function totalSteps(training: CommonOptions, batchesPerEpoch: number): number {
  if (training.maxSteps !== undefined) return training.maxSteps;
  if (batchesPerEpoch === 0) throw noExamples();
  return Math.max(1, Math.ceil((training.epochs ?? 1) * batchesPerEpoch));
}

function noExamples(): UserError {
  return new UserError('there are no training examples', { field: 'trainSizes' }, 'Give the run at least one labeled example.');
}

export async function trainLoop<B>(spec: LoopSpec<B>): Promise<LoopResult> {
  const { params, training, reporter } = spec;
  let batches = spec.epoch(0);
  if (batches.length === 0) throw noExamples();
  const total = totalSteps(training, batches.length);
  const lrAt = makeSchedule({ kind: training.schedule, peakLr: training.learningRate, totalSteps: total, warmup: { ratio: training.warmupRatio } });
  const stopper = spec.evaluate && training.earlyStoppingPatience > 0 ? new EarlyStopping({ patience: training.earlyStoppingPatience, mode: 'max' }) : undefined;
  const seeds = new Rng(spec.seed);
  const offset = spec.report?.offset ?? 0;
  const reportedTotal = spec.report?.total ?? total;
  const prefix = spec.name ? `${spec.name}: ` : '';
  const optimizer = new AdamW(params, { weightDecay: training.weightDecay });
  const result: LoopResult = { steps: 0, trainFlops: 0, evalFlops: 0 };
  try {
    let epoch = 0;
    let next = 0;
    for (let step = 0; step < total; step++) {
      await checkCancelled(spec.signal);
      if (next === batches.length) {
        batches = spec.epoch(++epoch);
        next = 0;
      }
      const plan = spec.step(batches[next++], seeds.fork());
      const lr = lrAt(step);
      const { loss } = trainStep({ params, loss: plan.loss, optimizer, lr, maxGradNorm: training.maxGradNorm > 0 ? training.maxGradNorm : undefined });
      result.steps = step + 1;
      result.trainFlops += trainStepFlops(plan.forwardFlops);
      reporter.step({ step: offset + step + 1, totalSteps: reportedTotal, loss, lr });
      if (spec.evaluate && (result.steps % training.evalEverySteps === 0 || result.steps === total)) {
        const e = await spec.evaluate();
        result.evalFlops += e.flops;
        reporter.evaluation({ step: offset + result.steps, split: 'dev', accuracy: e.accuracy, macroF1: e.macroF1 });
        if (stopper?.update(e.accuracy, params, result.steps).stop) {
          reporter.log(`${prefix}early stop at step ${result.steps}: dev accuracy has not improved for ${training.earlyStoppingPatience} evaluations`);
          break;
        }
      }
    }
    if (stopper?.restore(params)) reporter.log(`${prefix}kept the weights of step ${stopper.bestStep} (best dev accuracy ${stopper.best!.toFixed(4)})`);
  } finally {
    optimizer.dispose();
  }
  return result;
}
