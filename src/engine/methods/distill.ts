// Knowledge distillation (Hinton et al. 2015), as PET trains its final classifier: a student classifier learns
// the teacher's soft labels on the labeled examples plus a seeded sample of at most `unlabeledCap` pool
// examples, with loss = α·CE(gold labels, on the labeled rows) + (1 − α)·KL(teacher ‖ student)·T² (losses.ts).
// The student may be any BERT, typically a smaller one than the teacher.
import * as tf from '@tensorflow/tfjs';
import { buildPool } from '../data/pool';
import { UserError } from '../errors';
import { crossEntropy } from '../model/loss';
import { toTensors, trainBatches } from '../train/batching';
import { createModel } from './base-model';
import { classifierDevEvaluator, ClassifierPredictor, DEFAULT_PREDICT_BATCH } from './classifier-predictor';
import { classifierForwardFlops } from './flops';
import { classifierEncoder, encodeDevSet, labelIndices } from './inputs';
import { trainLoop } from './loop';
import { distillationLoss } from './losses';
import { deriveSeed } from './seeds';
import { teacherSoftLabels } from './soft-labels';
import type { MethodInput, MethodOutput, TextInput } from './types';

export type DistillInput = Extract<MethodInput, { method: 'distill' }>;

export async function runDistill(input: DistillInput): Promise<MethodOutput> {
  const { model: base, labels, train, training, seed, reporter, teacher } = input;
  if (teacher.predictor.labels.length !== labels.length || teacher.predictor.labels.some((l, i) => l !== labels[i])) {
    throw new UserError(`the teacher predicts the labels ${teacher.predictor.labels.join(', ')}, not this task's ${labels.join(', ')}`,
      { file: teacher.runDir }, 'Distill from a teacher trained on the same dataset.');
  }
  const { temperature: T, alpha } = training;
  const sample = buildPool({ unlabeled: input.pool }, { cap: training.unlabeledCap, seed: deriveSeed(seed, 'pool') });
  const inputs: TextInput[] = [...train, ...sample].map((x) => (x.textPair === undefined ? { text: x.text } : { text: x.text, textPair: x.textPair }));
  const soft = await teacherSoftLabels({ teacher: teacher.predictor, runDir: teacher.runDir, inputs, batchSize: DEFAULT_PREDICT_BATCH, reporter, signal: input.signal });
  reporter.log(`${soft.cached ? 'reused' : 'computed'} the teacher's soft labels for ${inputs.length} examples (${soft.file})`);

  const tokenizer = base.tokenizer;
  const padId = tokenizer.specialIds.pad;
  const encode = classifierEncoder(tokenizer, training.maxLength);
  // Gold labels only where they are used; −1 marks a row that has none (a pool example).
  const gold = alpha > 0 ? labelIndices(train, labels, 'train') : [];
  const items = inputs.map((x, i) => ({ ...encode(x), teacher: soft.logProbs[i], label: i < gold.length ? gold[i] : -1 }));
  const dev = encodeDevSet(input.dev, encode, labels);

  const model = createModel(base, { mlm: false, classifier: { numLabels: labels.length } }, seed, reporter);
  try {
    const result = await trainLoop({
      params: model.trainableParams('classifier'),
      training,
      epoch: (e) => trainBatches(items, { batchSize: training.batchSize, padId, seed: deriveSeed(seed, 'batches'), epoch: e }),
      step: (batch, dropoutSeed) => ({
        forwardFlops: classifierForwardFlops(base.config, labels.length, batch.size, batch.seqLen),
        loss: () => {
          const logits = model.classifyLogits(toTensors(batch), { training: true, seed: dropoutSeed });
          const targets = new Float32Array(batch.size * labels.length);
          batch.items.forEach((e, row) => targets.set(e.teacher, row * labels.length));
          const kd = distillationLoss(logits, tf.tensor2d(targets, [batch.size, labels.length]), T);
          const rows = batch.items.flatMap((e, row) => (e.label >= 0 ? [row] : []));
          if (alpha === 0 || rows.length === 0) return tf.mul(kd, 1 - alpha) as tf.Scalar;
          const ce = crossEntropy(tf.gather(logits, tf.tensor1d(rows, 'int32')) as tf.Tensor2D, tf.tensor1d(rows.map((r) => batch.items[r].label), 'int32'));
          return tf.add(tf.mul(ce, alpha), tf.mul(kd, 1 - alpha)) as tf.Scalar;
        },
      }),
      evaluate: dev && classifierDevEvaluator(model, dev, labels, padId),
      seed: deriveSeed(seed, 'dropout'),
      reporter,
      signal: input.signal,
    });
    return {
      predictor: new ClassifierPredictor(model, tokenizer, labels, training.maxLength, 'distill'),
      flops: { train: result.trainFlops, auxiliaryInference: soft.flops + result.evalFlops },
      // The student's labeled examples are its teacher's (the same sample), counted once.
      data: { labeled: Math.max(teacher.labeled, gold.length), unlabeled: sample.length },
      steps: result.steps,
    };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
