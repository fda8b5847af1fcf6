// The tokenizer settings of a checkpoint folder, merged the way transformers' from_pretrained merges them:
// tokenizer_config.json first, special_tokens_map.json overriding its special tokens, added tokens from
// added_tokens.json and from the newer `added_tokens_decoder` field of tokenizer_config.json.

import path from 'node:path';
import { JsonFields, readJsonObject, tokenContent, type JsonObject } from './json-file';
import { UserError } from '../errors';

/** BERT's defaults for the five special tokens every model input needs. */
export const DEFAULT_SPECIALS = { unk: '[UNK]', sep: '[SEP]', pad: '[PAD]', cls: '[CLS]', mask: '[MASK]' } as const;
export type SpecialName = keyof typeof DEFAULT_SPECIALS;
export const SPECIAL_NAMES = Object.keys(DEFAULT_SPECIALS) as SpecialName[];

/** transformers writes 1e30 when a model has no limit; anything this large means "no limit given". */
const ABSURD_MAX_LENGTH = 1_000_000;
export const FALLBACK_MAX_LENGTH = 512;

export interface AddedTokenEntry {
  content: string;
  id: number;
  special: boolean;
}

export interface TokenizerSettings {
  doLowerCase: boolean;
  doBasicTokenize: boolean;
  neverSplit: string[];
  tokenizeChineseChars: boolean;
  stripAccents: boolean | null;
  modelMaxLength: number;
  /** The text of each special token (`[CLS]` etc.). */
  specials: Record<SpecialName, string>;
  additionalSpecials: string[];
  /** Added tokens as saved, sorted by id; the tokenizer decides which of them are really new. */
  added: AddedTokenEntry[];
  /** tokenizer_config.json as read ({} when absent), kept so save() preserves fields we do not use. */
  raw: JsonObject;
}

export async function readTokenizerSettings(dir: string): Promise<TokenizerSettings> {
  const configFile = path.join(dir, 'tokenizer_config.json');
  const mapFile = path.join(dir, 'special_tokens_map.json');
  const addedFile = path.join(dir, 'added_tokens.json');
  const raw = (await readJsonObject(configFile)) ?? {};
  const config = new JsonFields(configFile, raw);
  const map = new JsonFields(mapFile, (await readJsonObject(mapFile)) ?? {});

  const specials = { ...DEFAULT_SPECIALS } as Record<SpecialName, string>;
  for (const name of SPECIAL_NAMES) {
    const field = `${name}_token`;
    const fromMap = map.obj[field] === undefined ? undefined : map;
    const source = fromMap ?? config;
    if (source.obj[field] === null) {
      throw new UserError(
        `${field} is null, but BERT inputs need a ${name} token`,
        { file: source.file, field },
        `Set "${field}" to the token's text, e.g. "${DEFAULT_SPECIALS[name]}".`,
      );
    }
    specials[name] = source.token(field) ?? specials[name];
  }
  const additionalSpecials =
    map.obj.additional_special_tokens !== undefined
      ? map.tokens('additional_special_tokens')
      : config.tokens('additional_special_tokens');

  const maxLength = config.number('model_max_length');
  return {
    doLowerCase: config.bool('do_lower_case', true),
    doBasicTokenize: config.bool('do_basic_tokenize', true),
    neverSplit: config.strings('never_split'),
    tokenizeChineseChars: config.bool('tokenize_chinese_chars', true),
    stripAccents: config.boolOrNull('strip_accents'),
    modelMaxLength:
      maxLength === undefined || maxLength >= ABSURD_MAX_LENGTH ? FALLBACK_MAX_LENGTH : Math.floor(maxLength),
    specials,
    additionalSpecials,
    added: [...readAddedDecoder(configFile, raw), ...readAddedTokensFile(addedFile, await readJsonObject(addedFile))]
      .sort((a, b) => a.id - b.id),
    raw,
  };
}

function badAdded(file: string, field: string, what: string): UserError {
  return new UserError(
    `added token ${JSON.stringify(field)} ${what}`,
    { file, field },
    'Each added token needs a non-negative integer id; restore the file from the original checkpoint.',
  );
}

/** added_tokens.json: `{"token": id, ...}`. */
function readAddedTokensFile(file: string, obj: JsonObject | undefined): AddedTokenEntry[] {
  if (obj === undefined) return [];
  return Object.entries(obj).map(([content, id]) => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw badAdded(file, content, 'has no valid id');
    return { content, id, special: false };
  });
}

/** tokenizer_config.json `added_tokens_decoder` (transformers >= 4.34): `{"id": {"content": ..., "special": ...}}`. */
function readAddedDecoder(file: string, raw: JsonObject): AddedTokenEntry[] {
  const decoder = raw.added_tokens_decoder;
  if (decoder === undefined || decoder === null) return [];
  if (typeof decoder !== 'object' || Array.isArray(decoder)) {
    throw badAdded(file, 'added_tokens_decoder', 'must be an object keyed by id');
  }
  return Object.entries(decoder as JsonObject).map(([key, value]) => {
    const id = Number(key);
    const content = tokenContent(value);
    if (!Number.isInteger(id) || id < 0 || content === undefined) {
      throw badAdded(file, `added_tokens_decoder.${key}`, 'is not {"content": ..., "special": ...} under an integer id');
    }
    return { content, id, special: (value as JsonObject).special === true };
  });
}
