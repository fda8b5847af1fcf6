import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countParams, encoderForwardFlops, forwardFlopsPerToken, headForwardFlops, trainStepFlops } from '../../../src/engine/costs/flops';

// A configuration small enough to count by hand: 1 layer, H=4, I=8, 2 heads, V=10, P=6, 2 token types.
const tiny = { layers: 1, hidden: 4, heads: 2, intermediate: 8, vocab: 10, maxPositions: 6, typeVocab: 2 };

test('parameters of a tiny BERT, counted by hand', () => {
  // embeddings: (10 + 6 + 2) * 4 = 72; embedding LayerNorm 8
  // layer: q,k,v,o 4*(16+4)=80; attention LN 8; intermediate 4*8+8=40; output 8*4+4=36; output LN 8 → 172
  const enc = countParams(tiny);
  assert.deepEqual(enc, { total: 72 + 8 + 172, nonEmbedding: 8 + 172, embedding: 72 });
  // classifier with 3 labels: pooler 16+4, classifier 12+3
  assert.equal(countParams(tiny, { numLabels: 3 }).total, 252 + 20 + 15);
  // MLM head: transform 16+4, LN 8, decoder bias 10 (decoder weight tied)
  assert.equal(countParams(tiny, { mlm: true }).total, 252 + 20 + 8 + 10);
});

test('the fixture BERT (L2/H64) matches the tensors transformers stored', () => {
  // bert-L2-H64-A2/seqcls (BertForSequenceClassification, 3 labels): 2,057,731 is the sum of numel over every
  // tensor in its model.safetensors header.
  const shape = { layers: 2, hidden: 64, heads: 2, intermediate: 128, vocab: 30522, maxPositions: 512, typeVocab: 2 };
  assert.equal(countParams(shape, { numLabels: 3 }).total, 2_057_731);
});

test('forward FLOPs of a tiny BERT, counted by hand', () => {
  const T = 3;
  // per token: projections 4 * 2*H*H = 128; FFN 2 * 2*H*I = 128; attention 2 * 2*T*H = 48 → 304; times T tokens
  assert.equal(encoderForwardFlops(tiny, T), 304 * T);
  assert.equal(forwardFlopsPerToken(tiny, T), 304);
  assert.equal(headForwardFlops(tiny, { kind: 'classifier', numLabels: 3 }), 2 * 16 + 2 * 4 * 3);
  // prompting projects only the verbalizer ids: 2 masks × (transform 2·H·H + decoder 2·H·K) with K = 2 words
  assert.equal(headForwardFlops(tiny, { kind: 'mlm', maskCount: 2, vocabIds: 2 }), 2 * (32 + 16));
  assert.equal(trainStepFlops(100), 300);
});
