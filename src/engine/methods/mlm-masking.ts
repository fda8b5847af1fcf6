// BERT's masked-LM corruption for PET's auxiliary language-modelling loss (PET's mask_tokens, after transformers'
// DataCollatorForLanguageModeling): each ordinary token is chosen with probability 15%; a chosen token becomes
// [MASK] 80% of the time, a random vocabulary id 10%, and stays itself 10%; the model must predict the original
// at every chosen position. Special tokens ([CLS], [SEP], [PAD], [UNK], and the pattern's own [MASK]) are never
// chosen. Drawn from our seeded Rng on the host, so the corruption is the same on every backend.
import type { Rng } from '../rng';
import type { SpecialIds } from '../tokenizer';
import type { Batch } from '../train/batching';

export interface MaskedBatch {
  /** The batch with the corrupted input ids. */
  batch: Batch;
  /** Flat positions b·T + t of the chosen tokens, and the original ids there. */
  positions: number[];
  targets: number[];
}

export function maskBatch(batch: Batch, specials: SpecialIds, vocabSize: number, rng: Rng, rate = 0.15): MaskedBatch {
  const special = new Set(Object.values(specials));
  const inputIds = Int32Array.from(batch.inputIds);
  const candidates: number[] = [];
  for (let i = 0; i < inputIds.length; i++) if (batch.attentionMask[i] === 1 && !special.has(inputIds[i])) candidates.push(i);
  let chosen = candidates.filter(() => rng.next() < rate);
  // A batch with no chosen token would give an empty loss; PET's Bernoulli draw just makes that rare, so one is forced.
  if (chosen.length === 0 && candidates.length > 0) chosen = [candidates[rng.int(candidates.length)]];
  const targets = chosen.map((i) => inputIds[i]);
  for (const i of chosen) {
    const r = rng.next();
    if (r < 0.8) inputIds[i] = specials.mask;
    else if (r < 0.9) inputIds[i] = rng.int(vocabSize);
  }
  return { batch: { ...batch, inputIds }, positions: chosen, targets };
}
