// JSON Lines input, read line by line so that every problem can name its line. Blank lines are allowed (editors
// leave them at the end); anything else that is not a JSON object is the user's to fix, so it is a UserError.
// Lines come from readLines, which rejects NUL bytes and invalid UTF-8 instead of letting them become U+FFFD.
import type { Readable } from 'node:stream';
import { UserError } from '../errors';
import { parseJson } from '../json/located';
import { readLines } from './lines';

export interface JsonlRow {
  line: number;
  value: Record<string, unknown>;
}

/** Yields each non-blank line of a JSONL file or stream as an object, with its 1-based line number. */
export async function* readJsonl(source: string | Readable, displayName: string): AsyncGenerator<JsonlRow> {
  for await (const { line, text } of readLines(source, displayName)) {
    if (text.trim() === '') continue;
    const value = parseJson(text, displayName, { firstLine: line, fix: 'Each line must be one JSON object, e.g. {"text": "..."}.' });
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new UserError('expected a JSON object on this line', { file: displayName, line }, 'Each line must be one JSON object, e.g. {"text": "..."}.');
    }
    yield { line, value: value as Record<string, unknown> };
  }
}

/** Reads the `text` (required) and `text_pair` (optional) string fields of a row. */
export function textFields(row: JsonlRow, displayName: string): { text: string; textPair?: string } {
  const { text, text_pair: textPair } = row.value;
  if (typeof text !== 'string') {
    throw new UserError(
      text === undefined ? 'missing field "text"' : 'field "text" must be a string',
      { file: displayName, line: row.line, field: 'text' },
      'Give each line a "text" string (and optionally "text_pair").',
    );
  }
  if (textPair !== undefined && textPair !== null && typeof textPair !== 'string') {
    throw new UserError('field "text_pair" must be a string', { file: displayName, line: row.line, field: 'text_pair' }, 'Make "text_pair" a string or leave it out.');
  }
  return typeof textPair === 'string' ? { text, textPair } : { text };
}
