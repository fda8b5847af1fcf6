// A sequence classifier (fine-tuned, or a distilled student) as a Predictor: the tokenizer's encoding, batches
// sorted by length so each is padded only to its own longest input, softmax over the classifier's logits.
import * as tf from '@tensorflow/tfjs';
import type { Bert } from '../model/bert';
import type { Tokenizer } from '../tokenizer';
import { evalBatches, restoreOrder, toTensors, type Batch, type TokenizedExample } from '../train/batching';
import { score, softmaxRow } from './evaluation';
import { classifierForwardFlops } from './flops';
import { takeRows } from './host';
import { classifierEncoder } from './inputs';
import { writeManifest } from './manifest';
import { writeModelFolder } from './model-folder';
import type { Predictor, TextInput } from './types';
import { yieldToEvents } from './cancel';

export const DEFAULT_PREDICT_BATCH = 32;

/** The classifier's logits for one padded batch, dropout off, as host rows. */
export function classifierBatchLogits(model: Bert, batch: Batch): Float32Array[] {
  return takeRows(tf.tidy(() => model.classifyLogits(toTensors(batch))));
}

/** The dev-set evaluation a classifier's training loop runs for early stopping: accuracy/F1 and the FLOPs it cost. */
export function classifierDevEvaluator(model: Bert, dev: { encoded: readonly TokenizedExample[]; gold: readonly number[] }, labels: readonly string[], padId: number) {
  return async () => {
    const { rows, flops } = await classifierLogits(model, dev.encoded, DEFAULT_PREDICT_BATCH, padId);
    return { ...score(rows, dev.gold, labels), flops };
  };
}

/** Logits for many encoded inputs, in their order, with the forward FLOPs of the padded batches run. */
export async function classifierLogits(model: Bert, encoded: readonly TokenizedExample[], batchSize: number, padId: number): Promise<{ rows: Float32Array[]; flops: number }> {
  const numLabels = model.heads.classifier!.numLabels;
  const batches = evalBatches(encoded, { batchSize, padId });
  const results: Float32Array[][] = [];
  let flops = 0;
  for (const b of batches) {
    await yieldToEvents(); // keeps the event loop responsive on large inputs
    results.push(classifierBatchLogits(model, b));
    flops += classifierForwardFlops(model.config, numLabels, b.size, b.seqLen);
  }
  return { rows: restoreOrder(batches, results), flops };
}

export class ClassifierPredictor implements Predictor {
  private readonly encode: (input: TextInput) => TokenizedExample;

  constructor(
    /** Owned: disposed with the predictor. */
    readonly model: Bert,
    readonly tokenizer: Tokenizer,
    readonly labels: string[],
    readonly maxLength: number,
    readonly method: 'finetune' | 'distill',
  ) {
    if (model.heads.classifier?.numLabels !== labels.length) throw new Error(`ClassifierPredictor: the model has no classifier head for ${labels.length} labels`);
    this.encode = classifierEncoder(tokenizer, maxLength);
  }

  async predict(inputs: readonly TextInput[], opts: { batchSize?: number } = {}): Promise<Float32Array[]> {
    const { rows } = await classifierLogits(this.model, inputs.map(this.encode), opts.batchSize ?? DEFAULT_PREDICT_BATCH, this.tokenizer.specialIds.pad);
    return rows.map(softmaxRow);
  }

  inferFlops(tokens: number): number {
    return classifierForwardFlops(this.model.config, this.labels.length, 1, tokens);
  }

  inputLength(input: TextInput): number {
    return this.encode(input).inputIds.length;
  }

  async save(dir: string): Promise<void> {
    // The class names go into config.json as transformers' id2label, so the folder is a complete classifier there too.
    await writeModelFolder(dir, this.model, this.tokenizer, this.labels);
    await writeManifest(dir, { method: this.method, labels: this.labels, maxLength: this.maxLength });
  }

  dispose(): void {
    this.model.dispose();
  }
}
