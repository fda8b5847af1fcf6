// Every parameter of a BERT with its heads: the Hugging Face name, our shape, how HF initialises it.
// One list serves creation (bert.ts), loading and exporting (weights.ts) and counting, so they cannot disagree.
import type { BertConfig } from './config';

/** Which heads sit on the encoder: the masked-LM head (prompting) and/or a classifier (fine-tuning). */
export interface BertHeads {
  mlm: boolean;
  classifier?: { numLabels: number };
}

export interface ParamSpec {
  /** Hugging Face name, as in BertForMaskedLM / BertForSequenceClassification checkpoints. */
  name: string;
  /** Our shape. Linear weights are [in, out] so that the forward pass is x·W. */
  shape: number[];
  /** Hugging Face's _init_weights: normal(0, initializer_range) for Linear and Embedding weights. */
  init: 'normal' | 'zeros' | 'ones';
  /** A torch Linear weight, stored [out, in] in checkpoints (transposed on load and export). */
  linear: boolean;
  /** Which part of the model it belongs to; trainable sets are unions of parts. */
  part: 'encoder' | 'pooler' | 'classifier' | 'mlm';
}

export const WORD_EMBEDDINGS = 'bert.embeddings.word_embeddings.weight';
export const layerPrefix = (l: number): string => `bert.encoder.layer.${l}.`;

export function parameterSpecs(config: BertConfig, heads: BertHeads): ParamSpec[] {
  const { vocabSize: V, hiddenSize: H, intermediateSize: I } = config;
  const specs: ParamSpec[] = [];
  const add = (part: ParamSpec['part'], name: string, shape: number[], init: ParamSpec['init'], linear = false): void => {
    specs.push({ name, shape, init, linear, part });
  };
  const dense = (part: ParamSpec['part'], prefix: string, inSize: number, outSize: number): void => {
    add(part, `${prefix}.weight`, [inSize, outSize], 'normal', true);
    add(part, `${prefix}.bias`, [outSize], 'zeros');
  };
  const layerNorm = (part: ParamSpec['part'], prefix: string): void => {
    add(part, `${prefix}.weight`, [H], 'ones');
    add(part, `${prefix}.bias`, [H], 'zeros');
  };

  add('encoder', WORD_EMBEDDINGS, [V, H], 'normal');
  add('encoder', 'bert.embeddings.position_embeddings.weight', [config.maxPositionEmbeddings, H], 'normal');
  add('encoder', 'bert.embeddings.token_type_embeddings.weight', [config.typeVocabSize, H], 'normal');
  layerNorm('encoder', 'bert.embeddings.LayerNorm');
  for (let l = 0; l < config.numHiddenLayers; l++) {
    const p = layerPrefix(l);
    dense('encoder', `${p}attention.self.query`, H, H);
    dense('encoder', `${p}attention.self.key`, H, H);
    dense('encoder', `${p}attention.self.value`, H, H);
    dense('encoder', `${p}attention.output.dense`, H, H);
    layerNorm('encoder', `${p}attention.output.LayerNorm`);
    dense('encoder', `${p}intermediate.dense`, H, I);
    dense('encoder', `${p}output.dense`, I, H);
    layerNorm('encoder', `${p}output.LayerNorm`);
  }
  if (heads.classifier) {
    // BertForSequenceClassification has the pooler; BertForMaskedLM is built without it.
    dense('pooler', 'bert.pooler.dense', H, H);
    dense('classifier', 'classifier', H, heads.classifier.numLabels);
  }
  if (heads.mlm) {
    dense('mlm', 'cls.predictions.transform.dense', H, H);
    layerNorm('mlm', 'cls.predictions.transform.LayerNorm');
    // The decoder weight is the word-embedding matrix itself (tied); only its bias is a parameter of the head.
    add('mlm', 'cls.predictions.bias', [V], 'zeros');
  }
  return specs;
}
