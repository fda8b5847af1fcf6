// One PET pattern model: a BERT with its masked-LM head, the pattern that frames each input around one [MASK],
// and the verbalizer. A class's logit is the MLM logit of its word at the [MASK] — the mean over its words when it
// has several, as PET's convert_mlm_logits_to_cls_logits does — computed for the verbalizer's ids only (an
// H×K product instead of H×V, K being a handful of words).
import * as tf from '@tensorflow/tfjs';
import type { Bert, ForwardOptions } from '../model/bert';
import { linear } from '../model/ops';
import { patternFiller, type FilledPattern } from '../prompt/fill';
import type { ResolvedVerbalizer } from '../prompt/verbalizer';
import type { Tokenizer } from '../tokenizer';
import { evalBatches, restoreOrder, toTensors, type Batch } from '../train/batching';
import { yieldToEvents } from './cancel';
import { mlmForwardFlops } from './flops';
import { takeRows } from './host';
import type { TextInput } from './types';

export type Verbalizer = Pick<ResolvedVerbalizer, 'labels' | 'words' | 'tokenIds'>;

export class PatternModel {
  readonly fill: (input: TextInput) => FilledPattern;
  /** Every verbalizer id, label after label: the K columns the MLM head projects onto. */
  private readonly vocabIds: number[];
  /** [K, C]: column c holds 1/n_c at the rows of label c's n_c words, so (MLM logits)·mean = class logits. */
  private readonly mean: Float32Array;

  constructor(
    /** Owned: disposed with the pattern model. */
    readonly model: Bert,
    readonly pattern: string,
    readonly verbalizer: Verbalizer,
    readonly tokenizer: Tokenizer,
    readonly maxLength: number,
  ) {
    if (!model.heads.mlm) throw new Error('PatternModel: the model has no masked-LM head');
    this.fill = patternFiller(pattern, tokenizer, maxLength);
    this.vocabIds = verbalizer.tokenIds.flat();
    const c = verbalizer.tokenIds.length;
    this.mean = new Float32Array(this.vocabIds.length * c);
    let k = 0;
    verbalizer.tokenIds.forEach((ids, label) => {
      for (let j = 0; j < ids.length; j++, k++) this.mean[k * c + label] = 1 / ids.length;
    });
  }

  get numWords(): number {
    return this.vocabIds.length;
  }

  /** Class logits [B, C] for a batch of filled patterns; differentiable when called under gradient recording. */
  classLogits(batch: Batch<FilledPattern>, options: ForwardOptions = {}): tf.Tensor2D {
    return tf.tidy(() => {
      const positions = tf.tensor1d(batch.items.map((e, row) => row * batch.seqLen + e.maskPosition), 'int32');
      const words = this.model.mlmLogits(toTensors(batch), positions, tf.tensor1d(this.vocabIds, 'int32'), options);
      return linear(words, tf.tensor2d(this.mean, [this.vocabIds.length, this.verbalizer.tokenIds.length]));
    });
  }

  /** Forward FLOPs of one padded batch: the encoder, and the MLM head at one [MASK] per row over K words. */
  forwardFlops(rows: number, seqLen: number): number {
    return mlmForwardFlops(this.model.config, rows, seqLen, rows, this.vocabIds.length);
  }

  /** Class logits for many inputs, in their order (dropout off), with the FLOPs of the batches run. */
  async logits(inputs: readonly TextInput[], batchSize: number): Promise<{ rows: Float32Array[]; flops: number }> {
    const batches = evalBatches(inputs.map(this.fill), { batchSize, padId: this.tokenizer.specialIds.pad });
    const results: Float32Array[][] = [];
    let flops = 0;
    for (const b of batches) {
      await yieldToEvents();
      results.push(takeRows(this.classLogits(b)));
      flops += this.forwardFlops(b.size, b.seqLen);
    }
    return { rows: restoreOrder(batches, results), flops };
  }

  dispose(): void {
    this.model.dispose();
  }
}
