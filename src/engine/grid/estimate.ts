// `--dry-run`: what each cell would cost before anything is trained. Training FLOPs are counted the way the methods
// count them (forward FLOPs of the shapes run, backward = 2× forward) but at the mean token length of a sample of
// the training data instead of each batch's padded length, so they are a slight underestimate; time adds the test
// set's evaluation and divides by a training rate measured on this machine's backend a moment before.
import type { Example } from '../data/example';
import { encoderForwardFlops, headForwardFlops, shapeOf, trainStepFlops, type ModelShape } from '../costs/flops';
import type { Cell } from '../experiment/cells';
import type { Experiment, ModelRef } from '../experiment/schema';
import type { BaseModel } from '../methods/types';
import { patternFiller } from '../prompt/fill';
import { resolveVerbalizer } from '../prompt/verbalizer';
import type { ModelCache } from './models';
import type { GridInputs } from './prepare';

export interface CellEstimate {
  cellId: string;
  runId: string;
  /** Whether a real run would train it, or skip it (already done, running elsewhere). */
  action: 'run' | 'skip';
  reason: string;
  /** Training FLOPs, including inference for training (teacher soft labels, PET's pattern weights). */
  trainFlops: number;
  /** Forward FLOPs of evaluating the test set. */
  evalFlops: number;
  /** (train + eval FLOPs) / the measured rate. */
  seconds: number;
}

/** Mean token counts over at most this many training rows. */
const SAMPLE = 256;

export async function estimateCell(
  e: Experiment,
  cell: Cell,
  inputs: GridInputs,
  models: ModelCache,
  gflops: number,
): Promise<Pick<CellEstimate, 'trainFlops' | 'evalFlops' | 'seconds'>> {
  const { splits, unlabeled } = inputs;
  const sample = splits.train.slice(0, SAMPLE);
  const n = cell.trainSize === 'all' ? splits.train.length : cell.trainSize;
  const numLabels = splits.labels.length;
  const student = await models.describe(cell.model);
  const studentShape = shapeOf(student.config);
  const classifierFwd = (shape: ModelShape, length: number) =>
    encoderForwardFlops(shape, length) + headForwardFlops(shape, { kind: 'classifier', numLabels });
  const classifierLength = (m: BaseModel, maxLength: number) => mean(sample.map((x) => m.tokenizer.encode(x.text, x.textPair, { maxLength }).inputIds.length));
  const stepsFor = (examples: number) => {
    const t = cell.training;
    return t.maxSteps ?? Math.ceil(((t.epochs ?? 1) * examples) / t.batchSize);
  };
  const perStep = (examples: number) => Math.min(cell.training.batchSize, examples);
  const testCount = splits.test.length;

  let train = 0;
  let aux = 0;
  let evalFlops = 0;
  if (cell.method === 'finetune') {
    const fwd = classifierFwd(studentShape, classifierLength(student, cell.training.maxLength));
    train = stepsFor(n) * perStep(n) * trainStepFlops(fwd);
    evalFlops = testCount * fwd;
  } else if (cell.method === 'prompt') {
    const p = promptForward(e, inputs, student, cell.training.maxLength, sample);
    if (!cell.zeroShot) {
      train = p.patterns * stepsFor(n) * perStep(n) * trainStepFlops(p.forward);
      if (cell.training.ensemble === 'trainAccuracy') aux += p.patterns * n * p.forward;
      const poolSize = splits.train.length - n + unlabeled.length;
      if (poolSize > 0 && cell.training.auxMlmWeight > 0) {
        // PET's auxiliary MLM on the pool: `unlabeledRatio` unlabeled texts per labeled one, ~15% of their tokens
        // masked, each projected over the whole vocabulary.
        const length = classifierLength(student, cell.training.maxLength);
        const mlm = encoderForwardFlops(studentShape, length) + headForwardFlops(studentShape, { kind: 'mlm', maskCount: Math.ceil(0.15 * length), vocabIds: studentShape.vocab });
        train += p.patterns * stepsFor(n) * perStep(n) * cell.training.unlabeledRatio * trainStepFlops(mlm);
      }
    }
    evalFlops = testCount * p.patterns * p.forward;
  } else {
    const poolSize = Math.min(splits.train.length - n + unlabeled.length, cell.training.unlabeledCap);
    const examples = n + poolSize;
    const fwd = classifierFwd(studentShape, classifierLength(student, cell.training.maxLength));
    train = stepsFor(examples) * perStep(examples) * trainStepFlops(fwd);
    aux = examples * (await teacherForward(e, cell, inputs, models, sample));
    evalFlops = testCount * fwd;
  }
  const trainFlops = train + aux;
  return { trainFlops, evalFlops, seconds: (trainFlops + evalFlops) / (gflops * 1e9) };
}

/** Forward FLOPs of one example through every pattern model (the ensemble), at the mean filled-pattern length. */
function promptForward(e: Experiment, inputs: GridInputs, model: BaseModel, maxLength: number, sample: readonly Example[]): { patterns: number; forward: number } {
  const template = inputs.template!;
  const shape = shapeOf(model.config);
  const verbalizer = resolveVerbalizer(template, model.tokenizer, inputs.splits.labels, template.file);
  const vocabIds = verbalizer.tokenIds.reduce((a, ids) => a + ids.length, 0);
  const lengths = template.parsed.map((p) => {
    const fill = patternFiller(p, model.tokenizer, maxLength, e.dataset.train);
    return mean(sample.map((x) => fill(x).inputIds.length));
  });
  const forward = mean(lengths.map((l) => encoderForwardFlops(shape, l) + headForwardFlops(shape, { kind: 'mlm', maskCount: 1, vocabIds })));
  return { patterns: template.parsed.length, forward };
}

async function teacherForward(e: Experiment, cell: Cell & { method: 'distill' }, inputs: GridInputs, models: ModelCache, sample: readonly Example[]): Promise<number> {
  const ref: ModelRef | undefined = cell.teacher.model;
  // A teacher from another experiment: its shape is in its saved model, which a dry run does not read; the student's
  // shape stands in for it.
  const teacher = await models.describe(ref ?? cell.model);
  const shape = shapeOf(teacher.config);
  if (cell.teacher.method === 'prompt') {
    const p = promptForward(e, inputs, teacher, e.training.prompt.maxLength, sample);
    return p.patterns * p.forward;
  }
  const maxLength = e.training.finetune.maxLength;
  const length = mean(sample.map((x) => teacher.tokenizer.encode(x.text, x.textPair, { maxLength }).inputIds.length));
  return encoderForwardFlops(shape, length) + headForwardFlops(shape, { kind: 'classifier', numLabels: inputs.splits.labels.length });
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
