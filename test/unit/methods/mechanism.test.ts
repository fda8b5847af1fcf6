// The mechanism behind the study's headline result, shown end to end on a micro model pre-trained here:
// with 10 labels, prompting beats fine-tuning because the verbalizer re-uses what masked-LM pre-training learned
// (which words predict "great" or "terrible" at the end of a review), while a new classifier head must learn the
// task from 10 examples; and a student distilled from the prompted teacher on unlabeled text keeps most of that
// lead. The corpus is synthetic: reviews "the <thing> was <cue> . it was <verdict> ." where 12 cue words go with
// "great" and 12 with "terrible". The task, "the <thing> was <cue> .", is labeled by the cue's group; 10 labeled
// examples can show at most 10 of the 24 cues, while pre-training has seen them all.
import { Bert } from '../../../src/engine/model/bert';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Example } from '../../../src/engine/data/example';
import { maskBatch } from '../../../src/engine/methods/mlm-masking';
import { runMethod } from '../../../src/engine/methods/run-method';
import type { BaseModel, Predictor } from '../../../src/engine/methods/types';
import { crossEntropy } from '../../../src/engine/model/loss';
import { exportWeights } from '../../../src/engine/model/weights';
import { Rng } from '../../../src/engine/rng';
import type { Tokenizer } from '../../../src/engine/tokenizer';
import { AdamW } from '../../../src/engine/train/adamw';
import { evalBatches, toTensors } from '../../../src/engine/train/batching';
import { trainStep } from '../../../src/engine/train/step';
import { DEFAULT_TRAINING, fixtureTokenizer, recorder, startBackend, template, tinyConfig } from './helpers';

const POSITIVE = ['good', 'nice', 'fine', 'lovely', 'superb', 'brilliant', 'wonderful', 'excellent', 'perfect', 'beautiful', 'amazing', 'fantastic'];
const NEGATIVE = ['bad', 'awful', 'poor', 'horrible', 'dull', 'boring', 'weak', 'ugly', 'stupid', 'silly', 'dreadful', 'nasty'];
const THINGS = ['film', 'movie', 'show', 'book', 'story', 'song', 'meal', 'game', 'hotel', 'trip'];
const LABELS = ['negative', 'positive'];
const SEEDS = [1, 2, 3];
const TEMPLATE = template(['{text} it was [MASK] .'], { negative: 'terrible', positive: 'great' });

function review(rng: Rng): { text: string; label: string } {
  const label = LABELS[rng.int(2)];
  const cues = label === 'positive' ? POSITIVE : NEGATIVE;
  return { text: `the ${THINGS[rng.int(THINGS.length)]} was ${cues[rng.int(cues.length)]} .`, label };
}
/** [CLS] the <thing> was <cue> . it was <verdict> . [SEP]: the verdict is token 8. */
const VERDICT_POSITION = 8;
const verdict = (label: string) => (label === 'positive' ? 'great' : 'terrible');
const examples = (n: number, seed: number): Example[] => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => ({ ...review(rng), line: i + 1 }));
};

let tokenizer: Tokenizer;
let pretrained: BaseModel;
const tmp = mkdtempSync(path.join(tmpdir(), 'adapt-lab-mechanism-'));
const log = (line: string) => console.log(line);

/**
 * Masked-LM pre-training of a micro BERT (L1, H64) on the synthetic reviews. The MLM softmax runs over the
 * working vocabulary (the corpus's ~40 words) rather than all 30,522 ids: the same loss restricted to the words
 * that occur, affordable on two CPU cores.
 */
async function pretrain(steps: number): Promise<BaseModel> {
  const config = tinyConfig({ hidden_size: 64, intermediate_size: 128, num_attention_heads: 2 });
  const model = Bert.create(config, { heads: { mlm: true }, seed: 11 });
  const words = [...new Set(['the', 'was', '.', 'it', 'great', 'terrible', ...POSITIVE, ...NEGATIVE, ...THINGS])];
  const vocab = words.map((w) => tokenizer.tokenToId(w)!);
  const index = new Map(vocab.map((id, i) => [id, i]));
  const params = model.trainableParams('mlm');
  const optimizer = new AdamW(params, { weightDecay: 0.01 });
  const rng = new Rng(5);
  const t0 = Date.now();
  let last = 0;
  for (let s = 0; s < steps; s++) {
    const batch = evalBatches(Array.from({ length: 32 }, () => {
      const r = review(rng);
      return tokenizer.encode(`${r.text} it was ${verdict(r.label)} .`);
    }), { batchSize: 32, padId: tokenizer.specialIds.pad })[0];
    // Random replacements come from the working vocabulary too (maskBatch draws an index into it).
    const masked = maskBatch(batch, tokenizer.specialIds, vocab.length, rng);
    const chosen = new Set(masked.positions);
    masked.batch.inputIds.forEach((id, i) => {
      if (chosen.has(i) && id < vocab.length) masked.batch.inputIds[i] = vocab[id];
    });
    // BERT's 15% masks the verdict of only ~5 of the 32 reviews, and among ~50 targets a step; masking it in half
    // of them as well makes the cue → verdict association, the one prompting will use, take a few hundred steps
    // rather than thousands.
    for (let row = 0; row < batch.size; row++) {
      const at = row * batch.seqLen + VERDICT_POSITION;
      if (!chosen.has(at) && rng.next() < 0.5) {
        masked.positions.push(at);
        masked.targets.push(batch.inputIds[at]);
        masked.batch.inputIds[at] = tokenizer.specialIds.mask;
      }
    }
    const { loss } = trainStep({
      params, optimizer, lr: 2e-3, maxGradNorm: 1,
      loss: () => crossEntropy(
        model.mlmLogits(toTensors(masked.batch), tf.tensor1d(masked.positions, 'int32'), tf.tensor1d(vocab, 'int32'), { training: true, seed: s }),
        tf.tensor1d(masked.targets.map((t) => index.get(t)!), 'int32')),
    });
    last = loss;
  }
  optimizer.dispose();
  log(`pre-training: ${steps} MLM steps in ${((Date.now() - t0) / 1000).toFixed(1)} s, last loss ${last.toFixed(3)}`);
  const weights = exportWeights(model);
  model.dispose();
  return { name: 'micro-pretrained', config, tokenizer, weights };
}

before(async () => {
  await startBackend();
  tokenizer = await fixtureTokenizer();
  pretrained = await pretrain(250);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

async function accuracy(p: Predictor, data: Example[]): Promise<number> {
  const probs = await p.predict(data);
  return probs.filter((row, i) => LABELS[row[1] > row[0] ? 1 : 0] === data[i].label).length / data.length;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('with 10 labels, prompting beats fine-tuning, and its distilled student keeps most of the lead', async () => {
  const test = examples(300, 999);
  const pool = examples(200, 500).map(({ text, line }) => ({ text, line }));
  const results = { finetune: [] as number[], prompt: [] as number[], distill: [] as number[] };
  // Zero-shot (no labels, no training) shows what the pre-trained MLM head alone knows about the task.
  const zs = await runMethod({ model: pretrained, labels: LABELS, train: [], pool, seed: 1, reporter: recorder(), method: 'prompt', zeroShot: true, template: TEMPLATE, training: { ...DEFAULT_TRAINING.prompt, maxLength: 32 } });
  log(`zero-shot prompting: ${(await accuracy(zs.predictor, test)).toFixed(3)}`);
  zs.predictor.dispose();
  for (const seed of SEEDS) {
    const train = examples(10, seed);
    const common = { model: pretrained, labels: LABELS, train, pool, seed, reporter: recorder() };
    const ft = await runMethod({ ...common, method: 'finetune', training: { ...DEFAULT_TRAINING.finetune, learningRate: 1e-4, batchSize: 10, maxSteps: 50, warmupRatio: 0, maxLength: 32 } });
    const pet = await runMethod({ ...common, method: 'prompt', zeroShot: false, template: TEMPLATE,
      training: { ...DEFAULT_TRAINING.prompt, learningRate: 1e-4, batchSize: 10, maxSteps: 50, maxLength: 32, auxMlmWeight: 0 } });
    const runDir = path.join(tmp, `pet-${seed}`);
    const kd = await runMethod({ ...common, method: 'distill', teacher: { predictor: pet.predictor, runDir, labeled: 10 },
      training: { ...DEFAULT_TRAINING.distill, learningRate: 1e-4, batchSize: 16, epochs: 3, maxLength: 32 } });
    const r = { finetune: await accuracy(ft.predictor, test), prompt: await accuracy(pet.predictor, test), distill: await accuracy(kd.predictor, test) };
    log(`seed ${seed}: fine-tune ${r.finetune.toFixed(3)}  prompt ${r.prompt.toFixed(3)}  distilled ${r.distill.toFixed(3)}`);
    results.finetune.push(r.finetune);
    results.prompt.push(r.prompt);
    results.distill.push(r.distill);
    for (const o of [ft, pet, kd]) o.predictor.dispose();
  }
  const [f, p, d] = [mean(results.finetune), mean(results.prompt), mean(results.distill)];
  log(`mean accuracy over ${SEEDS.length} seeds: fine-tune ${f.toFixed(3)}  prompt ${p.toFixed(3)}  distilled ${d.toFixed(3)}; student keeps ${(((d - f) / (p - f)) * 100).toFixed(0)}% of the gap`);
  assert.ok(p > f + 0.1, `prompting ${p} vs fine-tuning ${f}`);
  assert.ok(d - f >= 0.75 * (p - f), `the student keeps ${d - f} of the ${p - f} lead`);
});
