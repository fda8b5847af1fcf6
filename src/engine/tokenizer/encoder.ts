// What both tokenizers share once text has become word pieces: truncation, special tokens, ids, padding.
// Subclasses say how to cut text into pieces, how special tokens frame one or two sequences, and how a piece
// becomes an id.

import { truncate } from './truncation';
import type { EncodeOptions, Encoding, SpecialIds, Tokenizer } from './types';

export interface Framed {
  tokens: string[];
  tokenTypeIds: number[];
}

export abstract class PieceEncoder implements Tokenizer {
  abstract readonly vocabSize: number;
  abstract readonly specialIds: SpecialIds;
  abstract readonly modelMaxLength: number;
  /** The padding token's text, used in `Encoding.tokens` at padded positions. */
  protected abstract readonly padToken: string;

  abstract tokenize(text: string): string[];
  abstract tokenToId(token: string): number | undefined;
  abstract idToToken(id: number): string | undefined;
  abstract save(dir: string): Promise<void>;

  /** Adds the special tokens around one or two piece sequences (e.g. `[CLS] a [SEP] b [SEP]`). */
  protected abstract frame(first: string[], second: string[] | undefined): Framed;

  /** How many special tokens `frame` adds for one sequence or a pair. */
  protected abstract specialCount(pair: boolean): number;

  encode(text: string, textPair?: string, opts: EncodeOptions = {}): Encoding {
    const maxLength = opts.maxLength ?? this.modelMaxLength;
    const strategy = opts.truncation ?? 'longest_first';
    const [first, second] = truncate(
      this.tokenize(text),
      textPair === undefined ? undefined : this.tokenize(textPair),
      this.specialCount(textPair !== undefined),
      maxLength,
      strategy,
    );
    const framed = this.frame(first, second);
    const inputIds = framed.tokens.map((t) => this.tokenToId(t) ?? this.specialIds.unk);
    return {
      // Like transformers' convert_ids_to_tokens: a piece that is not in the vocabulary shows as the unknown token.
      tokens: inputIds.map((id, i) => this.idToToken(id) ?? framed.tokens[i]),
      inputIds,
      tokenTypeIds: framed.tokenTypeIds,
      attentionMask: inputIds.map(() => 1),
    };
  }

  encodeBatch(
    items: { text: string; textPair?: string }[],
    opts: EncodeOptions & { padToMaxLength?: boolean } = {},
  ): Encoding[] {
    const encodings = items.map((item) => this.encode(item.text, item.textPair, opts));
    const length = opts.padToMaxLength
      ? (opts.maxLength ?? this.modelMaxLength)
      : Math.max(0, ...encodings.map((e) => e.inputIds.length));
    return encodings.map((e) => this.pad(e, length));
  }

  /** Right padding: pad id, token type 0, attention 0 (transformers' defaults for BERT). */
  private pad(e: Encoding, length: number): Encoding {
    const n = length - e.inputIds.length;
    if (n <= 0) return e;
    const fill = <T>(v: T) => new Array<T>(n).fill(v);
    return {
      tokens: [...e.tokens, ...fill(this.padToken)],
      inputIds: [...e.inputIds, ...fill(this.specialIds.pad)],
      tokenTypeIds: [...e.tokenTypeIds, ...fill(0)],
      attentionMask: [...e.attentionMask, ...fill(0)],
    };
  }
}
