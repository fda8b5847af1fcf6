// The tokenizer contract the rest of the engine codes against. Two implementations sit behind it: our own
// BERT WordPiece (vocab.txt, identical to transformers' slow BertTokenizer) and a wrapper around
// @huggingface/tokenizers for checkpoints that ship a tokenizer.json.

/** One encoded example, ready to become the model's `input_ids` / `token_type_ids` / `attention_mask`. */
export interface Encoding {
  tokens: string[];
  inputIds: number[];
  tokenTypeIds: number[];
  attentionMask: number[];
}

/**
 * transformers' truncation strategies. `longest_first` removes one token at a time from the longer sequence
 * (from the second on ties); `false` never truncates.
 */
export type Truncation = 'longest_first' | 'only_first' | 'only_second' | false;

/** Defaults: maxLength = the tokenizer's modelMaxLength, truncation = 'longest_first'. */
export interface EncodeOptions {
  maxLength?: number;
  truncation?: Truncation;
}

export interface SpecialIds {
  pad: number;
  unk: number;
  cls: number;
  sep: number;
  mask: number;
}

export interface Tokenizer {
  /** One more than the largest id the tokenizer can produce (vocabulary plus added tokens). */
  readonly vocabSize: number;
  readonly specialIds: SpecialIds;
  /** From tokenizer_config.json `model_max_length`; absent or absurd values (1e30) become 512. */
  readonly modelMaxLength: number;
  /** Word pieces without special tokens (transformers' `tokenizer.tokenize`). */
  tokenize(text: string): string[];
  /** `[CLS] text [SEP]`, or `[CLS] text [SEP] textPair [SEP]` when textPair is given (even if empty). */
  encode(text: string, textPair?: string, opts?: EncodeOptions): Encoding;
  /** Pads each encoding to the longest in the batch (padding='longest'), or to maxLength when padToMaxLength. */
  encodeBatch(
    items: { text: string; textPair?: string }[],
    opts?: EncodeOptions & { padToMaxLength?: boolean },
  ): Encoding[];
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** Writes the tokenizer files (vocab.txt, tokenizer_config.json, special_tokens_map.json, tokenizer.json if any) into dir so transformers can load them. */
  save(dir: string): Promise<void>;
}
