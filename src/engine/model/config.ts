// BERT's config.json, read the way transformers' BertConfig reads it (same defaults for absent fields) and
// checked before anything is allocated: a typo'd or hostile config must give a one-line error naming the field,
// not an out-of-memory crash half a minute later.
import { totalmem } from 'node:os';
import { UserError } from '../errors';

export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu';
const HIDDEN_ACTS: readonly HiddenAct[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'];

export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  /** 'gelu' is the exact erf GELU; 'gelu_new' and 'gelu_pytorch_tanh' the tanh approximation. */
  hiddenAct: HiddenAct;
  hiddenDropoutProb: number;
  attentionProbsDropoutProb: number;
  /** Dropout before the classifier; null means hiddenDropoutProb (as in transformers). */
  classifierDropout: number | null;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  layerNormEps: number;
  initializerRange: number;
  /** The padding token: its word-embedding row gets no gradient (torch's padding_idx). null: none. */
  padTokenId: number | null;
  /** Class names by class index 0..n-1, when the checkpoint names them. */
  id2label?: string[];
  architectures?: string[];
  /** Every other field of config.json, kept so that writing the config back loses nothing. */
  extra: Record<string, unknown>;
}

/** Upper bounds well above any BERT-family model (bert-large: H 1024, 24 layers, I 4096; mBERT: V 120k). */
const LIMITS = {
  vocab_size: 2_000_000,
  hidden_size: 16_384,
  num_hidden_layers: 256,
  num_attention_heads: 1_024,
  intermediate_size: 131_072,
  max_position_embeddings: 65_536,
  type_vocab_size: 1_024,
};
export const MAX_PARAMETERS = 2e9;

/** Fields BertConfig reads; everything else goes to `extra`. */
const KNOWN = new Set([
  'vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'hidden_act',
  'hidden_dropout_prob', 'attention_probs_dropout_prob', 'classifier_dropout', 'max_position_embeddings',
  'type_vocab_size', 'layer_norm_eps', 'initializer_range', 'pad_token_id', 'position_embedding_type', 'id2label',
  'label2id', 'architectures', 'model_type', 'num_labels',
]);

export interface ParseOptions {
  /** Bytes of memory the weights must fit in; default: this machine's total memory. */
  memoryBytes?: number;
}

/**
 * Checks a parsed config.json and returns it typed. `file` is named in every error. Sizes are checked against
 * fixed limits, against 2e9 parameters, and against the memory the float32 weights would take.
 */
export function parseBertConfig(json: unknown, file: string, options: ParseOptions = {}): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UserError('config.json must hold a JSON object', { file }, 'Use the config.json saved with the model.');
  }
  const raw = json as Record<string, unknown>;
  const bad = (field: string, problem: string, fix: string): UserError => new UserError(problem, { file, field }, fix);

  const modelType = raw.model_type;
  if (modelType !== undefined && modelType !== 'bert') {
    throw bad('model_type', `model_type "${String(modelType)}" is not supported: Adapt Lab runs BERT models (model_type "bert")`,
      'Choose a BERT checkpoint (e.g. google/bert_uncased_L-2_H-128_A-2 or bert-base-uncased).');
  }
  const positionType = raw.position_embedding_type ?? 'absolute';
  if (positionType !== 'absolute') {
    throw bad('position_embedding_type', `position_embedding_type "${String(positionType)}" is not supported, only "absolute"`,
      'Choose a checkpoint with absolute position embeddings (the BERT default).');
  }
  if (raw.is_decoder === true || raw.add_cross_attention === true) {
    throw bad(raw.is_decoder === true ? 'is_decoder' : 'add_cross_attention', 'decoder BERT models are not supported',
      'Choose an encoder checkpoint (is_decoder false).');
  }

  const int = (field: keyof typeof LIMITS, dflt: number, min = 1): number => {
    const v = raw[field] ?? dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > LIMITS[field]) {
      throw bad(field, `${field} must be a whole number from ${min} to ${LIMITS[field]}, not ${JSON.stringify(v)}`,
        `Correct ${field} in ${file} (it must match the weights).`);
    }
    return v;
  };
  const prob = (field: string, dflt: number | null): number | null => {
    const v = field in raw ? raw[field] : dflt;
    if (v === null && dflt === null) return null;
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
      throw bad(field, `${field} must be a probability in [0, 1), not ${JSON.stringify(v)}`, `Correct ${field} in ${file} (BERT uses 0.1).`);
    }
    return v;
  };
  const positive = (field: string, dflt: number): number => {
    const v = raw[field] ?? dflt;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw bad(field, `${field} must be a positive number, not ${JSON.stringify(v)}`, `Correct ${field} in ${file} (BERT uses ${dflt}).`);
    }
    return v;
  };

  const vocabSize = int('vocab_size', 30522);
  const hiddenSize = int('hidden_size', 768);
  const numHiddenLayers = int('num_hidden_layers', 12);
  const numAttentionHeads = int('num_attention_heads', 12);
  const intermediateSize = int('intermediate_size', 3072);
  const maxPositionEmbeddings = int('max_position_embeddings', 512);
  const typeVocabSize = int('type_vocab_size', 2);
  if (hiddenSize % numAttentionHeads !== 0) {
    throw bad('num_attention_heads', `num_attention_heads (${numAttentionHeads}) must divide hidden_size (${hiddenSize})`,
      `Correct num_attention_heads or hidden_size in ${file}.`);
  }
  const hiddenAct = raw.hidden_act ?? 'gelu';
  if (!HIDDEN_ACTS.includes(hiddenAct as HiddenAct)) {
    throw bad('hidden_act', `hidden_act ${JSON.stringify(hiddenAct)} is not supported`, `Use one of ${HIDDEN_ACTS.join(', ')}.`);
  }
  const padRaw = 'pad_token_id' in raw ? raw.pad_token_id : 0;
  if (padRaw !== null && (typeof padRaw !== 'number' || !Number.isInteger(padRaw) || padRaw < 0 || padRaw >= vocabSize)) {
    throw bad('pad_token_id', `pad_token_id must be a token id below vocab_size (${vocabSize}) or null, not ${JSON.stringify(padRaw)}`,
      `Correct pad_token_id in ${file} (BERT uses 0).`);
  }

  const config: BertConfig = {
    vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
    hiddenAct: hiddenAct as HiddenAct,
    hiddenDropoutProb: prob('hidden_dropout_prob', 0.1)!,
    attentionProbsDropoutProb: prob('attention_probs_dropout_prob', 0.1)!,
    classifierDropout: prob('classifier_dropout', null),
    maxPositionEmbeddings, typeVocabSize,
    layerNormEps: positive('layer_norm_eps', 1e-12),
    initializerRange: positive('initializer_range', 0.02),
    padTokenId: padRaw as number | null,
    extra: Object.fromEntries(Object.entries(raw).filter(([k]) => !KNOWN.has(k))),
  };
  const labels = parseLabels(raw, file);
  if (labels) config.id2label = labels;
  if (raw.architectures !== undefined) {
    if (!Array.isArray(raw.architectures) || !raw.architectures.every((a) => typeof a === 'string')) {
      throw bad('architectures', 'architectures must be a list of class names', `Correct architectures in ${file}.`);
    }
    config.architectures = raw.architectures as string[];
  }
  checkSize(config, file, options.memoryBytes ?? totalmem());
  return config;
}

/** id2label as a list indexed by class; label2id, when present, must say the same thing. */
function parseLabels(raw: Record<string, unknown>, file: string): string[] | undefined {
  const { id2label, label2id, num_labels: numLabels } = raw;
  if (numLabels !== undefined && (typeof numLabels !== 'number' || !Number.isInteger(numLabels) || numLabels < 1 || numLabels > 100_000)) {
    throw new UserError(`num_labels must be a whole number of classes, not ${JSON.stringify(numLabels)}`, { file, field: 'num_labels' },
      `Correct num_labels in ${file}.`);
  }
  if (id2label === undefined || id2label === null) {
    // transformers names the classes LABEL_0.. when only their number is given.
    return numLabels === undefined ? undefined : Array.from({ length: numLabels as number }, (_, i) => `LABEL_${i}`);
  }
  const fix = `Correct id2label in ${file}: it maps "0", "1", ... to class names.`;
  if (typeof id2label !== 'object' || Array.isArray(id2label)) {
    throw new UserError('id2label must be an object from class index to name', { file, field: 'id2label' }, fix);
  }
  const entries = Object.entries(id2label as Record<string, unknown>);
  const labels: string[] = new Array(entries.length);
  for (const [k, v] of entries) {
    const i = Number(k);
    if (!/^\d+$/.test(k) || i >= entries.length || typeof v !== 'string' || labels[i] !== undefined) {
      throw new UserError(`id2label must number its classes 0 to ${entries.length - 1} with names; "${k}": ${JSON.stringify(v)} is not`,
        { file, field: `id2label.${k}` }, fix);
    }
    labels[i] = v;
  }
  if (numLabels !== undefined && numLabels !== labels.length) {
    throw new UserError(`num_labels (${numLabels}) does not match the ${labels.length} classes of id2label`, { file, field: 'num_labels' },
      `Make num_labels in ${file} agree with id2label (or delete it).`);
  }
  if (label2id !== undefined && label2id !== null) {
    const map = label2id as Record<string, unknown>;
    const agrees = typeof map === 'object' && Object.keys(map).length === labels.length && labels.every((name, i) => map[name] === i);
    if (!agrees) {
      throw new UserError('label2id does not agree with id2label', { file, field: 'label2id' },
        `Make label2id in ${file} the inverse of id2label (or delete it).`);
    }
  }
  return labels;
}

/** Parameters of the encoder, pooler, classifier (numLabels) and MLM head — what would be allocated. */
export function countParameters(config: BertConfig, heads: { mlm?: boolean; numLabels?: number } = { mlm: true }): number {
  const { vocabSize: V, hiddenSize: H, intermediateSize: I, maxPositionEmbeddings: P, typeVocabSize: T } = config;
  const embeddings = (V + P + T) * H + 2 * H;
  const layer = 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H;
  let total = embeddings + config.numHiddenLayers * layer;
  if (heads.numLabels !== undefined) total += H * H + H + H * heads.numLabels + heads.numLabels;
  if (heads.mlm) total += H * H + H + 2 * H + V;
  return total;
}

function checkSize(config: BertConfig, file: string, memoryBytes: number): void {
  const params = countParameters(config, { mlm: true, numLabels: config.id2label?.length ?? 2 });
  const fix = `Check hidden_size, num_hidden_layers, intermediate_size and vocab_size in ${file}.`;
  if (params > MAX_PARAMETERS) {
    throw new UserError(`the model would have ${(params / 1e9).toFixed(1)} billion parameters, more than the 2 billion Adapt Lab can train`,
      { file, field: 'hidden_size' }, fix);
  }
  const bytes = params * 4;
  if (bytes > memoryBytes) {
    throw new UserError(`the model's weights alone would take ${(bytes / 2 ** 30).toFixed(1)} GiB, more than this machine's ${(memoryBytes / 2 ** 30).toFixed(1)} GiB of memory`,
      { file, field: 'hidden_size' }, fix);
  }
}

/** config.json as transformers writes it (keys sorted), from a parsed config plus the model's heads. */
export function toConfigJson(config: BertConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...config.extra,
    attention_probs_dropout_prob: config.attentionProbsDropoutProb,
    classifier_dropout: config.classifierDropout,
    hidden_act: config.hiddenAct,
    hidden_dropout_prob: config.hiddenDropoutProb,
    hidden_size: config.hiddenSize,
    initializer_range: config.initializerRange,
    intermediate_size: config.intermediateSize,
    layer_norm_eps: config.layerNormEps,
    max_position_embeddings: config.maxPositionEmbeddings,
    model_type: 'bert',
    num_attention_heads: config.numAttentionHeads,
    num_hidden_layers: config.numHiddenLayers,
    pad_token_id: config.padTokenId,
    position_embedding_type: 'absolute',
    type_vocab_size: config.typeVocabSize,
    vocab_size: config.vocabSize,
  };
  if (config.architectures) out.architectures = config.architectures;
  if (config.id2label) {
    out.id2label = Object.fromEntries(config.id2label.map((name, i) => [String(i), name]));
    out.label2id = Object.fromEntries(config.id2label.map((name, i) => [name, i]));
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
