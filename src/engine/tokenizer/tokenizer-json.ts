// Checkpoints that ship a tokenizer.json (what transformers' fast tokenizers save) are tokenized by
// @huggingface/tokenizers, the JavaScript port of the Rust library that wrote the file, rather than by our
// WordPiece: it follows whatever normalizer, pre-tokenizer and model the file describes. We keep
// truncation, framing and padding on our side so both tokenizers behave the same way around the pieces.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { UserError } from '../errors';
import { SPECIAL_NAMES, type TokenizerSettings } from './config';
import { PieceEncoder, type Framed } from './encoder';
import { FieldReader } from '../json/fields';
import type { SpecialIds } from './types';

/** The parts of the library's post-processor output we use (its class is not exported). */
interface PostProcessed {
  tokens: string[];
  tokens_pair?: string[];
  token_type_ids?: number[];
}
type PostProcessor = (a: string[], b: string[] | null, addSpecialTokens: boolean) => PostProcessed;

export class TokenizerJsonTokenizer extends PieceEncoder {
  readonly vocabSize: number;
  readonly specialIds: SpecialIds;
  readonly modelMaxLength: number;
  protected readonly padToken: string;

  /** Added tokens by text, plus their normalized text where the library matches that too. */
  private readonly addedIds = new Map<string, number>();

  private constructor(
    private readonly hf: HfTokenizer,
    private readonly jsonText: string,
    private readonly json: Record<string, unknown>,
    private readonly settings: TokenizerSettings,
    file: string,
  ) {
    super();
    for (const token of hf.get_added_tokens_decoder().values()) {
      this.addedIds.set(token.content, token.id);
      if (token.normalized && hf.normalizer) this.addedIds.set(hf.normalizer(token.content), token.id);
    }
    this.specialIds = Object.fromEntries(
      SPECIAL_NAMES.map((name) => {
        const token = settings.specials[name];
        const id = this.tokenToId(token);
        if (id === undefined) {
          throw new UserError(
            `tokenizer.json has no ${name}_token ${JSON.stringify(token)}`,
            { file, field: `${name}_token` },
            `Set "${name}_token" in tokenizer_config.json to a token the tokenizer has.`,
          );
        }
        return [name, id];
      }),
    ) as unknown as SpecialIds;
    this.padToken = settings.specials.pad;
    this.vocabSize = hf.model!.vocab.length;
    this.modelMaxLength = settings.modelMaxLength;
  }

  static async load(dir: string, settings: TokenizerSettings): Promise<TokenizerJsonTokenizer> {
    const file = path.join(dir, 'tokenizer.json');
    const jsonText = await readFile(file, 'utf8');
    const { doc, fields } = FieldReader.parse(jsonText, file, { fix: 'Fix the JSON syntax or restore tokenizer.json from the original checkpoint.' });
    const json = fields.object(doc, '', 'a JSON object');
    // The library insists that these keys exist; tokenizer.json files written by hand may leave them out.
    const complete = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, added_tokens: [], ...json };
    let hf: HfTokenizer;
    try {
      hf = new HfTokenizer(complete, settings.raw);
    } catch (e) {
      throw new UserError(
        `@huggingface/tokenizers cannot load it: ${(e as Error).message}`,
        { file },
        'Use a tokenizer.json saved by transformers or tokenizers, or remove it so vocab.txt is used instead.',
      );
    }
    if (!hf.model) {
      throw new UserError('tokenizer.json has no model', { file, field: 'model' }, 'Restore the file from the original checkpoint.');
    }
    return new TokenizerJsonTokenizer(hf, jsonText, json, settings, file);
  }

  tokenize(text: string): string[] {
    return this.hf.tokenize(text, { add_special_tokens: false });
  }

  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.hf.model!.tokens_to_ids.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }

  /** The file's post-processor (e.g. TemplateProcessing `[CLS] $A [SEP] $B:1 [SEP]:1`), or plain concatenation. */
  protected frame(first: string[], second: string[] | undefined): Framed {
    const post = this.hf.post_processor as unknown as PostProcessor | null;
    const out: PostProcessed = post ? post(first, second ?? null, true) : { tokens: first, tokens_pair: second };
    const pairPart = out.tokens_pair ?? [];
    return {
      tokens: [...out.tokens, ...pairPart],
      tokenTypeIds: out.token_type_ids ?? [...out.tokens.map(() => 0), ...pairPart.map(() => 1)],
    };
  }

  protected specialCount(pair: boolean): number {
    return this.frame([], pair ? [] : undefined).tokens.length;
  }

  async save(dir: string): Promise<void> {
    const s = this.settings;
    const specialsMap = Object.fromEntries(SPECIAL_NAMES.map((name) => [`${name}_token`, s.specials[name]]));
    const config = { ...s.raw, model_max_length: s.modelMaxLength, ...specialsMap };
    const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'tokenizer.json'), this.jsonText);
    await writeFile(path.join(dir, 'tokenizer_config.json'), json(config));
    await writeFile(path.join(dir, 'special_tokens_map.json'), json(specialsMap));
    const vocab = this.wordPieceVocab();
    if (vocab) await writeFile(path.join(dir, 'vocab.txt'), vocab.map((t) => t + '\n').join(''));
  }

  /** A WordPiece model's vocabulary in id order, so the slow BertTokenizer can load the saved folder too. */
  private wordPieceVocab(): string[] | undefined {
    const model = this.json.model as Record<string, unknown> | undefined;
    if (model?.type !== 'WordPiece' || model.vocab === null || typeof model.vocab !== 'object') return undefined;
    const lines: string[] = [];
    for (const [token, id] of Object.entries(model.vocab as Record<string, unknown>)) {
      if (typeof id !== 'number' || lines[id] !== undefined) return undefined;
      lines[id] = token;
    }
    // Only a gap-free 0..n-1 numbering can be written as lines.
    for (let i = 0; i < lines.length; i++) if (lines[i] === undefined) return undefined;
    return lines;
  }
}
