import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/backend/select';
import { Bert } from '../../../src/engine/model/bert';
import { parseBertConfig } from '../../../src/engine/model/config';
import { exportWeights } from '../../../src/engine/model/weights';
import { batchOf } from './helpers';

const config = parseBertConfig(
  { vocab_size: 60, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 32, max_position_embeddings: 32, pad_token_id: 0, initializer_range: 0.05 },
  'config.json',
);
const heads = { mlm: true, classifier: { numLabels: 3 } };
const batch = () => batchOf([[2, 7, 9, 11, 3, 0], [2, 5, 3, 0, 0, 0]], [[0, 0, 0, 1, 1, 0], [0, 0, 0, 0, 0, 0]], [[1, 1, 1, 1, 1, 0], [1, 1, 1, 0, 0, 0]]);

test('initialisation follows HF _init_weights and is fixed by the seed', async () => {
  await initBackend('cpu');
  const weights = (h: typeof heads, seed: number) => {
    const model = Bert.create(config, { heads: h, seed });
    const out = exportWeights(model);
    model.dispose();
    return out;
  };
  const a = weights(heads, 11);
  const b = weights(heads, 11);
  const c = weights(heads, 12);
  for (const [name, t] of a) assert.deepEqual(t.data, b.get(name)!.data, `${name} same seed`);
  assert.notDeepEqual(a.get('bert.encoder.layer.0.attention.self.query.weight')!.data, c.get('bert.encoder.layer.0.attention.self.query.weight')!.data);
  // Adding or removing a head leaves the other parameters as they were.
  const encoderOnly = weights({ mlm: false, classifier: { numLabels: 3 } }, 11);
  for (const [name, t] of encoderOnly) assert.deepEqual(t.data, a.get(name)!.data, name);

  const word = a.get('bert.embeddings.word_embeddings.weight')!.data;
  assert.ok(word.subarray(0, 16).every((v) => v === 0), 'the padding row starts at zero');
  const rest = Array.from(word.subarray(16));
  const mean = rest.reduce((s, v) => s + v, 0) / rest.length;
  const std = Math.sqrt(rest.reduce((s, v) => s + (v - mean) ** 2, 0) / rest.length);
  assert.ok(Math.abs(mean) < 0.005 && Math.abs(std - 0.05) < 0.003, `word embeddings ~ N(0, 0.05²): mean ${mean}, std ${std}`);
  assert.ok(a.get('bert.encoder.layer.1.output.LayerNorm.weight')!.data.every((v) => v === 1));
  assert.ok(a.get('bert.encoder.layer.1.output.LayerNorm.bias')!.data.every((v) => v === 0));
  assert.ok(a.get('cls.predictions.bias')!.data.every((v) => v === 0));
  assert.ok(a.get('classifier.bias')!.data.every((v) => v === 0));
});

test('dropout only when training, and reproducible from the seed', async () => {
  await initBackend('cpu');
  const model = Bert.create(config, { heads, seed: 1 });
  const logits = (options: { training?: boolean; seed?: number }) => tf.tidy(() => Array.from(model.classifyLogits(batch(), options).dataSync()));
  const evalRun = logits({});
  assert.deepEqual(logits({ seed: 5 }), evalRun, 'evaluation ignores the seed');
  const trainA = logits({ training: true, seed: 5 });
  assert.deepEqual(logits({ training: true, seed: 5 }), trainA);
  assert.notDeepEqual(logits({ training: true, seed: 6 }), trainA);
  assert.notDeepEqual(trainA, evalRun);
  assert.throws(() => tf.tidy(() => model.classifyLogits(batch(), { training: true })), /dropout seed/);
  model.dispose();
});

test('padding does not change the real positions; heads check what they are asked', async () => {
  await initBackend('cpu');
  const before = tf.memory().numTensors;
  const model = Bert.create(config, { heads: { mlm: true }, seed: 2 });
  tf.tidy(() => {
    const padded = model.encode(batch()).hidden;
    const alone = model.encode(batchOf([2, 5, 3], [0, 0, 0], [1, 1, 1])).hidden;
    const diff = tf.max(tf.abs(tf.sub(tf.slice(padded, [1, 0, 0], [1, 3, 16]), alone))).dataSync()[0];
    assert.ok(diff < 1e-5, `padded row differs by ${diff}`);
  });
  assert.throws(() => tf.tidy(() => model.classifyLogits(batch())), /no classifier head/);
  assert.throws(() => model.trainableParams('classifier'), /no classifier head/);
  assert.deepEqual([...model.trainableParams('mlm').keys()].filter((n) => !n.startsWith('bert.')), [
    'cls.predictions.transform.dense.weight', 'cls.predictions.transform.dense.bias',
    'cls.predictions.transform.LayerNorm.weight', 'cls.predictions.transform.LayerNorm.bias', 'cls.predictions.bias',
  ]);
  const long = tf.zeros([1, 33], 'int32') as tf.Tensor2D;
  assert.throws(() => model.encode({ inputIds: long, tokenTypeIds: long, attentionMask: long }), /max_position_embeddings/);
  long.dispose();
  model.dispose();
  assert.equal(tf.memory().numTensors, before, 'dispose frees every parameter; forward passes leak nothing');
});
