// The model against Hugging Face transformers 4.31 on the fixture (bert-L2-H64-A2), on every backend that loads.
// Tolerances: values 1e-5, gradients 1e-4, both "relative" as max|a − b| / max|b| over the tensor (helpers.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/backend/select';
import { Bert } from '../../../src/engine/model/bert';
import { parameterSpecs } from '../../../src/engine/model/layout';
import { crossEntropy } from '../../../src/engine/model/loss';
import { loadWeights } from '../../../src/engine/model/weights';
import { assertClose, availableBackends, batchOf, loadFixture, range } from './helpers';

const VALUES = 1e-5;
const GRADS = 1e-4;

for (const backend of availableBackends()) {
  test(`transformers parity on ${backend}`, async (t) => {
    const info = await initBackend(backend);
    assert.equal(tf.getBackend(), info.name);
    const f = await loadFixture();
    const mlm = Bert.create(f.mlm.config, { heads: { mlm: true }, seed: 0 });
    assert.deepEqual(loadWeights(mlm, f.mlm.tensors, 'model.safetensors'), { missing: [], unexpected: [] });

    await t.test('embedding output, hidden states and MLM logits of single texts and pairs', () => {
      const cases = [
        ...f.expected.mlm.single.map((c: any, i: number) => ({ c, key: `mlm.single.${i}` })),
        ...f.expected.mlm.pairs.map((c: any, i: number) => ({ c, key: `mlm.pair.${i}` })),
      ];
      let masks = 0;
      for (const { c, key } of cases) {
        tf.tidy(() => {
          const batch = batchOf(c.input_ids, c.token_type_ids, c.attention_mask);
          const n = c.input_ids.length;
          const { hidden, embeddings } = mlm.encode(batch, { outputEmbeddings: true });
          assertClose(embeddings!.dataSync(), f.full.get(`${key}.embedding_output`)!.data, VALUES, `${key} embedding output`);
          assertClose(hidden.dataSync(), f.full.get(`${key}.last_hidden_state`)!.data, VALUES, `${key} last hidden state`);
          // Logits for ids 0..49 at every position, through the vocabulary-subset path.
          const first50 = mlm.mlmLogits(batch, range(n), range(50));
          assertClose(first50.dataSync(), c.logits_first50.flat(), VALUES, `${key} logits for ids 0-49`);
          if (c.mask_positions.length === 0) return;
          masks += c.mask_positions.length;
          const positions = tf.tensor1d(c.mask_positions, 'int32');
          const full = mlm.mlmLogits(batch, positions);
          assertClose(full.dataSync(), c.mask_logits_full_row.flat(), VALUES, `${key} full-vocabulary rows at [MASK]`);
          assert.deepEqual(tf.topk(full, 5).indices.arraySync(), c.mask_top5_ids, `${key} top-5 ids at [MASK]`);
          const ids = [...c.mask_top5_ids.flat(), 0, 1012, 30521];
          const subset = mlm.mlmLogits(batch, positions, tf.tensor1d(ids, 'int32'));
          assertClose(subset.dataSync(), tf.gather(full, tf.tensor1d(ids, 'int32'), 1).dataSync(), 1e-6, `${key} subset = full columns`);
        });
      }
      assert.ok(masks >= 4, 'the fixture has [MASK] positions to check');
    });

    await t.test('padded batch: hidden states per row and full-vocabulary logits everywhere', () => {
      tf.tidy(() => {
        const bp = f.expected.mlm.batch_padded;
        const batch = batchOf(bp.input_ids, bp.token_type_ids, bp.attention_mask);
        const [b, n] = batch.inputIds.shape;
        const { hidden, embeddings } = mlm.encode(batch, { outputEmbeddings: true });
        for (let i = 0; i < b; i++) {
          const row = (x: tf.Tensor3D): Float32Array => tf.slice(x, [i, 0, 0], [1, n, 64]).dataSync() as Float32Array;
          assertClose(row(embeddings!), f.full.get(`mlm.batch.${i}.embedding_output`)!.data, VALUES, `batch row ${i} embedding output`);
          assertClose(row(hidden), f.full.get(`mlm.batch.${i}.last_hidden_state`)!.data, VALUES, `batch row ${i} last hidden state`);
        }
        const full = mlm.mlmLogits(batch, range(b * n));
        assertClose(full.dataSync(), f.full.get('mlm.batch.logits')!.data, VALUES, 'batch logits [4, 16, 30522]');
        const ids = tf.tensor1d([3, 103, 2003, 29999], 'int32');
        const subset = mlm.mlmLogits(batch, range(b * n), ids);
        assertClose(subset.dataSync(), tf.gather(full, ids, 1).dataSync(), 1e-6, 'subset = full columns');
      });
    });
    mlm.dispose();

    const cls = Bert.create(f.seqcls.config, { heads: { mlm: false, classifier: { numLabels: 3 } }, seed: 0 });
    assert.deepEqual(loadWeights(cls, f.seqcls.tensors, 'seqcls/model.safetensors'), { missing: [], unexpected: [] });

    await t.test('sequence classification: logits, pooler output, [CLS] hidden state', () => {
      for (const [i, c] of f.expected.seqcls.cases.entries()) {
        tf.tidy(() => {
          const batch = batchOf(c.input_ids, c.token_type_ids, c.attention_mask);
          const { logits, pooled } = cls.classify(batch);
          assertClose(logits.dataSync(), c.logits, VALUES, `case ${i} logits`);
          if (!c.pooler_output) return; // the pair cases list logits only
          assertClose(pooled.dataSync(), c.pooler_output, VALUES, `case ${i} pooler output`);
          const hiddenCls = tf.slice(cls.encode(batch).hidden, [0, 0, 0], [1, 1, 64]);
          assertClose(hiddenCls.dataSync(), c.last_hidden_state_cls, VALUES, `case ${i} [CLS] hidden state`);
        });
      }
    });

    await t.test('gradients of the summed cross-entropy', () => {
      const g = f.expected.seqcls.grad_check;
      tf.tidy(() => {
        const batch = batchOf(g.input_ids, g.token_type_ids, g.attention_mask);
        const labels = tf.tensor1d(g.labels, 'int32');
        const params = cls.trainableParams('classifier');
        const { value, grads } = tf.variableGrads(() => crossEntropy(cls.classifyLogits(batch), labels, 'sum'), [...params.values()]);
        assertClose(value.dataSync(), [g.loss_sum], VALUES, 'summed loss');
        assertClose(crossEntropy(cls.classifyLogits(batch), labels).dataSync(), [g.loss_hf_mean], VALUES, 'mean loss');
        const gradOf = (name: string): tf.Tensor => grads[params.get(name)!.name];
        const linear = new Set(parameterSpecs(cls.config, cls.heads).filter((s) => s.linear).map((s) => s.name));
        const checked = Object.keys(g.grads);
        assert.ok(checked.length >= 10);
        for (const name of checked) {
          const ours = gradOf(name);
          const stored = f.full.get(`grad.${name}`);
          if (stored) {
            // Ours are [in, out] for Linear weights; the fixture has torch's [out, in].
            const torchLayout = linear.has(name) ? tf.transpose(ours) : ours;
            assert.deepEqual(torchLayout.shape, stored.shape, `${name} gradient shape`);
            assertClose(torchLayout.dataSync(), stored.data, GRADS, `${name} gradient`);
          } else {
            // Word embeddings: only rows of ids in the batch are non-zero; the fixture stores those rows.
            const ids = f.full.get(`grad.${name}.row_ids`)!;
            const rows = f.full.get(`grad.${name}.rows`)!;
            const picked = tf.gather(ours, tf.tensor1d(Array.from(ids.data), 'int32'));
            assertClose(picked.dataSync(), rows.data, GRADS, `${name} gradient rows`);
            const total = tf.sum(tf.abs(ours)).dataSync()[0];
            const inRows = tf.sum(tf.abs(picked)).dataSync()[0];
            assert.ok(Math.abs(total - inRows) <= 1e-6 * total, `${name}: gradient outside the batch's rows`);
          }
        }
        // torch's padding_idx: the [PAD] row (id 0, present in the batch) gets no gradient.
        const pad = tf.gather(gradOf('bert.embeddings.word_embeddings.weight'), tf.tensor1d([0], 'int32'));
        assert.equal(tf.max(tf.abs(pad)).dataSync()[0], 0);
      });
    });
    cls.dispose();
  });
}
