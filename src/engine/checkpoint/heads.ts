// Which task heads a checkpoint carries, read from its tensor names: BertForMaskedLM stores `cls.predictions.*`,
// BertForSequenceClassification `classifier.*` (and the pooler), BertModel neither. Loading a head the file does not
// have would silently give random outputs, so commands ask this first.
import type { TensorMap } from '../tensors';

export interface CheckpointHeads {
  mlm: boolean;
  /** Present when the checkpoint has a sequence-classification head; numLabels from its weight's [out, in] shape. */
  classifier?: { numLabels: number };
}

export function checkpointHeads(tensors: TensorMap): CheckpointHeads {
  const mlm = tensors.has('cls.predictions.transform.dense.weight');
  const classifier = tensors.get('classifier.weight');
  return classifier && classifier.shape.length === 2 ? { mlm, classifier: { numLabels: classifier.shape[0] } } : { mlm };
}

/** Parameters stored in the file (buffers such as position_ids and the tied decoder weight are not parameters). */
export function storedParameterCount(tensors: TensorMap): { total: number; embedding: number } {
  let total = 0;
  let embedding = 0;
  for (const [name, t] of tensors) {
    if (/(^|\.)position_ids$/.test(name) || name === 'cls.predictions.decoder.weight' || name === 'cls.predictions.decoder.bias') continue;
    const n = t.shape.reduce((a, b) => a * b, 1);
    total += n;
    if (/(^|\.)embeddings\.(word|position|token_type)_embeddings\.weight$/.test(name)) embedding += n;
  }
  return { total, embedding };
}
