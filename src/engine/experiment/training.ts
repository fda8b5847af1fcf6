// Training options for each method, with defaults taken from the practice the study builds on:
//   PET   — Schick & Schütze, EACL 2021, and its reference code (github.com/timoschick/pet, cli.py and README:
//           lr 1e-5, weight decay 0.01, max grad norm 1.0, no warm-up, sequence length 256, effective batch 16,
//           250 steps per pattern model, auxiliary MLM weight 1e-4 (`--alpha 0.9999` weights the PET loss),
//           soft-label temperature 2, train-accuracy-weighted ensemble `wmean`).
//   LM-BFF — Gao, Fisch & Chen, ACL 2021: few-shot fine-tuning with lr searched in {1e-5, 2e-5, 5e-5}, evaluated
//           on a dev set of the same size every 100 of 1000 steps, keeping the best checkpoint.
//   BERT  — Devlin et al. 2019: lr in {2e-5 … 5e-5}, batch 16/32, sequence length 128, linear decay, weight decay
//           0.01; RoBERTa (Liu et al. 2019) warms up over 6% of the steps.
//   Compact students — Turc et al. 2019 ("Well-Read Students Learn Better", the google/bert_uncased_L-*_H-*
//           models): lr in {3e-5 … 3e-4}, 4 epochs.
// Precedence: these defaults < the experiment's `training.<method>` < overrides inside a distill entry.
import type { ScheduleKind } from '../train/schedule';
import { childPath } from '../json/path';
import type { FieldReader, NumberRange } from '../json/fields';

export type Method = 'finetune' | 'prompt' | 'distill';
export const METHODS: readonly Method[] = ['finetune', 'prompt', 'distill'];

/** Options every method trains with. Exactly one of `maxSteps` and `epochs` is set. */
export interface CommonOptions {
  learningRate: number;
  batchSize: number;
  /** Optimizer steps to train for; wins over epochs, as transformers' `max_steps` does. */
  maxSteps?: number;
  epochs?: number;
  /** Fraction of all steps spent warming the learning rate up from 0. */
  warmupRatio: number;
  weightDecay: number;
  /** Global gradient-norm clipping; 0 turns it off (as transformers does). */
  maxGradNorm: number;
  /** Tokens per example after truncation. */
  maxLength: number;
  schedule: ScheduleKind;
  /** Evaluate on the dev set every this many steps (only when the dataset has a dev file). */
  evalEverySteps: number;
  /** Stop after this many dev evaluations without improvement of dev accuracy, keeping the best; 0 never stops early. */
  earlyStoppingPatience: number;
}

export type FinetuneOptions = CommonOptions;

export interface PromptOptions extends CommonOptions {
  /** Weight of the auxiliary masked-LM loss on the unlabeled pool (train rows not drawn as labeled, plus dataset.unlabeled), PET's 1 − α; 0 turns it off. */
  auxMlmWeight: number;
  /** Unlabeled examples per labeled example in a batch, for the auxiliary MLM loss. */
  unlabeledRatio: number;
  /** How the template's patterns are combined: equally, or weighted by each one's accuracy on the training set
   *  before training (PET's `wmean`). */
  ensemble: 'uniform' | 'trainAccuracy';
}

export interface DistillOptions extends CommonOptions {
  /** Softmax temperature of the teacher's soft labels and the student's distillation loss. */
  temperature: number;
  /** Weight of cross-entropy on gold labels; the soft-label loss gets 1 − alpha. 0 = soft labels only (as PET's final classifier). */
  alpha: number;
  /** At most this many unlabeled examples (training rows not drawn as labeled ones, plus the unlabeled file) are
   *  labeled by the teacher; 0 uses none (labeled examples only). */
  unlabeledCap: number;
}

export interface TrainingByMethod {
  finetune: FinetuneOptions;
  prompt: PromptOptions;
  distill: DistillOptions;
}
export type TrainingOptions = TrainingByMethod[Method];

export const DEFAULT_TRAINING: Readonly<TrainingByMethod> = {
  finetune: {
    learningRate: 2e-5, // BERT's recommended range starts at 2e-5; LM-BFF's few-shot search spans 1e-5 … 5e-5.
    batchSize: 16, // BERT; PET's effective batch.
    maxSteps: 250, // PET's few-shot budget, the same as for the prompt models it is compared with.
    warmupRatio: 0.06, // RoBERTa's GLUE recipe (PET and LM-BFF use 0).
    weightDecay: 0.01, // BERT, PET.
    maxGradNorm: 1.0, // transformers' default, PET.
    maxLength: 128, // BERT's GLUE setting.
    schedule: 'linear', // BERT, transformers' default.
    evalEverySteps: 50, // LM-BFF evaluates 10 times per run (every 100 of 1000 steps); 250 / 5 here.
    earlyStoppingPatience: 3, // Stops a run whose dev accuracy stalled for 3 evaluations; LM-BFF keeps the best.
  },
  prompt: {
    learningRate: 1e-5, // PET.
    batchSize: 16, // PET (2 × 8 gradient accumulation in its README).
    maxSteps: 250, // PET's pattern models.
    warmupRatio: 0, // PET (`--warmup_steps 0`).
    weightDecay: 0.01, // PET.
    maxGradNorm: 1.0, // PET.
    maxLength: 256, // PET (`--pet_max_seq_length 256`).
    schedule: 'linear', // PET (linear decay, no warm-up).
    evalEverySteps: 50,
    earlyStoppingPatience: 3,
    auxMlmWeight: 1e-4, // PET's α for the auxiliary language-modelling task.
    unlabeledRatio: 3, // PET's unlabeled-to-labeled ratio for the auxiliary task.
    ensemble: 'trainAccuracy', // PET's default reduction, `wmean`.
  },
  distill: {
    learningRate: 5e-5, // Turc et al.'s range for compact students (PET uses 1e-5 for its larger final classifier).
    batchSize: 16, // PET.
    epochs: 4, // Turc et al. (PET's command-line default for the final classifier is 3 epochs).
    warmupRatio: 0.06, // As for fine-tuning: the student is trained as a classifier.
    weightDecay: 0.01,
    maxGradNorm: 1.0,
    maxLength: 128, // Students are small and fast by design; BERT's GLUE setting.
    schedule: 'linear',
    evalEverySteps: 50,
    earlyStoppingPatience: 3,
    temperature: 2, // PET (`--temperature 2`).
    alpha: 0, // PET's final classifier learns from soft labels only.
    unlabeledCap: 10000, // The size of PET's unlabeled sets.
  },
};

/** How each option is checked; also the source the JSON schema's ranges are tested against. */
export interface OptionSpec {
  kind: 'number' | 'integer' | 'enum';
  range?: NumberRange;
  values?: readonly string[];
}

const COMMON_SPECS: Record<keyof CommonOptions, OptionSpec> = {
  learningRate: { kind: 'number', range: { above: 0, max: 1, example: '2e-5' } },
  batchSize: { kind: 'integer', range: { min: 1, example: 16 } },
  maxSteps: { kind: 'integer', range: { min: 1, example: 250 } },
  epochs: { kind: 'number', range: { above: 0, example: 3 } },
  warmupRatio: { kind: 'number', range: { min: 0, max: 1, example: 0.06 } },
  weightDecay: { kind: 'number', range: { min: 0, example: 0.01 } },
  maxGradNorm: { kind: 'number', range: { min: 0, example: 1.0 } },
  maxLength: { kind: 'integer', range: { min: 8, max: 8192, example: 128 } },
  schedule: { kind: 'enum', values: ['linear', 'constant'] },
  evalEverySteps: { kind: 'integer', range: { min: 1, example: 50 } },
  earlyStoppingPatience: { kind: 'integer', range: { min: 0, example: 3 } },
};

export const OPTION_SPECS: { [M in Method]: Record<keyof TrainingByMethod[M], OptionSpec> } = {
  finetune: COMMON_SPECS,
  prompt: {
    ...COMMON_SPECS,
    auxMlmWeight: { kind: 'number', range: { min: 0, example: '1e-4' } },
    unlabeledRatio: { kind: 'integer', range: { min: 1, example: 3 } },
    ensemble: { kind: 'enum', values: ['uniform', 'trainAccuracy'] },
  },
  distill: {
    ...COMMON_SPECS,
    temperature: { kind: 'number', range: { above: 0, example: 2 } },
    alpha: { kind: 'number', range: { min: 0, max: 1, example: 0.5 } },
    unlabeledCap: { kind: 'integer', range: { min: 0, example: 10000 } },
  },
};

/** Reads one layer of options (`training.prompt`, or a distill entry's `training`): only the keys it sets. */
export function parseTrainingLayer<M extends Method>(
  method: M,
  value: unknown,
  path: string,
  fields: FieldReader,
): Partial<TrainingByMethod[M]> {
  const obj = fields.object(value, path, `an object of ${method} training options`);
  const specs = OPTION_SPECS[method] as Record<string, OptionSpec>;
  fields.keys(obj, path, Object.keys(specs));
  if (obj.maxSteps !== undefined && obj.epochs !== undefined) {
    throw fields.error(childPath(path, 'epochs'), 'both "maxSteps" and "epochs" are set',
      'Keep one: maxSteps counts optimizer steps, epochs counts passes over the training data.');
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(obj)) {
    const spec = specs[key];
    const at = childPath(path, key);
    out[key] = spec.kind === 'enum' ? fields.oneOf(raw, at, spec.values ?? []) : fields.number(raw, at, { ...spec.range, integer: spec.kind === 'integer' });
  }
  return out as Partial<TrainingByMethod[M]>;
}

/** Applies layers in order; a layer that sets `maxSteps` or `epochs` replaces the training length below it. */
export function mergeTraining<T extends CommonOptions>(base: T, ...layers: Partial<T>[]): T {
  let merged: T = { ...base };
  for (const layer of layers) {
    if (layer.maxSteps !== undefined || layer.epochs !== undefined) {
      merged = { ...merged };
      delete merged.maxSteps;
      delete merged.epochs;
    }
    merged = { ...merged, ...stripUndefined(layer) };
  }
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
