// Counting the work a BERT does, from the shapes actually run. A multiply-add is 2 FLOPs; softmax, LayerNorm,
// GELU and other elementwise work is left out (it is a few percent at these sizes, and the study's comparisons are
// dominated by matrix products). The backward pass is counted as 2× the forward (the usual convention: one product
// for the input gradient and one for the weight gradient per forward product).

import type { BertConfig } from '../model/config';

export interface ModelShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocab: number;
  maxPositions: number;
  typeVocab: number;
}

export function shapeOf(config: BertConfig): ModelShape {
  return {
    layers: config.numHiddenLayers,
    hidden: config.hiddenSize,
    heads: config.numAttentionHeads,
    intermediate: config.intermediateSize,
    vocab: config.vocabSize,
    maxPositions: config.maxPositionEmbeddings,
    typeVocab: config.typeVocabSize,
  };
}

export interface ParamCount {
  total: number;
  /** Everything but the word, position and token-type embeddings (Kaplan et al.'s N). */
  nonEmbedding: number;
  embedding: number;
}

/** Parameters of the encoder plus the heads asked for; the MLM decoder is tied to the word embeddings. */
export function countParams(s: ModelShape, heads: { pooler?: boolean; numLabels?: number; mlm?: boolean } = {}): ParamCount {
  const h = s.hidden;
  const embedding = (s.vocab + s.maxPositions + s.typeVocab) * h;
  const embNorm = 2 * h;
  const perLayer = 4 * (h * h + h) + 2 * h + (h * s.intermediate + s.intermediate) + (s.intermediate * h + h) + 2 * h;
  let rest = embNorm + s.layers * perLayer;
  if (heads.pooler || heads.numLabels) rest += h * h + h;
  if (heads.numLabels) rest += h * heads.numLabels + heads.numLabels;
  if (heads.mlm) rest += h * h + h + 2 * h + s.vocab;
  return { total: embedding + rest, nonEmbedding: rest, embedding };
}

/**
 * Forward FLOPs of the encoder for one sequence of `seqLen` tokens (all of them attended to).
 * Per layer and token: Q, K, V and output projections 4·2H², the feed-forward 2·2·H·I, and attention
 * scores plus the weighted sum of values 2·2·T·H.
 */
export function encoderForwardFlops(s: ModelShape, seqLen: number): number {
  const h = s.hidden;
  const perToken = 8 * h * h + 4 * h * s.intermediate + 4 * seqLen * h;
  return s.layers * perToken * seqLen;
}

/** Forward FLOPs of the heads: pooler + classifier on [CLS], or the MLM transform + decoder at `maskCount` positions over `vocabIds` words. */
export function headForwardFlops(
  s: ModelShape,
  head: { kind: 'classifier'; numLabels: number } | { kind: 'mlm'; maskCount: number; vocabIds: number },
): number {
  const h = s.hidden;
  if (head.kind === 'classifier') return 2 * h * h + 2 * h * head.numLabels;
  return head.maskCount * (2 * h * h + 2 * h * head.vocabIds);
}

/** Forward FLOPs per token at a given sequence length (encoder only), as `adapt-lab info` reports it. */
export function forwardFlopsPerToken(s: ModelShape, seqLen: number): number {
  return encoderForwardFlops(s, seqLen) / seqLen;
}

/** Training FLOPs for one step given the forward FLOPs of the batch: forward + backward (2× forward). */
export function trainStepFlops(forwardFlops: number): number {
  return 3 * forwardFlops;
}
