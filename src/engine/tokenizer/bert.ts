// BertTokenizer as transformers 4.31 builds it with from_pretrained: vocab.txt plus its JSON settings, special
// and added tokens kept whole, then BasicTokenizer and WordPiece on the text between them.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors';
import { BasicTokenizer } from './basic';
import { SPECIAL_NAMES, type TokenizerSettings } from './config';
import { PieceEncoder, type Framed } from './encoder';
import { NoSplitTokens } from './no-split';
import type { SpecialIds } from './types';
import type { Vocab } from './vocab';
import { WordPiece } from './wordpiece';

export class BertTokenizer extends PieceEncoder {
  readonly vocabSize: number;
  readonly specialIds: SpecialIds;
  readonly modelMaxLength: number;
  protected readonly padToken: string;

  /** The BasicTokenizer on its own; undefined when do_basic_tokenize is false. */
  readonly basic: BasicTokenizer | undefined;
  private readonly wordpiece: WordPiece;
  private readonly noSplit: NoSplitTokens;
  private readonly allSpecials: ReadonlySet<string>;
  /** Tokens beyond vocab.txt (added_tokens.json, or special tokens missing from the vocabulary). */
  private readonly addedIds = new Map<string, number>();
  private readonly addedTokens = new Map<number, string>();

  constructor(
    private readonly vocab: Vocab,
    private readonly settings: TokenizerSettings,
    private readonly vocabFile = 'vocab.txt',
  ) {
    super();
    const { specials, doLowerCase } = settings;
    this.allSpecials = new Set([...SPECIAL_NAMES.map((n) => specials[n]), ...settings.additionalSpecials]);
    this.addAddedTokens();

    this.specialIds = Object.fromEntries(
      SPECIAL_NAMES.map((name) => [name, this.requireId(specials[name], `${name}_token`)]),
    ) as unknown as SpecialIds;
    this.padToken = specials.pad;
    this.vocabSize = Math.max(vocab.size, ...[...this.addedTokens.keys()].map((id) => id + 1));
    this.modelMaxLength = settings.modelMaxLength;

    // transformers' trie holds every special token and every added token.
    this.noSplit = new NoSplitTokens([...this.allSpecials, ...this.addedIds.keys()]);
    this.basic = settings.doBasicTokenize
      ? new BasicTokenizer({
          doLowerCase,
          stripAccents: settings.stripAccents,
          tokenizeChineseChars: settings.tokenizeChineseChars,
          neverSplit: settings.neverSplit,
        })
      : undefined;
    this.wordpiece = new WordPiece(vocab.map, specials.unk);
  }

  /**
   * Registers added tokens the way from_pretrained does: in id order, each new one taking the next free id;
   * non-special ones lower-cased when do_lower_case; tokens already in the vocabulary skipped. Special
   * tokens missing from both are added last, as transformers' sanitize_special_tokens does.
   */
  private addAddedTokens(): void {
    const add = (content: string) => {
      const id = this.vocab.distinct + this.addedIds.size;
      this.addedIds.set(content, id);
      this.addedTokens.set(id, content);
      return id;
    };
    for (const entry of this.settings.added) {
      const special = entry.special || this.allSpecials.has(entry.content);
      const content = !special && this.settings.doLowerCase ? entry.content.toLowerCase() : entry.content;
      if (this.vocab.id(content) !== undefined || this.addedIds.has(content)) continue;
      const expected = this.vocab.distinct + this.addedIds.size;
      if (entry.id !== expected) {
        throw new UserError(
          `added token ${JSON.stringify(entry.content)} has id ${entry.id}, but the next free id is ${expected}`,
          { file: path.join(path.dirname(this.vocabFile), 'added_tokens.json'), field: entry.content },
          'Added token ids must continue the vocabulary without gaps; restore the files from the original checkpoint.',
        );
      }
      add(content);
    }
    for (const token of this.settings.additionalSpecials) {
      if (this.tokenToId(token) === undefined) add(token);
    }
  }

  private requireId(token: string, field: string): number {
    const id = this.tokenToId(token);
    if (id !== undefined) return id;
    const bom = this.vocab.lines[0]?.startsWith('\ufeff') ? ' (its first line starts with a byte-order mark)' : '';
    throw new UserError(
      `the vocabulary has no ${field} ${JSON.stringify(token)}${bom}`,
      { file: this.vocabFile, field },
      `Add ${JSON.stringify(token)} as a line of vocab.txt, or set "${field}" in tokenizer_config.json to a token the vocabulary has.`,
    );
  }

  tokenize(text: string): string[] {
    // transformers lower-cases before cutting out special tokens only when there is a BasicTokenizer to ask
    // (its do_lower_case property); without one nothing is lower-cased at all.
    if (this.basic && this.settings.doLowerCase) text = this.noSplit.lowerOutside(text);
    const out: string[] = [];
    for (const piece of this.noSplit.split(text)) {
      if (piece.whole) out.push(piece.text);
      else this.tokenizeBetween(piece.text, out);
    }
    return out;
  }

  /** transformers' BertTokenizer._tokenize: text with no special or added tokens in it. */
  private tokenizeBetween(text: string, out: string[]): void {
    if (!this.basic) {
      out.push(...this.wordpiece.tokenize(text));
      return;
    }
    for (const word of this.basic.tokenize(text, this.allSpecials)) {
      if (this.basic.neverSplit.has(word)) out.push(word);
      else out.push(...this.wordpiece.tokenize(word));
    }
  }

  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.vocab.id(token);
  }

  idToToken(id: number): string | undefined {
    return this.addedTokens.get(id) ?? this.vocab.token(id);
  }

  protected frame(first: string[], second: string[] | undefined): Framed {
    const { cls, sep } = this.settings.specials;
    const tokens = [cls, ...first, sep];
    const tokenTypeIds = tokens.map(() => 0);
    if (second !== undefined) {
      tokens.push(...second, sep);
      tokenTypeIds.push(...second.map(() => 1), 1);
    }
    return { tokens, tokenTypeIds };
  }

  protected specialCount(pair: boolean): number {
    return pair ? 3 : 2;
  }

  async save(dir: string): Promise<void> {
    const s = this.settings;
    const specialsMap: Record<string, unknown> = Object.fromEntries(
      SPECIAL_NAMES.map((name) => [`${name}_token`, s.specials[name]]),
    );
    if (s.additionalSpecials.length > 0) specialsMap.additional_special_tokens = s.additionalSpecials;
    // Our resolved settings over the original file, minus added_tokens_decoder: the added tokens are written
    // to added_tokens.json instead, which every transformers version reads.
    const { added_tokens_decoder: _dropped, ...kept } = s.raw;
    const config = {
      ...kept,
      do_lower_case: s.doLowerCase,
      do_basic_tokenize: s.doBasicTokenize,
      never_split: s.neverSplit.length > 0 ? s.neverSplit : null,
      tokenize_chinese_chars: s.tokenizeChineseChars,
      strip_accents: s.stripAccents,
      model_max_length: s.modelMaxLength,
      tokenizer_class: typeof kept.tokenizer_class === 'string' ? kept.tokenizer_class : 'BertTokenizer',
      ...specialsMap,
    };
    await mkdir(dir, { recursive: true });
    const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
    await writeFile(path.join(dir, 'vocab.txt'), this.vocab.toText());
    await writeFile(path.join(dir, 'tokenizer_config.json'), json(config));
    await writeFile(path.join(dir, 'special_tokens_map.json'), json(specialsMap));
    if (this.addedIds.size > 0) {
      await writeFile(path.join(dir, 'added_tokens.json'), json(Object.fromEntries(this.addedIds)));
    }
  }
}
