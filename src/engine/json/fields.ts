// Typed reading of a parsed JSON document, where every complaint is a UserError naming the file, the line and the
// field path (`methods[2].distill.teacher.model`) and saying what to write instead. Shared by the experiment file,
// the run store's run.json and the tokenizer's settings files, so all speak about their mistakes the same way.
import { UserError } from '../errors';
import { parseLocatedJson, type LocatedOptions } from './located';
import { childPath } from './path';

export class FieldReader {
  constructor(
    readonly file: string,
    private readonly lineOf: (path: string) => number | undefined = () => undefined,
  ) {}

  /**
   * Parses `text` as JSON and returns the document with a reader that knows its lines. A key given twice is an
   * error unless `options` says otherwise: in a hand-written file it is almost always a mistake.
   */
  static parse(text: string, file: string, options: LocatedOptions = { rejectDuplicateKeys: true }): { doc: unknown; fields: FieldReader } {
    const located = parseLocatedJson(text, file, options);
    return { doc: located.value, fields: new FieldReader(file, (p) => located.lineOf(p)) };
  }

  error(path: string, problem: string, fix: string): UserError {
    return new UserError(problem, { file: this.file, line: this.lineOf(path), field: path === '' ? undefined : path }, fix);
  }

  object(value: unknown, path: string, what = 'an object'): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw this.error(path, `expected ${what}, found ${describe(value)}`, `Write ${what} here: { ... }.`);
    }
    return value as Record<string, unknown>;
  }

  /** Rejects keys outside `allowed`, suggesting the nearest allowed spelling. */
  keys(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const near = nearest(key, allowed);
      throw this.error(childPath(path, key), `unknown field "${key}"`,
        near ? `Did you mean "${near}"? Allowed here: ${allowed.join(', ')}.` : `Allowed here: ${allowed.join(', ')}.`);
    }
  }

  required(obj: Record<string, unknown>, path: string, key: string, example: string): unknown {
    if (obj[key] === undefined) {
      throw this.error(childPath(path, key), `missing required field "${key}"`, `Add it, e.g. "${key}": ${example}.`);
    }
    return obj[key];
  }

  string(value: unknown, path: string, example = '"..."'): string {
    if (typeof value !== 'string' || value.trim() === '') {
      throw this.error(path, `expected a non-empty string, found ${describe(value)}`, `Write a string such as ${example}.`);
    }
    return value;
  }

  optionalString(value: unknown, path: string, example = '"..."'): string | undefined {
    return value === undefined ? undefined : this.string(value, path, example);
  }

  number(value: unknown, path: string, range: NumberRange = {}): number {
    const ok = typeof value === 'number' && Number.isFinite(value) && (!range.integer || Number.isSafeInteger(value));
    if (!ok || !inRange(value as number, range)) {
      const kind = range.integer ? 'a whole number' : 'a number';
      const bounds = describeRange(range);
      throw this.error(path, `expected ${kind}${bounds ? ' ' + bounds : ''}, found ${describe(value)}`,
        `Write ${kind}${bounds ? ' ' + bounds : ''}${range.example !== undefined ? `, e.g. ${range.example}` : ''}.`);
    }
    return value as number;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') throw this.error(path, `expected true or false, found ${describe(value)}`, 'Write true or false.');
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    const near = typeof value === 'string' ? nearest(value, choices) : undefined;
    throw this.error(path, `expected one of ${choices.map((c) => `"${c}"`).join(', ')}, found ${describe(value)}`,
      near ? `Did you mean "${near}"?` : `Use one of ${choices.map((c) => `"${c}"`).join(', ')}.`);
  }

  array(value: unknown, path: string, opts: { nonEmpty?: boolean; example: string }): unknown[] {
    if (!Array.isArray(value)) throw this.error(path, `expected a list, found ${describe(value)}`, `Write a list such as ${opts.example}.`);
    if (opts.nonEmpty && value.length === 0) throw this.error(path, 'the list is empty', `Give at least one entry, e.g. ${opts.example}.`);
    return value;
  }

  /** Rejects the second occurrence of a value in a list (by `keyOf`), naming both positions. */
  unique<T>(items: readonly T[], path: string, keyOf: (item: T) => string = String): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const key = keyOf(item);
      const first = seen.get(key);
      if (first !== undefined) {
        throw this.error(childPath(path, i), `${JSON.stringify(key)} is listed twice (also at ${childPath(path, first)})`, 'Remove the duplicate.');
      }
      seen.set(key, i);
    });
  }
}

export interface NumberRange {
  integer?: boolean;
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  example?: number | string;
}

function inRange(v: number, r: NumberRange): boolean {
  return (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max) && (r.above === undefined || v > r.above);
}

function describeRange(r: NumberRange): string {
  const parts: string[] = [];
  if (r.above !== undefined) parts.push(`> ${r.above}`);
  if (r.min !== undefined) parts.push(`≥ ${r.min}`);
  if (r.max !== undefined) parts.push(`≤ ${r.max}`);
  return parts.join(' and ');
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** The allowed word closest to `word` by edit distance, when close enough to be a likely typo. */
export function nearest(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
