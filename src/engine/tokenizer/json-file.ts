// Reading the tokenizer's JSON files with errors a user can act on: a syntax error names the line and
// column, a wrong-typed field names the field.

import { readFile } from 'node:fs/promises';
import { UserError } from '../errors';

export type JsonObject = Record<string, unknown>;

/** The file's top-level object, or undefined when the file does not exist. */
export async function readJsonObject(file: string): Promise<JsonObject | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    const line = offset === undefined ? undefined : lineColumn(text, offset);
    const problem = message.replace(/ in JSON at position \d+.*$/, '');
    throw new UserError(
      `invalid JSON: ${problem}${line ? ` (column ${line.column})` : ''}`,
      { file, line: line?.line },
      'Fix the JSON syntax (quotes, commas, brackets) or restore the file from the original checkpoint.',
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError('expected a JSON object at the top level', { file }, 'Restore the file from the original checkpoint.');
  }
  return value as JsonObject;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Typed field access that turns a wrong type into a UserError naming the file and field. */
export class JsonFields {
  constructor(
    readonly file: string,
    readonly obj: JsonObject,
  ) {}

  private wrong(field: string, expected: string): UserError {
    return new UserError(
      `${field} must be ${expected}, not ${JSON.stringify(this.obj[field])}`,
      { file: this.file, field },
      `Set "${field}" to ${expected}, or remove it to use the default.`,
    );
  }

  bool(field: string, fallback: boolean): boolean {
    const v = this.obj[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw this.wrong(field, 'true or false');
    return v;
  }

  /** true, false or null (null and absent both give null). */
  boolOrNull(field: string): boolean | null {
    const v = this.obj[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'boolean') throw this.wrong(field, 'true, false or null');
    return v;
  }

  number(field: string): number | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw this.wrong(field, 'a positive number');
    return v;
  }

  strings(field: string): string[] {
    const v = this.obj[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw this.wrong(field, 'a list of strings');
    return v as string[];
  }

  /**
   * A token field: a string, or an AddedToken object `{"content": "[MASK]", ...}` (with or without
   * `"__type": "AddedToken"`). Undefined when absent.
   */
  token(field: string): string | undefined {
    const v = this.obj[field];
    if (v === undefined) return undefined;
    const content = tokenContent(v);
    if (content === undefined) throw this.wrong(field, 'a token string such as "[MASK]"');
    return content;
  }

  /** A list of token strings or AddedToken objects. */
  tokens(field: string): string[] {
    const v = this.obj[field];
    if (v === undefined || v === null) return [];
    const contents = Array.isArray(v) ? v.map(tokenContent) : undefined;
    if (!contents || contents.some((c) => c === undefined)) throw this.wrong(field, 'a list of token strings');
    return contents as string[];
  }
}

export function tokenContent(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && typeof (v as JsonObject).content === 'string') {
    return (v as JsonObject).content as string;
  }
  return undefined;
}
