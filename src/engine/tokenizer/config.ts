// The tokenizer settings of a checkpoint folder, merged the way transformers' from_pretrained merges them:
// tokenizer_config.json first, special_tokens_map.json overriding its special tokens, added tokens from
// added_tokens.json and from the newer `added_tokens_decoder` field of tokenizer_config.json.

import path from 'node:path';
import { describe } from '../json/fields';
import { childPath } from '../json/path';
import { emptyJsonFile, readJsonFile, tokenContent, type JsonFile } from './json-file';

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
  raw: Record<string, unknown>;
}

export async function readTokenizerSettings(dir: string): Promise<TokenizerSettings> {
  const configFile = path.join(dir, 'tokenizer_config.json');
  const mapFile = path.join(dir, 'special_tokens_map.json');
  const config = (await readJsonFile(configFile)) ?? emptyJsonFile(configFile);
  const map = (await readJsonFile(mapFile)) ?? emptyJsonFile(mapFile);

  const specials = { ...DEFAULT_SPECIALS } as Record<SpecialName, string>;
  for (const name of SPECIAL_NAMES) {
    const field = `${name}_token`;
    const source = map.obj[field] === undefined ? config : map;
    if (source.obj[field] === null) {
      throw source.fields.error(field, `${field} is null, but BERT inputs need a ${name} token`, `Set "${field}" to the token's text, e.g. "${DEFAULT_SPECIALS[name]}".`);
    }
    specials[name] = token(source, field) ?? specials[name];
  }
  const additional = 'additional_special_tokens';
  const additionalSpecials = map.obj[additional] !== undefined ? tokens(map, additional) : tokens(config, additional);

  const { obj, fields } = config;
  const maxLength = isSet(obj.model_max_length) ? fields.number(obj.model_max_length, 'model_max_length', { above: 0, example: 512 }) : undefined;
  const flag = (key: string, fallback: boolean) => (isSet(obj[key]) ? fields.boolean(obj[key], key) : fallback);
  const neverSplit = isSet(obj.never_split)
    ? fields.array(obj.never_split, 'never_split', { example: '["[UNK]"]' }).map((s, i) => fields.string(s, childPath('never_split', i)))
    : [];
  return {
    doLowerCase: flag('do_lower_case', true),
    doBasicTokenize: flag('do_basic_tokenize', true),
    neverSplit,
    tokenizeChineseChars: flag('tokenize_chinese_chars', true),
    stripAccents: isSet(obj.strip_accents) ? fields.boolean(obj.strip_accents, 'strip_accents') : null,
    modelMaxLength:
      maxLength === undefined || maxLength >= ABSURD_MAX_LENGTH ? FALLBACK_MAX_LENGTH : Math.floor(maxLength),
    specials,
    additionalSpecials,
    added: [...readAddedDecoder(config), ...readAddedTokensFile(await readJsonFile(path.join(dir, 'added_tokens.json')))]
      .sort((a, b) => a.id - b.id),
    raw: obj,
  };
}

/** transformers writes null for a setting left at its default, so null reads as absent. */
function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** A token field: a string, or an AddedToken object `{"content": "[MASK]", ...}`. Undefined when absent. */
function token(file: JsonFile, field: string): string | undefined {
  const v = file.obj[field];
  if (v === undefined) return undefined;
  const content = tokenContent(v);
  if (content === undefined) {
    throw file.fields.error(field, `expected a token string such as "[MASK]", found ${describe(v)}`, `Set "${field}" to the token's text, or remove it to use the default.`);
  }
  return content;
}

/** A list of token strings or AddedToken objects; null or absent is an empty list. */
function tokens(file: JsonFile, field: string): string[] {
  const v = file.obj[field];
  if (!isSet(v)) return [];
  const list = file.fields.array(v, field, { example: '["<E1>", "<E2>"]' });
  return list.map((item, i) => {
    const content = tokenContent(item);
    if (content === undefined) {
      throw file.fields.error(childPath(field, i), `expected a token string, found ${describe(item)}`, `Write each entry of "${field}" as the token's text.`);
    }
    return content;
  });
}

const ADDED_FIX = 'Each added token needs a non-negative integer id; restore the file from the original checkpoint.';

/** added_tokens.json: `{"token": id, ...}`. */
function readAddedTokensFile(file: JsonFile | undefined): AddedTokenEntry[] {
  if (file === undefined) return [];
  return Object.entries(file.obj).map(([content, id]) => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw file.fields.error(content, `added token ${JSON.stringify(content)} has no valid id (found ${describe(id)})`, ADDED_FIX);
    }
    return { content, id, special: false };
  });
}

/** tokenizer_config.json `added_tokens_decoder` (transformers >= 4.34): `{"id": {"content": ..., "special": ...}}`. */
function readAddedDecoder(config: JsonFile): AddedTokenEntry[] {
  const decoder = config.obj.added_tokens_decoder;
  if (!isSet(decoder)) return [];
  const entries = config.fields.object(decoder, 'added_tokens_decoder', 'an object keyed by token id');
  return Object.entries(entries).map(([key, value]) => {
    const id = Number(key);
    const content = tokenContent(value);
    if (!Number.isInteger(id) || id < 0 || content === undefined) {
      throw config.fields.error(childPath('added_tokens_decoder', key), `added token ${JSON.stringify(key)} is not {"content": ..., "special": ...} under an integer id`, ADDED_FIX);
    }
    return { content, id, special: (value as Record<string, unknown>).special === true };
  });
}
