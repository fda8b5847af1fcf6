import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { readCheckpointFolder } from '../../../src/engine/checkpoint/folder';
import { runFinetune } from '../../../src/engine/methods/finetune';
import { loadPredictor } from '../../../src/engine/methods/predictor';
import { CancelledError, type BaseModel } from '../../../src/engine/methods/types';
import { parseBertConfig } from '../../../src/engine/model/config';
import type { Tokenizer } from '../../../src/engine/tokenizer';
import { DEFAULT_TRAINING, fixtureDir, fixtureTokenizer, LABELS, quick, recorder, sentiment, startBackend, tinyConfig } from './helpers';

let tokenizer: Tokenizer;
let base: BaseModel;
const tmp = mkdtempSync(path.join(tmpdir(), 'adapt-lab-finetune-'));
before(async () => {
  await startBackend();
  tokenizer = await fixtureTokenizer();
  base = { name: 'tiny', config: tinyConfig(), tokenizer };
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** The tiny config's classifier forward FLOPs for one sequence of T tokens, by hand: L=1, H=32, I=64, C=2. */
const handFlops = (T: number) => T * (8 * 32 * 32 + 4 * 32 * 64 + 4 * T * 32) + (2 * 32 * 32 + 2 * 32 * 2);

test('fine-tuning 40 examples: the loss falls, probabilities in label order, costs, save and load', async () => {
  const start = tf.memory().numTensors;
  const reporter = recorder();
  const train = sentiment(40, 1);
  const out = await runFinetune({ method: 'finetune', model: base, labels: LABELS, train, pool: [], seed: 1, reporter, training: quick(DEFAULT_TRAINING.finetune, { maxSteps: 60, learningRate: 3e-3 }) });

  assert.equal(out.steps, 60);
  assert.deepEqual(reporter.steps.map((s) => s.step), Array.from({ length: 60 }, (_, i) => i + 1));
  assert.ok(reporter.steps.every((s) => s.totalSteps === 60 && s.lr > 0));
  const losses = reporter.steps.map((s) => s.loss);
  assert.ok(mean(losses.slice(-10)) < mean(losses.slice(0, 10)) - 0.3, `loss ${mean(losses.slice(0, 10))} → ${mean(losses.slice(-10))}`);
  assert.deepEqual(out.data, { labeled: 40, unlabeled: 0 });
  assert.ok(out.flops.train > 0);
  assert.equal(out.flops.auxiliaryInference, 0, 'no dev set: nothing but training');

  const p = out.predictor;
  assert.deepEqual(p.labels, LABELS);
  const probs = await p.predict(train);
  for (const row of probs) {
    assert.equal(row.length, 2);
    assert.ok(row.every((x) => x >= 0 && x <= 1) && Math.abs(row[0] + row[1] - 1) < 1e-5);
  }
  const accuracy = mean(probs.map((row, i) => (LABELS[row[1] > row[0] ? 1 : 0] === train[i].label ? 1 : 0)));
  assert.ok(accuracy >= 0.9, `train accuracy ${accuracy}`);

  const input = { text: 'the film was good' };
  assert.equal(p.inputLength(input), tokenizer.encode(input.text).inputIds.length);
  assert.equal(p.inferFlops(7), handFlops(7));

  const dir = path.join(tmp, 'model');
  await p.save(dir);
  const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  assert.deepEqual(config.architectures, ['BertForSequenceClassification']);
  assert.deepEqual(config.id2label, { 0: 'negative', 1: 'positive' });
  assert.deepEqual(config.label2id, { negative: 0, positive: 1 });
  assert.equal(JSON.parse(readFileSync(path.join(dir, 'adapt-lab.json'), 'utf8')).method, 'finetune');
  const loaded = await loadPredictor(dir);
  assert.deepEqual(loaded.labels, LABELS);
  assert.deepEqual(await loaded.predict(train), probs);
  assert.equal(loaded.inferFlops(7), p.inferFlops(7));
  loaded.dispose();
  p.dispose();
  assert.equal(tf.memory().numTensors, start, 'every tensor freed');
});

test('training FLOPs are 3× the forward FLOPs of the batch actually run', async () => {
  const train = sentiment(40, 2);
  // One step over all 40 examples: one batch of 40 rows, padded to the longest encoding.
  const out = await runFinetune({ method: 'finetune', model: base, labels: LABELS, train, pool: [], seed: 1, reporter: recorder(), training: quick(DEFAULT_TRAINING.finetune, { maxSteps: 1, batchSize: 40 }) });
  const T = Math.max(...train.map((e) => tokenizer.encode(e.text).inputIds.length));
  assert.equal(out.flops.train, 3 * 40 * handFlops(T));
  out.predictor.dispose();
});

test('early stopping: dev evaluations every few steps, stops after `patience` without improvement, keeps the best weights', async () => {
  const start = tf.memory().numTensors;
  const reporter = recorder();
  const train = sentiment(40, 3);
  // Dev labels are the opposite of the truth: as training learns the task, dev accuracy falls, so the best
  // evaluation is an early one and the weights of that step must be the ones returned.
  const dev = sentiment(16, 4).map((e) => ({ ...e, label: e.label === 'positive' ? 'negative' : 'positive' }));
  const out = await runFinetune({ method: 'finetune', model: base, labels: LABELS, train, dev, pool: [], seed: 1, reporter,
    training: quick(DEFAULT_TRAINING.finetune, { maxSteps: 100, learningRate: 3e-3, evalEverySteps: 10, earlyStoppingPatience: 2 }) });
  const evals = reporter.evaluations;
  assert.ok(evals.length >= 3 && evals.every((e, i) => e.split === 'dev' && e.step === 10 * (i + 1)));
  assert.ok(out.steps < 100, `stopped early at ${out.steps}`);
  assert.equal(out.steps, evals[evals.length - 1].step);
  const best = Math.max(...evals.map((e) => e.accuracy));
  assert.ok(best > evals[evals.length - 1].accuracy, 'the last evaluation was worse than the best');
  const probs = await out.predictor.predict(dev);
  const devAccuracy = mean(probs.map((row, i) => (LABELS[row[1] > row[0] ? 1 : 0] === dev[i].label ? 1 : 0)));
  assert.equal(devAccuracy, best, 'the returned weights are those of the best evaluation');
  assert.ok(reporter.logs.some((l) => /early stop at step/.test(l)) && reporter.logs.some((l) => /kept the weights of step/.test(l)));
  // Each dev pass is one batch of 16 (predict batches hold 32) padded to the longest dev example.
  const T = Math.max(...dev.map((e) => tokenizer.encode(e.text).inputIds.length));
  assert.equal(out.flops.auxiliaryInference, evals.length * 16 * handFlops(T));
  out.predictor.dispose();
  assert.equal(tf.memory().numTensors, start);
});

test('cancellation between steps throws CancelledError and frees everything', async () => {
  const start = tf.memory().numTensors;
  const controller = new AbortController();
  const reporter = recorder();
  const step = reporter.step;
  reporter.step = (s) => {
    step(s);
    if (s.step === 3) setImmediate(() => controller.abort()); // from outside the training loop, as a UI would
  };
  await assert.rejects(
    runFinetune({ method: 'finetune', model: base, labels: LABELS, train: sentiment(40, 1), pool: [], seed: 1, reporter, signal: controller.signal, training: quick(DEFAULT_TRAINING.finetune, { maxSteps: 50 }) }),
    CancelledError,
  );
  assert.ok(reporter.steps.length >= 3 && reporter.steps.length <= 5, `${reporter.steps.length} steps ran`);
  assert.equal(tf.memory().numTensors, start);
});

test('from a pre-trained masked-LM checkpoint: the pooler and classifier are newly initialised, the encoder loaded', async () => {
  const folder = await readCheckpointFolder(fixtureDir);
  const config = parseBertConfig(folder.config, folder.configPath);
  const reporter = recorder();
  const out = await runFinetune({ method: 'finetune', model: { name: 'bert-L2-H64-A2', config, tokenizer, weights: folder.tensors }, labels: LABELS, train: sentiment(8, 1), pool: [], seed: 1, reporter,
    training: quick(DEFAULT_TRAINING.finetune, { maxSteps: 1, learningRate: 1e-9 }) });
  assert.deepEqual(reporter.logs.filter((l) => l.startsWith('newly initialised')),
    ['newly initialised, not in bert-L2-H64-A2: bert.pooler.dense.weight, bert.pooler.dense.bias, classifier.weight, classifier.bias']);
  // One step at lr 1e-9 leaves the loaded encoder as it was (to float32 precision).
  const model = (out.predictor as unknown as { model: { params: Map<string, tf.Variable> } }).model;
  const q = folder.tensors.get('bert.encoder.layer.1.attention.self.query.weight')!; // torch layout [out, in]
  const ours = model.params.get('bert.encoder.layer.1.attention.self.query.weight')!.arraySync() as number[][]; // [in, out]
  assert.ok(Math.abs(ours[3][5] - q.data[5 * 64 + 3]) < 1e-6);
  out.predictor.dispose();
});
