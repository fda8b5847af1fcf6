import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { countParameters, parseBertConfig, toConfigJson } from '../../../src/engine/model/config';
import { fixtureDir } from './helpers';

const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(fixtureDir, file), 'utf8'));
const tiny = { vocab_size: 100, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16 };

function refused(json: unknown, field: string, pattern: RegExp, memoryBytes?: number): void {
  assert.throws(
    () => parseBertConfig(json, 'models/x/config.json', { memoryBytes }),
    (e: unknown) => {
      assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
      assert.equal(e.place.file, 'models/x/config.json');
      assert.equal(e.place.field, field);
      assert.match(e.message, pattern);
      assert.ok(e.fix.length > 0);
      return true;
    },
  );
}

test('the fixture configs parse to the values transformers uses', () => {
  const mlm = parseBertConfig(read('config.json'), 'config.json');
  assert.equal(mlm.vocabSize, 30522);
  assert.equal(mlm.hiddenSize, 64);
  assert.equal(mlm.numHiddenLayers, 2);
  assert.equal(mlm.numAttentionHeads, 2);
  assert.equal(mlm.intermediateSize, 128);
  assert.equal(mlm.hiddenAct, 'gelu');
  assert.equal(mlm.layerNormEps, 1e-12);
  assert.equal(mlm.classifierDropout, null);
  assert.equal(mlm.padTokenId, 0);
  assert.equal(mlm.id2label, undefined);
  assert.deepEqual(mlm.architectures, ['BertForMaskedLM']);
  const seqcls = parseBertConfig(read('seqcls/config.json'), 'seqcls/config.json');
  assert.deepEqual(seqcls.id2label, ['LABEL_0', 'LABEL_1', 'LABEL_2']);
  assert.equal(seqcls.extra.problem_type, 'single_label_classification');
});

test('toConfigJson writes back exactly what transformers wrote, keys sorted', () => {
  for (const file of ['config.json', 'seqcls/config.json']) {
    const original = read(file);
    const written = toConfigJson(parseBertConfig(original, file));
    assert.deepEqual(written, original);
    const keys = Object.keys(written);
    assert.deepEqual(keys, [...keys].sort());
  }
});

test('absent fields take BertConfig defaults; num_labels alone names classes LABEL_i', () => {
  const c = parseBertConfig({ num_labels: 3 }, 'config.json');
  assert.equal(c.vocabSize, 30522);
  assert.equal(c.hiddenSize, 768);
  assert.equal(c.numHiddenLayers, 12);
  assert.equal(c.hiddenDropoutProb, 0.1);
  assert.equal(c.maxPositionEmbeddings, 512);
  assert.equal(c.initializerRange, 0.02);
  assert.deepEqual(c.id2label, ['LABEL_0', 'LABEL_1', 'LABEL_2']);
  assert.equal(countParameters(c, { mlm: false, numLabels: 2 }), 109_483_778); // bert-base-uncased + 2-way head
});

test('invalid fields are UserErrors naming config.json and the field', () => {
  refused({ ...tiny, model_type: 'roberta' }, 'model_type', /roberta.*not supported/);
  refused({ ...tiny, hidden_size: 'big' }, 'hidden_size', /whole number/);
  refused({ ...tiny, num_attention_heads: 3 }, 'num_attention_heads', /must divide hidden_size/);
  refused({ ...tiny, hidden_act: 'swishy' }, 'hidden_act', /not supported/);
  refused({ ...tiny, hidden_dropout_prob: 1.5 }, 'hidden_dropout_prob', /probability/);
  refused({ ...tiny, classifier_dropout: -0.1 }, 'classifier_dropout', /probability/);
  refused({ ...tiny, layer_norm_eps: 0 }, 'layer_norm_eps', /positive/);
  refused({ ...tiny, position_embedding_type: 'relative_key' }, 'position_embedding_type', /only "absolute"/);
  refused({ ...tiny, pad_token_id: 100 }, 'pad_token_id', /below vocab_size/);
  refused({ ...tiny, is_decoder: true }, 'is_decoder', /decoder/);
  refused({ ...tiny, id2label: { 0: 'a', 2: 'b' } }, 'id2label.2', /0 to 1/);
  refused({ ...tiny, id2label: { 0: 'a', 1: 'b' }, label2id: { a: 1, b: 0 } }, 'label2id', /does not agree/);
  refused({ ...tiny, id2label: { 0: 'a', 1: 'b' }, num_labels: 3 }, 'num_labels', /does not match/);
  assert.throws(() => parseBertConfig([1, 2], 'config.json'), UserError);
});

test('absurd sizes are refused at once, before anything is allocated', () => {
  const before = process.memoryUsage().arrayBuffers;
  refused({ ...tiny, hidden_size: 1e9, num_attention_heads: 1 }, 'hidden_size', /from 1 to 16384/);
  refused({ ...tiny, num_hidden_layers: 1e6 }, 'num_hidden_layers', /from 1 to 256/);
  refused({ ...tiny, vocab_size: -5 }, 'vocab_size', /whole number/);
  // Every field within its own limit, but together 16384² · 12 · 200 layers ≈ 644 billion parameters.
  refused({ ...tiny, hidden_size: 16384, num_attention_heads: 16, intermediate_size: 65536, num_hidden_layers: 200 }, 'hidden_size', /billion parameters/);
  // bert-base in a machine with 100 MB: its 0.4 GiB of weights cannot fit.
  refused({}, 'hidden_size', /GiB.*memory/, 100e6);
  // Validation is arithmetic only: no buffer of any size was allocated for these models.
  assert.ok(process.memoryUsage().arrayBuffers - before < 16e6, 'buffers were allocated while validating');
});
