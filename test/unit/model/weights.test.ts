import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/engine/backend/select';
import { UserError } from '../../../src/engine/errors';
import { Bert } from '../../../src/engine/model/bert';
import { parseBertConfig } from '../../../src/engine/model/config';
import { createFromWeights, exportWeights, loadWeights } from '../../../src/engine/model/weights';
import type { HostTensor, TensorMap } from '../../../src/engine/tensors';
import { loadFixture } from './helpers';

const small = parseBertConfig({ vocab_size: 50, hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 12, max_position_embeddings: 16 }, 'config.json');

function sameTensors(a: TensorMap, b: TensorMap): void {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [name, t] of a) {
    const u = b.get(name)!;
    assert.deepEqual(t.shape, u.shape, name);
    assert.deepEqual(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength), Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength), name);
  }
}

function withTensor(tensors: TensorMap, name: string, tensor: HostTensor | undefined): TensorMap {
  const out = new Map(tensors);
  if (tensor) out.set(name, tensor);
  else out.delete(name);
  return out;
}

test('the fixture loads and exports back bit for bit, in the names and layout transformers wrote', async () => {
  await initBackend('cpu');
  const f = await loadFixture();
  for (const { config, tensors, heads } of [
    { ...f.mlm, heads: { mlm: true } },
    { ...f.seqcls, heads: { mlm: false, classifier: { numLabels: 3 } } },
  ]) {
    const model = Bert.create(config, { heads, seed: 3 });
    assert.deepEqual(loadWeights(model, tensors, 'model.safetensors'), { missing: [], unexpected: [] });
    sameTensors(exportWeights(model), tensors);
    model.dispose();
    const built = createFromWeights(config, heads, tensors, 'model.safetensors', 3);
    assert.deepEqual(built.report, { missing: [], unexpected: [] });
    sameTensors(exportWeights(built.model), tensors);
    built.model.dispose();
  }
});

test('export → load into a differently initialised model → export is exact', async () => {
  await initBackend('cpu');
  const heads = { mlm: true, classifier: { numLabels: 4 } };
  const a = Bert.create(small, { heads, seed: 1 });
  const b = Bert.create(small, { heads, seed: 2 });
  const exported = exportWeights(a);
  assert.notDeepEqual(exportWeights(b).get('classifier.weight')!.data, exported.get('classifier.weight')!.data);
  assert.equal(exported.has('cls.predictions.decoder.weight'), false, 'the tied decoder is not stored');
  assert.deepEqual(exported.get('bert.encoder.layer.1.intermediate.dense.weight')!.shape, [12, 8], 'torch layout [out, in]');
  assert.deepEqual(loadWeights(b, exported, 'a.safetensors'), { missing: [], unexpected: [] });
  sameTensors(exportWeights(b), exported);
  a.dispose();
  b.dispose();
});

test('BertModel names (no bert. prefix), gamma/beta, buffers and the tied decoder are understood', async () => {
  await initBackend('cpu');
  const source = Bert.create(small, { heads: { mlm: true }, seed: 4 });
  const exported = exportWeights(source);
  const renamed: TensorMap = new Map();
  for (const [name, t] of exported) {
    let n = name.startsWith('bert.') ? name.slice(5) : name;
    n = n.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta');
    renamed.set(n, t);
  }
  renamed.set('embeddings.position_ids', { dtype: 'int32', shape: [1, 16], data: new Int32Array(16) });
  renamed.set('cls.predictions.decoder.weight', exported.get('bert.embeddings.word_embeddings.weight')!);
  renamed.set('cls.seq_relationship.weight', { dtype: 'float32', shape: [2, 8], data: new Float32Array(16) });
  const target = Bert.create(small, { heads: { mlm: true, classifier: { numLabels: 2 } }, seed: 5 });
  const report = loadWeights(target, renamed, 'pytorch_model.bin');
  assert.deepEqual(report.unexpected, ['cls.seq_relationship.weight']);
  assert.deepEqual(report.missing, ['bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias']);
  const back = exportWeights(target);
  for (const [name, t] of exported) assert.deepEqual(back.get(name)!.data, t.data, name);
  // Built straight from the tensors: same report, same loaded values, and the missing head drawn exactly as
  // Bert.create would draw it with that seed.
  const built = createFromWeights(small, target.heads, renamed, 'pytorch_model.bin', 5);
  assert.deepEqual(built.report, report);
  sameTensors(exportWeights(built.model), back);
  source.dispose();
  target.dispose();
  built.model.dispose();
});

test('wrong shapes, integer weights and missing encoder tensors are UserErrors; the model is left untouched', async () => {
  await initBackend('cpu');
  const model = Bert.create(small, { heads: { mlm: true }, seed: 6 });
  const good = exportWeights(model);
  const before = exportWeights(model);
  const check = (tensors: TensorMap, field: string, pattern: RegExp): void => {
    assert.throws(
      () => loadWeights(model, tensors, 'ckpt/model.safetensors'),
      (e: unknown) => e instanceof UserError && e.place.file === 'ckpt/model.safetensors' && e.place.field === field && pattern.test(e.message),
    );
    sameTensors(exportWeights(model), before);
  };
  const wrongShape = withTensor(good, 'bert.encoder.layer.0.attention.self.query.weight', { dtype: 'float32', shape: [8, 4], data: new Float32Array(32) });
  // Valid tensors are listed first, so a half-done load would show; the wrong one must stop everything.
  check(wrongShape, 'bert.encoder.layer.0.attention.self.query.weight', /\[8, 4\] but config\.json implies \[8, 8\]/);
  check(withTensor(good, 'bert.embeddings.word_embeddings.weight', { dtype: 'float32', shape: [51, 8], data: new Float32Array(408) }),
    'bert.embeddings.word_embeddings.weight', /\[51, 8\] but config\.json implies \[50, 8\]/);
  check(withTensor(good, 'cls.predictions.bias', { dtype: 'int32', shape: [50], data: new Int32Array(50) }), 'cls.predictions.bias', /int32/);
  check(withTensor(good, 'bert.encoder.layer.1.output.dense.weight', undefined), 'bert.encoder.layer.1.output.dense.weight', /lacks encoder weights/);
  model.dispose();
});
