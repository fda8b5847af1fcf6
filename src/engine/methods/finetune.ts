// Standard fine-tuning (Devlin et al. 2019): the encoder plus the pooler and a new classification head on
// [CLS], all trained with cross-entropy on the labeled examples.
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from '../model/loss';
import { toTensors, trainBatches } from '../train/batching';
import { createModel } from './base-model';
import { classifierDevEvaluator, ClassifierPredictor } from './classifier-predictor';
import { classifierForwardFlops } from './flops';
import { classifierEncoder, encodeDevSet, labelIndices, withLabels } from './inputs';
import { trainLoop } from './loop';
import { deriveSeed } from './seeds';
import type { MethodInput, MethodOutput } from './types';

export type FinetuneInput = Extract<MethodInput, { method: 'finetune' }>;

export async function runFinetune(input: FinetuneInput): Promise<MethodOutput> {
  const { model: base, labels, train, dev, training, seed, reporter } = input;
  const tokenizer = base.tokenizer;
  const padId = tokenizer.specialIds.pad;
  const encode = classifierEncoder(tokenizer, training.maxLength);
  const items = withLabels(train.map(encode), labelIndices(train, labels, 'train'));
  const devSet = encodeDevSet(dev, encode, labels);

  const model = createModel(base, { mlm: false, classifier: { numLabels: labels.length } }, seed, reporter);
  try {
    const result = await trainLoop({
      params: model.trainableParams('classifier'),
      training,
      epoch: (e) => trainBatches(items, { batchSize: training.batchSize, padId, seed: deriveSeed(seed, 'batches'), epoch: e }),
      step: (batch, dropoutSeed) => ({
        loss: () => {
          const logits = model.classifyLogits(toTensors(batch), { training: true, seed: dropoutSeed });
          return crossEntropy(logits, tf.tensor1d(batch.items.map((e) => e.label), 'int32'));
        },
        forwardFlops: classifierForwardFlops(base.config, labels.length, batch.size, batch.seqLen),
      }),
      evaluate: devSet && classifierDevEvaluator(model, devSet, labels, padId),
      seed: deriveSeed(seed, 'dropout'),
      reporter,
      signal: input.signal,
    });
    return {
      predictor: new ClassifierPredictor(model, tokenizer, labels, training.maxLength, 'finetune'),
      // Dev evaluations are forward passes made to train (to choose the weights kept), so they count as auxiliary.
      flops: { train: result.trainFlops, auxiliaryInference: result.evalFlops },
      data: { labeled: train.length, unlabeled: 0 },
      steps: result.steps,
    };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
