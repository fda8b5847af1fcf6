// The tokenizer's JSON files (tokenizer_config.json, special_tokens_map.json, added_tokens.json, tokenizer.json)
// are optional, so a missing one is not an error; a present one is parsed with the shared JSON reader, so syntax
// errors name line and column and wrong fields name their line and path.

import { readFile } from 'node:fs/promises';
import { FieldReader } from '../json/fields';

export interface JsonFile {
  obj: Record<string, unknown>;
  fields: FieldReader;
}

const RESTORE_FIX = 'Fix the JSON syntax (quotes, commas, brackets) or restore the file from the original checkpoint.';

/** The file's top-level object with a reader for its fields, or undefined when the file does not exist. */
export async function readJsonFile(file: string): Promise<JsonFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  // Files written by transformers never repeat a key, and JSON.parse semantics (the last wins) are what it reads.
  const { doc, fields } = FieldReader.parse(text, file, { fix: RESTORE_FIX });
  return { obj: fields.object(doc, '', 'a JSON object'), fields };
}

/** A file that is absent reads as an empty object. */
export function emptyJsonFile(file: string): JsonFile {
  return { obj: {}, fields: new FieldReader(file) };
}

/** The text of a token written as a string or as an AddedToken object `{"content": "[MASK]", ...}`. */
export function tokenContent(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && typeof (v as Record<string, unknown>).content === 'string') {
    return (v as Record<string, unknown>).content as string;
  }
  return undefined;
}
