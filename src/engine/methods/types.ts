// The contract between the grid runner (which prepares data, models and the run record, and measures costs) and
// the three adaptation methods (which train and predict). A method never touches the run store; the runner never
// builds a loss.
import type { Example } from '../data/example';
import type { UnlabeledExample } from '../data/pool';
import type { DistillOptions, FinetuneOptions, PromptOptions } from '../experiment/training';
import type { BertConfig } from '../model/config';
import type { PromptTemplate } from '../prompt/template';
import type { TensorMap } from '../tensors';
import type { Tokenizer } from '../tokenizer';

/** A model to start from: loaded from a Hugging Face folder, or randomly initialised (then `notice` says so). */
export interface BaseModel {
  /** As the experiment names it (a Hub id or a folder). */
  name: string;
  config: BertConfig;
  tokenizer: Tokenizer;
  /** Pre-trained weights by Hugging Face name; undefined: random initialisation from the run's seed. */
  weights?: TensorMap;
  /** The folder the weights came from, for messages. */
  source?: string;
  /** Set when the numbers this model produces demonstrate the workflow, not the method (random init). */
  notice?: string;
}

/** An input to classify; labels, when present, are ignored by predictors. */
export type TextInput = Pick<Example, 'text' | 'textPair'>;

/** What methods report while they train; the runner writes it to metrics.jsonl and to progress. */
export interface TrainingReporter {
  step(s: { step: number; totalSteps: number; loss: number; lr: number }): void;
  evaluation(e: { step: number; split: 'dev' | 'train'; accuracy: number; macroF1: number }): void;
  log(line: string): void;
}

/** FLOPs accumulated from the shapes actually run (padded batch lengths, vocabulary ids projected), backward = 2× forward. */
export interface FlopsTally {
  train: number;
  /** Forward FLOPs spent on predictions needed for training (teacher soft labels, PET's train-accuracy weights). */
  auxiliaryInference: number;
}

/** A trained (or zero-shot) classifier: class probabilities in `labels` order. */
export interface Predictor {
  readonly labels: string[];
  /** Probabilities per input, in input order; batches by length internally. */
  predict(inputs: readonly TextInput[], opts?: { batchSize?: number }): Promise<Float32Array[]>;
  /** Forward FLOPs to classify one input of `tokens` tokens (after the method's pattern/special tokens are added). */
  inferFlops(tokens: number): number;
  /** Token count the predictor actually feeds the model for this input (pattern words and specials included). */
  inputLength(input: TextInput): number;
  /** Writes the model(s) as Hugging Face folder(s) plus `adapt-lab.json` (method, labels, template, ensemble weights), so `loadPredictor` can restore it and transformers can load each model. */
  save(dir: string): Promise<void>;
  dispose(): void;
}

interface MethodInputBase {
  model: BaseModel;
  /** Class order: index i of every probability vector is labels[i]. */
  labels: string[];
  /** The labeled sample for this cell (empty for zero-shot). */
  train: Example[];
  /** For early stopping, when the dataset has a dev split. */
  dev?: Example[];
  /** The unlabeled pool (train remainder with labels hidden, plus the unlabeled file). */
  pool: UnlabeledExample[];
  seed: number;
  reporter: TrainingReporter;
  /** Cancellation: methods check it between steps and throw `CancelledError`. */
  signal?: AbortSignal;
}

export type MethodInput =
  | (MethodInputBase & { method: 'finetune'; training: FinetuneOptions })
  | (MethodInputBase & { method: 'prompt'; training: PromptOptions; template: PromptTemplate; zeroShot: boolean })
  | (MethodInputBase & {
      method: 'distill';
      training: DistillOptions;
      /** The finished teacher run's predictor (loaded from its saved model) and its run folder, where soft labels are cached. */
      teacher: { predictor: Predictor; runDir: string; labeled: number };
    });

export interface MethodOutput {
  predictor: Predictor;
  flops: FlopsTally;
  /** Data cost: labeled examples used (a student's includes its teacher's), unlabeled examples used. */
  data: { labeled: number; unlabeled: number };
  steps: number;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}
