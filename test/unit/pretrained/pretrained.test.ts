// Model loading for runs: real folders load with their weights; a compact BERT that cannot be had falls back to a
// random model of the same shape only when the experiment allows it, and then says so loudly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { bundledVocabDir, compactBertConfig, loadBaseModel, randomInitNotice } from '../../../src/engine/pretrained';
import { fixtureDir } from '../../lib/shared';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const L2 = 'google/bert_uncased_L-2_H-128_A-2';

/** An empty Hugging Face cache and downloads off: a machine that has never seen the Hub. */
function offlineMachine() {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'adapt-lab-pretrained-'));
  return { resolve: { offline: true, cacheDir, env: {} }, dispose: () => rmSync(cacheDir, { recursive: true, force: true }) };
}

test('offline, not cached, allowRandomInit: a random model of the compact BERT shape, with the notice', async () => {
  const m = offlineMachine();
  try {
    const reasons: string[] = [];
    const model = await loadBaseModel(L2, { allowRandomInit: true, resolve: m.resolve, onRandomInit: (id, why) => reasons.push(`${id}: ${why}`) });
    assert.equal(model.name, L2);
    assert.equal(model.weights, undefined);
    const c = model.config;
    assert.deepEqual([c.numHiddenLayers, c.hiddenSize, c.numAttentionHeads, c.intermediateSize, c.vocabSize, c.maxPositionEmbeddings], [2, 128, 2, 512, 30522, 512]);
    assert.equal(model.tokenizer.vocabSize, 30522);
    assert.deepEqual(model.tokenizer.tokenize('This message is junk'), ['this', 'message', 'is', 'junk']);
    assert.equal(model.notice, randomInitNotice([L2]));
    assert.match(model.notice!, /demonstrate the workflow, not the methods/);
    assert.match(model.notice!, /`huggingface-cli download google\/bert_uncased_L-2_H-128_A-2`/);
    assert.equal(reasons.length, 1);
    assert.match(reasons[0], /not in the Hugging Face cache/);
  } finally {
    m.dispose();
  }
});

test('offline, not cached, without allowRandomInit: the offline UserError, no fallback', async () => {
  const m = offlineMachine();
  try {
    await assert.rejects(loadBaseModel(L2, { resolve: m.resolve }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.place.file, L2);
      assert.match(e.message, /is not in the Hugging Face cache .* downloads are off/);
      assert.match(e.fix, /huggingface-cli download google\/bert_uncased_L-2_H-128_A-2/);
      return true;
    });
  } finally {
    m.dispose();
  }
});

test('allowRandomInit only covers the compact BERTs: other ids keep their error', async () => {
  const m = offlineMachine();
  try {
    for (const id of ['bert-base-uncased', 'google/bert_uncased_L-3_H-128_A-2', 'google/bert_uncased_L-2_H-128_A-4']) {
      await assert.rejects(loadBaseModel(id, { allowRandomInit: true, resolve: m.resolve }), UserError, id);
    }
  } finally {
    m.dispose();
  }
});

test('a local folder loads with its weights and no notice', async () => {
  const model = await loadBaseModel(fixtureDir, { allowRandomInit: true, name: 'tiny' });
  assert.equal(model.name, 'tiny');
  assert.equal(model.source, fixtureDir);
  assert.equal(model.notice, undefined);
  assert.equal(model.config.hiddenSize, 64);
  assert.deepEqual(model.weights!.get('bert.embeddings.word_embeddings.weight')!.shape, [30522, 64]);
  const light = await loadBaseModel(fixtureDir, { withoutWeights: true });
  assert.equal(light.weights, undefined);
  assert.equal(light.config.numHiddenLayers, 2);
});

test('compact BERT shapes: the 24 published ones, intermediate 4H, heads H/64', () => {
  let count = 0;
  for (const l of [2, 4, 6, 8, 10, 12]) {
    for (const h of [128, 256, 512, 768]) {
      const c = compactBertConfig(`google/bert_uncased_L-${l}_H-${h}_A-${h / 64}`)!;
      assert.equal(c.intermediate_size, 4 * h);
      assert.equal(c.num_attention_heads, h / 64);
      assert.equal(c.num_hidden_layers, l);
      count++;
    }
  }
  assert.equal(count, 24);
  assert.equal(compactBertConfig('google/bert_uncased_L-2_H-128_A-2@main'), undefined);
  assert.equal(compactBertConfig('google/bert_uncased_L-14_H-128_A-2'), undefined);
});

test('the bundled vocabulary is bert-base-uncased', () => {
  assert.equal(bundledVocabDir(), path.join(repoRoot, 'data', 'vocab', 'bert-base-uncased'));
});
