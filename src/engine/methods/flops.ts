// The FLOPs of the forward passes the methods actually run, from costs/flops.ts's formulas: every batch is
// counted at its padded shape (B rows × the batch's longest sequence), and the masked-LM head only over the
// vocabulary ids it really projects (a verbalizer's handful, or the whole vocabulary for the auxiliary MLM loss).
import { encoderForwardFlops, headForwardFlops, shapeOf } from '../costs/flops';
import type { BertConfig } from '../model/config';

/** Forward FLOPs of a classifier (encoder + pooler + classifier) over a padded batch of `rows` × `seqLen`. */
export function classifierForwardFlops(config: BertConfig, numLabels: number, rows: number, seqLen: number): number {
  const s = shapeOf(config);
  return rows * (encoderForwardFlops(s, seqLen) + headForwardFlops(s, { kind: 'classifier', numLabels }));
}

/**
 * Forward FLOPs of a masked-LM pass over a padded batch: the encoder on every row, the MLM head at `maskCount`
 * positions over `vocabIds` output words.
 */
export function mlmForwardFlops(config: BertConfig, rows: number, seqLen: number, maskCount: number, vocabIds: number): number {
  const s = shapeOf(config);
  return rows * encoderForwardFlops(s, seqLen) + headForwardFlops(s, { kind: 'mlm', maskCount, vocabIds });
}
