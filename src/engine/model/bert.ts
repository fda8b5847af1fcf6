// BERT as Hugging Face's modeling_bert.py computes it (BertModel + BertForSequenceClassification's head +
// BertForMaskedLM's head), with parameters named as in their checkpoints so that loading is a mapping.
//
// Activations are kept 2-D, [B·T, H], between layers: every dense layer is then one plain 2-D product (the fast
// path on wasm, see ops.ts), and the heads gather their rows ([CLS], [MASK] positions) from it directly.
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from './config';
import { initialValues } from './init';
import { activation, Dropout, embeddingLookup, layerNorm } from './layers';
import { type BertHeads, layerPrefix, parameterSpecs, WORD_EMBEDDINGS } from './layout';
import { batchMatMul, linear, matMulTransposed } from './ops';

/** One batch of tokenised inputs, each [B, T]: int32 ids, int32 segment ids, 1/0 attention mask (int32 or float32). */
export interface BertBatch {
  inputIds: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
}

export interface ForwardOptions {
  /** Dropout on (training) or off (evaluation, the default). */
  training?: boolean;
  /** Seed of the dropout masks; required when training. */
  seed?: number;
}

/** torch.finfo(torch.float32).min, which transformers adds to the attention scores of padded positions. */
const FLOAT32_MIN = -3.4028234663852886e38;

let instances = 0;

export class Bert {
  /** TF.js variable names must be unique in the process; ours are `bert<n>/<HF name>`. */
  private readonly scope = `bert${instances++}`;

  private constructor(
    readonly config: BertConfig,
    readonly heads: BertHeads,
    /** Every parameter, keyed by its Hugging Face name. */
    readonly params: Map<string, tf.Variable>,
  ) {}

  /**
   * A new model with Hugging Face's initialisation, reproducible from `seed`. `values` (our layout, by HF name)
   * are used as given instead of drawn — weights.ts's createFromWeights uses this so that a checkpoint's
   * parameters are not first drawn at random (3.4 s for bert-base) only to be overwritten.
   */
  static create(config: BertConfig, options: { heads: BertHeads; seed: number; values?: ReadonlyMap<string, Float32Array> }): Bert {
    const params = new Map<string, tf.Variable>();
    const model = new Bert(config, options.heads, params);
    for (const spec of parameterSpecs(config, options.heads)) {
      const values = options.values?.get(spec.name) ?? initialValues(spec, config, options.seed);
      // tidy frees the initial tensor; the variable keeps its own reference to the data.
      params.set(spec.name, tf.tidy(() => tf.variable(tf.tensor(values, spec.shape, 'float32'), true, `${model.scope}/${spec.name}`)));
    }
    return model;
  }

  /** The parameters a task trains: the encoder plus the pooler and classifier, or plus the MLM head. */
  trainableParams(kind: 'classifier' | 'mlm'): Map<string, tf.Variable> {
    if (kind === 'classifier' ? !this.heads.classifier : !this.heads.mlm) throw new Error(`this model has no ${kind} head`);
    const parts = kind === 'classifier' ? ['encoder', 'pooler', 'classifier'] : ['encoder', 'mlm'];
    const out = new Map<string, tf.Variable>();
    for (const spec of parameterSpecs(this.config, this.heads)) {
      if (parts.includes(spec.part)) out.set(spec.name, this.param(spec.name));
    }
    return out;
  }

  /** The last hidden states [B, T, H] (BertModel's last_hidden_state) and, if asked, the embedding output. */
  encode(batch: BertBatch, options: ForwardOptions & { outputEmbeddings?: boolean } = {}): { hidden: tf.Tensor3D; embeddings?: tf.Tensor3D } {
    const [b, t] = batch.inputIds.shape;
    const h = this.config.hiddenSize;
    return tf.tidy(() => {
      const { hidden, embeddings } = this.encodeFlat(batch, new Dropout(options.training ?? false, options.seed));
      const out: { hidden: tf.Tensor3D; embeddings?: tf.Tensor3D } = { hidden: tf.reshape(hidden, [b, t, h]) };
      if (options.outputEmbeddings) out.embeddings = tf.reshape(embeddings, [b, t, h]);
      return out;
    });
  }

  /** BertForSequenceClassification's logits [B, numLabels]. */
  classifyLogits(batch: BertBatch, options: ForwardOptions = {}): tf.Tensor2D {
    return this.classify(batch, options).logits;
  }

  /** The classifier's logits and the pooler output [B, H] they are computed from. */
  classify(batch: BertBatch, options: ForwardOptions = {}): { logits: tf.Tensor2D; pooled: tf.Tensor2D } {
    const classifier = this.heads.classifier;
    if (!classifier) throw new Error('this model has no classifier head');
    return tf.tidy(() => {
      const dropout = new Dropout(options.training ?? false, options.seed);
      const { hidden } = this.encodeFlat(batch, dropout);
      const [b, t] = batch.inputIds.shape;
      const cls = tf.gather(hidden, tf.range(0, b * t, t, 'int32')) as tf.Tensor2D; // the [CLS] row of each example
      const pooled = tf.tanh(linear(cls, this.p2('bert.pooler.dense.weight'), this.p1('bert.pooler.dense.bias')));
      const rate = this.config.classifierDropout ?? this.config.hiddenDropoutProb;
      const logits = linear(dropout.apply(pooled, rate), this.p2('classifier.weight'), this.p1('classifier.bias'));
      return { logits, pooled };
    });
  }

  /**
   * Masked-LM logits at the given positions (flat indices b·T + t into the batch, int32 [M]): over the whole
   * vocabulary [M, V], or only over `vocabIds` (int32 [K]) as [M, K] — the same numbers as those columns of the
   * full logits, for 2·H·K instead of 2·H·V operations per position (a verbalizer needs a handful of words).
   */
  mlmLogits(batch: BertBatch, positions: tf.Tensor1D, vocabIds?: tf.Tensor1D, options: ForwardOptions = {}): tf.Tensor2D {
    if (!this.heads.mlm) throw new Error('this model has no masked-LM head');
    return tf.tidy(() => {
      const { hidden } = this.encodeFlat(batch, new Dropout(options.training ?? false, options.seed));
      const c = this.config;
      let x = tf.gather(hidden, positions) as tf.Tensor2D;
      x = activation(linear(x, this.p2('cls.predictions.transform.dense.weight'), this.p1('cls.predictions.transform.dense.bias')), c.hiddenAct);
      x = layerNorm(x, this.p1('cls.predictions.transform.LayerNorm.weight'), this.p1('cls.predictions.transform.LayerNorm.bias'), c.layerNormEps);
      const words = this.p2(WORD_EMBEDDINGS); // the decoder is tied to the word embeddings
      const bias = this.p1('cls.predictions.bias');
      if (!vocabIds) return matMulTransposed(x, words, bias);
      return matMulTransposed(x, tf.gather(words, vocabIds), tf.gather(bias, vocabIds));
    });
  }

  /** Frees every parameter. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }

  private p1(name: string): tf.Tensor1D {
    return this.param(name) as tf.Tensor1D;
  }

  private p2(name: string): tf.Tensor2D {
    return this.param(name) as tf.Tensor2D;
  }

  private param(name: string): tf.Variable {
    const v = this.params.get(name);
    if (!v) throw new Error(`parameter ${name} missing`);
    return v;
  }

  /** BertModel without the pooler: the embedding output and the last hidden states, both [B·T, H]. */
  private encodeFlat(batch: BertBatch, dropout: Dropout): { hidden: tf.Tensor2D; embeddings: tf.Tensor2D } {
    const c = this.config;
    const [b, t] = batch.inputIds.shape;
    if (t > c.maxPositionEmbeddings) {
      throw new Error(`sequence length ${t} exceeds max_position_embeddings (${c.maxPositionEmbeddings})`);
    }
    const h = c.hiddenSize;
    // BertEmbeddings: word + token type, then + position (absolute, positions 0..T-1), LayerNorm, dropout.
    const ids = tf.reshape(batch.inputIds, [b * t]) as tf.Tensor1D;
    const types = tf.reshape(batch.tokenTypeIds, [b * t]) as tf.Tensor1D;
    let x = tf.add(embeddingLookup(this.p2(WORD_EMBEDDINGS), ids, c.padTokenId), tf.gather(this.p2('bert.embeddings.token_type_embeddings.weight'), types));
    const positions = tf.slice(this.p2('bert.embeddings.position_embeddings.weight'), [0, 0], [t, h]);
    x = tf.reshape(tf.add(tf.reshape(x, [b, t, h]), positions), [b * t, h]);
    x = dropout.apply(layerNorm(x as tf.Tensor2D, this.p1('bert.embeddings.LayerNorm.weight'), this.p1('bert.embeddings.LayerNorm.bias'), c.layerNormEps), c.hiddenDropoutProb);
    const embeddings = x as tf.Tensor2D;

    // (1 − mask)·float32.min on the scores of padded keys, shaped to broadcast over heads and queries.
    const maskBias = tf.reshape(tf.mul(tf.sub(1, tf.cast(batch.attentionMask, 'float32')), FLOAT32_MIN), [b, 1, 1, t]);
    let hidden = embeddings;
    for (let l = 0; l < c.numHiddenLayers; l++) hidden = this.layer(l, hidden, maskBias, b, t, dropout);
    return { hidden, embeddings };
  }

  /** One BertLayer: self-attention, add & LayerNorm, feed-forward, add & LayerNorm. */
  private layer(l: number, x: tf.Tensor2D, maskBias: tf.Tensor, b: number, t: number, dropout: Dropout): tf.Tensor2D {
    const c = this.config;
    const p = layerPrefix(l);
    const dense = (name: string, input: tf.Tensor2D): tf.Tensor2D => linear(input, this.p2(`${p}${name}.weight`), this.p1(`${p}${name}.bias`));
    const a = c.numAttentionHeads;
    const d = c.hiddenSize / a;
    // [B·T, H] → [B·A, T, d]: one T×d matrix per (example, head).
    const heads = (y: tf.Tensor2D): tf.Tensor3D => tf.reshape(tf.transpose(tf.reshape(y, [b, t, a, d]), [0, 2, 1, 3]), [b * a, t, d]);
    const q = heads(dense('attention.self.query', x));
    const k = heads(dense('attention.self.key', x));
    const v = heads(dense('attention.self.value', x));
    const scores = tf.add(tf.reshape(tf.div(batchMatMul(q, k, true), Math.sqrt(d)), [b, a, t, t]), maskBias);
    const probs = dropout.apply(tf.softmax(scores), c.attentionProbsDropoutProb);
    const context = batchMatMul(tf.reshape(probs, [b * a, t, t]), v);
    const merged = tf.reshape(tf.transpose(tf.reshape(context, [b, a, t, d]), [0, 2, 1, 3]), [b * t, c.hiddenSize]) as tf.Tensor2D;
    const attended = layerNorm(
      tf.add(dropout.apply(dense('attention.output.dense', merged), c.hiddenDropoutProb), x),
      this.p1(`${p}attention.output.LayerNorm.weight`), this.p1(`${p}attention.output.LayerNorm.bias`), c.layerNormEps);
    const inner = activation(dense('intermediate.dense', attended), c.hiddenAct);
    return layerNorm(
      tf.add(dropout.apply(dense('output.dense', inner), c.hiddenDropoutProb), attended),
      this.p1(`${p}output.LayerNorm.weight`), this.p1(`${p}output.LayerNorm.bias`), c.layerNormEps);
  }
}
