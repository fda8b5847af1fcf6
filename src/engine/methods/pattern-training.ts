// Training one PET pattern model: cross-entropy over the verbalizer's class logits at [MASK] on labeled batches,
// optionally mixed with the auxiliary masked-LM loss on unlabeled text as PET weights it,
//   loss = (1 − α)·CE + α·MLM,   α = auxMlmWeight (PET's `--alpha 0.9999` is α = 1e-4 here),
// where each step's unlabeled batch holds unlabeledRatio × batchSize pattern-filled pool examples, corrupted
// BERT-style, with full-vocabulary logits at the corrupted positions.
import * as tf from '@tensorflow/tfjs';
import type { UnlabeledExample } from '../data/pool';
import type { PromptOptions } from '../experiment/training';
import { crossEntropy } from '../model/loss';
import type { FilledPattern } from '../prompt/fill';
import { Rng } from '../rng';
import { evalBatches, toTensors, trainBatches } from '../train/batching';
import { DEFAULT_PREDICT_BATCH } from './classifier-predictor';
import { score } from './evaluation';
import { mlmForwardFlops } from './flops';
import { trainLoop, type LoopResult } from './loop';
import { maskBatch } from './mlm-masking';
import type { PatternModel } from './pattern-model';
import { deriveSeed } from './seeds';
import type { TextInput, TrainingReporter } from './types';
import { UnlabeledStream } from './unlabeled-stream';

export interface PatternTraining {
  pattern: PatternModel;
  /** Pattern-filled labeled examples with their class indices. */
  examples: (FilledPattern & { label: number })[];
  dev?: { inputs: readonly TextInput[]; gold: number[] };
  /** The pool for the auxiliary MLM loss; unused when auxMlmWeight is 0. */
  pool: readonly UnlabeledExample[];
  /** Receives the pool indices the auxiliary loss drew. */
  unlabeledSeen: Set<number>;
  training: PromptOptions;
  seed: number;
  labels: string[];
  reporter: TrainingReporter;
  signal?: AbortSignal;
  report: { offset: number; total: number };
  name: string;
}

export async function trainPattern(t: PatternTraining): Promise<LoopResult> {
  const { pattern, training, seed } = t;
  const model = pattern.model;
  const tokenizer = pattern.tokenizer;
  const padId = tokenizer.specialIds.pad;
  const alpha = t.pool.length > 0 ? training.auxMlmWeight : 0;
  const stream = new UnlabeledStream(t.pool, deriveSeed(seed, 'unlabeled'), t.unlabeledSeen);
  const masking = new Rng(deriveSeed(seed, 'masking'));

  return trainLoop({
    params: model.trainableParams('mlm'),
    training,
    epoch: (e) => trainBatches(t.examples, { batchSize: training.batchSize, padId, seed: deriveSeed(seed, 'batches'), epoch: e }),
    step: (batch, dropoutSeed) => {
      let forwardFlops = pattern.forwardFlops(batch.size, batch.seqLen);
      const aux = alpha > 0 ? auxBatch() : undefined;
      if (aux) forwardFlops += mlmForwardFlops(model.config, aux.batch.size, aux.batch.seqLen, aux.positions.length, model.config.vocabSize);
      return {
        forwardFlops,
        loss: () => {
          const ce = crossEntropy(pattern.classLogits(batch, { training: true, seed: dropoutSeed }), tf.tensor1d(batch.items.map((e) => e.label), 'int32'));
          if (!aux) return ce;
          const words = model.mlmLogits(toTensors(aux.batch), tf.tensor1d(aux.positions, 'int32'), undefined, { training: true, seed: deriveSeed(dropoutSeed, 'mlm') });
          const lm = crossEntropy(words, tf.tensor1d(aux.targets, 'int32'));
          return tf.add(tf.mul(ce, 1 - alpha), tf.mul(lm, alpha)) as tf.Scalar;
        },
      };
    },
    evaluate: t.dev && (async () => {
      const { rows, flops } = await pattern.logits(t.dev!.inputs, DEFAULT_PREDICT_BATCH);
      return { ...score(rows, t.dev!.gold, t.labels), flops };
    }),
    seed: deriveSeed(seed, 'dropout'),
    reporter: t.reporter,
    signal: t.signal,
    report: t.report,
    name: t.name,
  });

  function auxBatch() {
    const examples = stream.take(training.unlabeledRatio * training.batchSize).map(pattern.fill);
    const padded = evalBatches(examples, { batchSize: examples.length, padId })[0];
    const masked = maskBatch(padded, tokenizer.specialIds, model.config.vocabSize, masking);
    // Only special tokens (empty texts): nothing to predict, so no auxiliary loss this step.
    return masked.positions.length > 0 ? masked : undefined;
  }
}
