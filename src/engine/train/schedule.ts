// Learning-rate schedules as transformers defines them (`get_linear_schedule_with_warmup`,
// `get_constant_schedule_with_warmup`), so the same settings give the same learning rates as the reference recipe.
// `step` is the 0-based index of the optimizer step about to run: transformers steps the scheduler after the
// optimizer, so optimizer step k uses lr_lambda(k) — with warm-up the very first update uses a learning rate of 0.
import { UserError } from '../errors';

export type ScheduleKind = 'linear' | 'constant';

/** Warm-up as a number of steps, or as a fraction of all training steps (transformers' `warmup_ratio`). */
export type Warmup = { steps: number } | { ratio: number };

export interface ScheduleOptions {
  kind: ScheduleKind;
  /** The learning rate reached at the end of warm-up. */
  peakLr: number;
  /** Total optimizer steps of the run. */
  totalSteps: number;
  warmup?: Warmup;
  /** The settings file, named in error messages. */
  file?: string;
}

/** Warm-up steps for a run; a ratio rounds up, as transformers' `TrainingArguments.get_warmup_steps` does. */
export function warmupSteps(totalSteps: number, warmup: Warmup | undefined): number {
  if (warmup === undefined) return 0;
  return 'steps' in warmup ? warmup.steps : Math.ceil(totalSteps * warmup.ratio);
}

/** transformers' linear schedule: 0 → 1 over the warm-up, then 1 → 0 at `totalSteps`. */
export function linearWithWarmup(step: number, warmup: number, totalSteps: number): number {
  if (step < warmup) return step / Math.max(1, warmup);
  return Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmup));
}

/** transformers' constant schedule with warm-up: 0 → 1 over the warm-up, then 1. */
export function constantWithWarmup(step: number, warmup: number): number {
  if (step < warmup) return step / Math.max(1, warmup);
  return 1;
}

/** The learning rate for each 0-based optimizer step. */
export function makeSchedule(opts: ScheduleOptions): (step: number) => number {
  const { kind, peakLr, totalSteps, file } = opts;
  const bad = (field: string, problem: string, fix: string) => new UserError(problem, { file, field }, fix);
  if (!(Number.isFinite(peakLr) && peakLr > 0)) {
    throw bad('learning_rate', `The learning rate is ${peakLr}, not a positive number`,
      'Set learning_rate to a positive number such as 2e-5.');
  }
  if (!(Number.isInteger(totalSteps) && totalSteps >= 1)) {
    throw bad('max_steps', `The run has ${totalSteps} optimizer steps; it needs at least one`,
      'Add training examples, lower the batch size, or raise the number of epochs.');
  }
  const w = opts.warmup;
  if (w !== undefined && 'steps' in w && !(Number.isInteger(w.steps) && w.steps >= 0)) {
    throw bad('warmup_steps', `warmup_steps is ${w.steps}, not a whole number ≥ 0`, 'Set warmup_steps to 0 or more.');
  }
  if (w !== undefined && 'ratio' in w && !(Number.isFinite(w.ratio) && w.ratio >= 0 && w.ratio <= 1)) {
    throw bad('warmup_ratio', `warmup_ratio is ${w.ratio}, not a fraction between 0 and 1`,
      'Set warmup_ratio to a value such as 0.06 or 0.1.');
  }
  const warmup = warmupSteps(totalSteps, w);
  if (kind === 'linear') return (step) => peakLr * linearWithWarmup(step, warmup, totalSteps);
  return (step) => peakLr * constantWithWarmup(step, warmup);
}
