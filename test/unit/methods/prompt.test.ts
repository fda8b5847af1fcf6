import { Bert } from '../../../src/engine/model/bert';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { softmaxRow } from '../../../src/engine/methods/evaluation';
import { PatternModel } from '../../../src/engine/methods/pattern-model';
import { loadPredictor } from '../../../src/engine/methods/predictor';
import { runPrompt, type PromptInput } from '../../../src/engine/methods/prompt';
import type { PromptPredictor } from '../../../src/engine/methods/prompt-predictor';
import type { BaseModel } from '../../../src/engine/methods/types';
import { exportWeights, loadWeights } from '../../../src/engine/model/weights';
import { resolveVerbalizer } from '../../../src/engine/prompt/verbalizer';
import { Rng } from '../../../src/engine/rng';
import type { TensorMap } from '../../../src/engine/tensors';
import type { Tokenizer } from '../../../src/engine/tokenizer';
import { evalBatches, toTensors } from '../../../src/engine/train/batching';
import { DEFAULT_TRAINING, fixtureTokenizer, LABELS, quick, recorder, sentiment, startBackend, template, tinyConfig } from './helpers';

let tokenizer: Tokenizer;
/** A random tiny BERT with an MLM head whose output bias is random too (zeros would hide a wrong column). */
let weights: TensorMap;
let base: BaseModel;
const tmp = mkdtempSync(path.join(tmpdir(), 'adapt-lab-prompt-'));
const TEMPLATE = template(['{text} it was [MASK].', 'review: {text} [MASK]'], { negative: ['bad', 'awful'], positive: 'good' });
const ONE_PATTERN = template(['{text} it was [MASK].'], { negative: ['bad', 'awful'], positive: 'good' });

before(async () => {
  await startBackend();
  tokenizer = await fixtureTokenizer();
  const model = Bert.create(tinyConfig(), { heads: { mlm: true }, seed: 7 });
  const rng = new Rng(3);
  tf.tidy(() => model.params.get('cls.predictions.bias')!.assign(tf.tensor1d(Float32Array.from({ length: 30522 }, () => rng.next() - 0.5))));
  weights = exportWeights(model);
  model.dispose();
  base = { name: 'tiny-mlm', config: tinyConfig(), tokenizer, weights };
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pool = sentiment(60, 9).map(({ text, line }) => ({ text, line }));
const input = (overrides: Partial<PromptInput>): PromptInput => ({
  method: 'prompt', model: base, labels: LABELS, train: sentiment(40, 1), pool, seed: 1, reporter: recorder(), zeroShot: false, template: ONE_PATTERN,
  training: quick(DEFAULT_TRAINING.prompt, { maxSteps: 60, learningRate: 3e-3, auxMlmWeight: 0 }), ...overrides,
});
/** A pattern model on the base weights, untrained. */
function untrained(pattern: string, tpl = TEMPLATE): PatternModel {
  const model = Bert.create(tinyConfig(), { heads: { mlm: true }, seed: 0 });
  loadWeights(model, weights, 'test');
  return new PatternModel(model, pattern, resolveVerbalizer(tpl, tokenizer, LABELS, 'test.prompt.json'), tokenizer, 32);
}

test('class logits come from the verbalizer ids only and equal those columns of the full-vocabulary logits (mean over a label\'s words)', () => {
  const pm = untrained('{text} it was [MASK].');
  const filled = sentiment(5, 2).map(pm.fill);
  const batch = evalBatches(filled, { batchSize: 5, padId: tokenizer.specialIds.pad })[0];
  const ids = ['bad', 'awful', 'good'].map((w) => tokenizer.tokenToId(w)!);
  const [classes, full] = tf.tidy(() => {
    const positions = tf.tensor1d(batch.items.map((e, row) => row * batch.seqLen + e.maskPosition), 'int32');
    return [pm.classLogits(batch).arraySync(), pm.model.mlmLogits(toTensors(batch), positions).arraySync()] as number[][][];
  });
  assert.equal(full[0].length, 30522);
  batch.items.forEach((_, row) => {
    const expectedNegative = (full[row][ids[0]] + full[row][ids[1]]) / 2;
    assert.ok(Math.abs(classes[row][0] - expectedNegative) < 1e-5, `row ${row} negative`);
    assert.ok(Math.abs(classes[row][1] - full[row][ids[2]]) < 1e-5, `row ${row} positive`);
  });
  assert.notEqual(classes[0][0], classes[0][1]);
  pm.dispose();
});

test('zero-shot: no training step, no labels; the pre-trained MLM head as it is, patterns averaged uniformly', async () => {
  const start = tf.memory().numTensors;
  const reporter = recorder();
  const out = await runPrompt(input({ zeroShot: true, train: [], template: TEMPLATE, reporter, training: { ...DEFAULT_TRAINING.prompt, maxLength: 32 } }));
  assert.equal(out.steps, 0);
  assert.equal(reporter.steps.length, 0);
  assert.deepEqual(out.flops, { train: 0, auxiliaryInference: 0 });
  assert.deepEqual(out.data, { labeled: 0, unlabeled: 0 });
  const tests = sentiment(6, 5);
  const probs = await out.predictor.predict(tests);
  // By hand: each untrained pattern model's class logits, averaged with weight 1/2, then softmax.
  const a = untrained('{text} it was [MASK].');
  const b = untrained('review: {text} [MASK]');
  const [la, lb] = [(await a.logits(tests, 8)).rows, (await b.logits(tests, 8)).rows];
  probs.forEach((row, i) => {
    const expected = softmaxRow([0, 1].map((c) => (la[i][c] + lb[i][c]) / 2));
    assert.ok(Math.abs(row[0] - expected[0]) < 1e-5 && Math.abs(row[1] - expected[1]) < 1e-5, `input ${i}`);
  });
  a.dispose();
  b.dispose();
  out.predictor.dispose();
  assert.equal(tf.memory().numTensors, start);
});

test('trainAccuracy ensemble: each pattern weighted by its train accuracy before training; logits averaged, then softmax', async () => {
  const reporter = recorder();
  const train = sentiment(40, 1);
  const out = await runPrompt(input({ template: TEMPLATE, reporter, training: quick(DEFAULT_TRAINING.prompt, { maxSteps: 2, auxMlmWeight: 0 }) }));
  const before = ['{text} it was [MASK].', 'review: {text} [MASK]'].map((p) => untrained(p));
  const accuracies: number[] = [];
  let inference = 0;
  for (const pm of before) {
    const { rows, flops } = await pm.logits(train, 32);
    inference += flops;
    accuracies.push(mean(rows.map((r, i) => (LABELS[r[1] > r[0] ? 1 : 0] === train[i].label ? 1 : 0))));
    pm.dispose();
  }
  assert.deepEqual(reporter.logs.filter((l) => l.includes('before training')), accuracies.map((a, i) => `pattern ${i + 1}/2: train accuracy before training ${a.toFixed(4)} (its ensemble weight)`));
  const predictor = out.predictor as PromptPredictor;
  const total = accuracies[0] + accuracies[1];
  assert.ok(Math.abs(predictor.weights[0] - accuracies[0] / total) < 1e-12 && Math.abs(predictor.weights[1] - accuracies[1] / total) < 1e-12);
  assert.equal(out.flops.auxiliaryInference, inference, 'the before-training passes are auxiliary inference');
  // The prediction is the softmax of the weighted mean of the trained pattern models' logits.
  const tests = sentiment(6, 5);
  const probs = await predictor.predict(tests);
  const per = await Promise.all(predictor.patterns.map(async (p) => (await p.logits(tests, 8)).rows));
  probs.forEach((row, i) => {
    const expected = softmaxRow([0, 1].map((c) => predictor.weights[0] * per[0][i][c] + predictor.weights[1] * per[1][i][c]));
    assert.ok(Math.abs(row[0] - expected[0]) < 1e-5, `input ${i}`);
  });
  assert.equal(out.steps, 4, 'two steps per pattern');
  assert.deepEqual(reporter.steps.map((s) => [s.step, s.totalSteps]), [[1, 4], [2, 4], [3, 4], [4, 4]]);
  out.predictor.dispose();
});

test('PET training on 40 examples: the loss falls, valid probabilities, save and load give identical predictions', async () => {
  const start = tf.memory().numTensors;
  const reporter = recorder();
  const out = await runPrompt(input({ reporter, training: quick(DEFAULT_TRAINING.prompt, { maxSteps: 100, learningRate: 3e-3, auxMlmWeight: 0 }) }));
  const losses = reporter.steps.map((s) => s.loss);
  assert.ok(mean(losses.slice(-10)) < mean(losses.slice(0, 10)) - 0.2, `loss ${mean(losses.slice(0, 10))} → ${mean(losses.slice(-10))}`);
  assert.deepEqual(out.data, { labeled: 40, unlabeled: 0 }, 'no auxiliary MLM loss: no unlabeled data used');
  const tests = sentiment(10, 5);
  const probs = await out.predictor.predict(tests);
  assert.ok(probs.every((r) => r.length === 2 && r.every((x) => x >= 0 && x <= 1) && Math.abs(r[0] + r[1] - 1) < 1e-5));

  const dir = path.join(tmp, 'pet');
  await out.predictor.save(dir);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'adapt-lab.json'), 'utf8'));
  assert.equal(manifest.method, 'prompt');
  assert.deepEqual(manifest.verbalizer.tokenIds, [['bad', 'awful'].map((w) => tokenizer.tokenToId(w)), [tokenizer.tokenToId('good')]]);
  assert.deepEqual(manifest.patterns, [{ pattern: '{text} it was [MASK].', folder: 'pattern-0', weight: 1 }]);
  assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'pattern-0', 'config.json'), 'utf8')).architectures, ['BertForMaskedLM']);
  const loaded = await loadPredictor(dir);
  assert.deepEqual(await loaded.predict(tests), probs);
  const x = { text: 'the plot was dull' };
  assert.equal(loaded.inputLength(x), out.predictor.inputLength(x));
  assert.equal(loaded.inferFlops(12), out.predictor.inferFlops(12));
  loaded.dispose();
  out.predictor.dispose();
  assert.equal(tf.memory().numTensors, start);
});

test('FLOPs: 3× the forward of the batch run, with the MLM head over the verbalizer ids only; inference per input', async () => {
  const train = sentiment(40, 2);
  const out = await runPrompt(input({ train, training: quick(DEFAULT_TRAINING.prompt, { maxSteps: 1, batchSize: 40, auxMlmWeight: 0 }) }));
  const pm = untrained('{text} it was [MASK].', ONE_PATTERN);
  const T = Math.max(...train.map((e) => pm.fill(e).inputIds.length));
  // By hand (L=1, H=32, I=64): encoder T·(8H² + 4HI + 4TH) per row; MLM head 2H² + 2H·K per [MASK], K = 3 words.
  const perRow = (t: number) => t * (8 * 32 * 32 + 4 * 32 * 64 + 4 * t * 32) + 2 * 32 * 32 + 2 * 32 * 3;
  assert.equal(out.flops.train, 3 * 40 * perRow(T));
  const x = { text: 'the film was good' };
  const length = pm.fill(x).inputIds.length;
  assert.equal(out.predictor.inputLength(x), length);
  assert.equal(out.predictor.inferFlops(length), perRow(length));
  pm.dispose();
  out.predictor.dispose();
});

test('auxiliary MLM loss: mixes in with weight α, draws unlabeledRatio × batch pool examples per step, counted as unlabeled data', async () => {
  const training = quick(DEFAULT_TRAINING.prompt, { maxSteps: 1, batchSize: 8, auxMlmWeight: 0.5 });
  const withAux = recorder();
  const a = await runPrompt(input({ reporter: withAux, training: { ...training, unlabeledRatio: 3 } }));
  const without = recorder();
  const b = await runPrompt(input({ reporter: without, training: { ...training, auxMlmWeight: 0 } }));
  // One step draws 3 × 8 = 24 of the 60 pool examples.
  assert.deepEqual(a.data, { labeled: 40, unlabeled: 24 });
  // (1 − α)·CE + α·MLM: the full-vocabulary MLM loss (≈ ln 30522 ≈ 10.3 untrained) dominates the mix.
  const ce = without.steps[0].loss;
  const mixed = withAux.steps[0].loss;
  const mlm = (mixed - 0.5 * ce) / 0.5;
  assert.ok(mlm > 8 && mlm < 12, `implied MLM loss ${mlm}`);
  // The unlabeled batch's encoder and its full-vocabulary projection are counted on top.
  assert.ok(a.flops.train > b.flops.train + 3 * 24 * 5 * (8 * 32 * 32 + 4 * 32 * 64) + 3 * 2 * 32 * 30522);
  a.predictor.dispose();
  b.predictor.dispose();
});
