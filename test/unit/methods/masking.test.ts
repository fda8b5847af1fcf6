import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { maskBatch } from '../../../src/engine/methods/mlm-masking';
import { Rng } from '../../../src/engine/rng';
import type { Tokenizer } from '../../../src/engine/tokenizer';
import { evalBatches } from '../../../src/engine/train/batching';
import { fixtureTokenizer, sentiment } from './helpers';

let tokenizer: Tokenizer;
before(async () => {
  tokenizer = await fixtureTokenizer();
});

function batchOf(n: number) {
  // Pattern-filled inputs carry a [MASK] of their own, which must never be chosen.
  const encoded = sentiment(n, 4).map((e) => tokenizer.encode(`${e.text} it was [MASK] .`));
  return evalBatches(encoded, { batchSize: n, padId: tokenizer.specialIds.pad })[0];
}

test('BERT masking: 15% of ordinary tokens, 80% [MASK] / 10% random / 10% kept, never a special token or padding', () => {
  const batch = batchOf(400);
  const { batch: masked, positions, targets } = maskBatch(batch, tokenizer.specialIds, 30522, new Rng(1));
  const special = new Set(Object.values(tokenizer.specialIds));
  let ordinary = 0;
  for (let i = 0; i < batch.inputIds.length; i++) if (batch.attentionMask[i] === 1 && !special.has(batch.inputIds[i])) ordinary++;
  const rate = positions.length / ordinary;
  assert.ok(rate > 0.13 && rate < 0.17, `chosen ${rate}`);
  const chosen = new Set(positions);
  let toMask = 0;
  let kept = 0;
  positions.forEach((p, k) => {
    assert.equal(targets[k], batch.inputIds[p], 'the target is the original token');
    assert.ok(batch.attentionMask[p] === 1 && !special.has(batch.inputIds[p]), 'never a special token or padding');
    if (masked.inputIds[p] === tokenizer.specialIds.mask) toMask++;
    else if (masked.inputIds[p] === batch.inputIds[p]) kept++;
  });
  const n = positions.length;
  assert.ok(toMask / n > 0.75 && toMask / n < 0.85, `[MASK] ${toMask / n}`);
  assert.ok(kept / n > 0.06 && kept / n < 0.14, `kept ${kept / n}`);
  assert.ok((n - toMask - kept) / n > 0.06, 'random replacements');
  for (let i = 0; i < batch.inputIds.length; i++) if (!chosen.has(i)) assert.equal(masked.inputIds[i], batch.inputIds[i]);
  assert.equal(masked.attentionMask, batch.attentionMask);
  // Seeded: the same corruption again.
  assert.deepEqual(maskBatch(batch, tokenizer.specialIds, 30522, new Rng(1)).positions, positions);
  assert.notDeepEqual(maskBatch(batch, tokenizer.specialIds, 30522, new Rng(2)).positions, positions);
});

test('a small batch still gets one masked token; a batch of special tokens only gets none', () => {
  const one = batchOf(1);
  for (let seed = 0; seed < 20; seed++) assert.ok(maskBatch(one, tokenizer.specialIds, 30522, new Rng(seed)).positions.length >= 1);
  const empty = evalBatches([tokenizer.encode('')], { batchSize: 1, padId: 0 })[0];
  assert.deepEqual(maskBatch(empty, tokenizer.specialIds, 30522, new Rng(1)).positions, []);
});
