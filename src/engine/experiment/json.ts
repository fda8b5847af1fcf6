// JSON parsing that remembers where each value came from. `JSON.parse` only says "at position 1234" and forgets
// positions once it succeeds; the experiment file's errors must name a line the editor can jump to, for syntax
// errors and for a wrong value alike. So this is a small strict JSON parser (RFC 8259, plus a leading BOM) that
// records the line of every member and element, keyed by field path: `methods[2].distill.teacher.model`.
import { UserError } from '../errors';

export interface LocatedJson {
  value: unknown;
  /** 1-based line of the value at `path` (for object members, the line of its key); the nearest ancestor's line
   *  when the path is absent (a missing field is reported where its parent is). */
  lineOf(path: string): number | undefined;
}

/** The path of member `key` of the value at `parent`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** The path one level up: `a.b[2]` → `a.b`, `a.b` → `a`, `a` → ``. */
export function parentPath(path: string): string {
  const m = /(\[\d+\]|\.[^.[]*)$/.exec(path);
  return m ? path.slice(0, m.index) : '';
}

export function parseLocatedJson(text: string, file: string): LocatedJson {
  const lines = new Map<string, number>();
  const src = text.replace(/^\uFEFF/, '');
  let pos = 0;

  const lineStarts = [0];
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineAt = (p: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= p) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: p - lineStarts[lo] + 1 };
  };
  const fail = (problem: string, at = pos): never => {
    const { line, column } = lineAt(at);
    const found = at >= src.length ? 'the end of the file' : JSON.stringify(src[at]);
    throw new UserError(
      `invalid JSON at column ${column}: ${problem}, found ${found}`,
      { file, line },
      'Fix the JSON syntax (a missing comma, quote or bracket is the usual cause; comments and trailing commas are not allowed).',
    );
  };
  const skipSpace = () => {
    while (pos < src.length && (src[pos] === ' ' || src[pos] === '\t' || src[pos] === '\n' || src[pos] === '\r')) pos++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (src[pos] !== ch) fail(`expected "${ch}"`);
    pos++;
  };

  const parseString = (): string => {
    const start = pos;
    if (src[pos] !== '"') fail('expected a string in double quotes');
    pos++;
    while (pos < src.length && src[pos] !== '"') {
      if (src[pos] === '\\') pos++;
      else if (src.charCodeAt(pos) < 0x20) fail('control character inside a string');
      pos++;
    }
    if (pos >= src.length) fail('unterminated string', start);
    pos++;
    try {
      // The built-in parser decodes (and validates) the escapes exactly as JSON defines them.
      return JSON.parse(src.slice(start, pos)) as string;
    } catch {
      return fail('invalid escape sequence in string', start);
    }
  };

  const parseValue = (path: string): unknown => {
    skipSpace();
    if (!lines.has(path)) lines.set(path, lineAt(pos).line);
    const ch = src[pos];
    if (ch === '{') return parseObject(path);
    if (ch === '[') return parseArray(path);
    if (ch === '"') return parseString();
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(src.slice(pos, pos + 400));
    if (number) {
      pos += number[0].length;
      return Number(number[0]);
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (src.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    return fail('expected a value (string, number, object, array, true, false or null)');
  };

  const parseObject = (path: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    pos++;
    skipSpace();
    if (src[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      skipSpace();
      const keyAt = pos;
      const key = parseString();
      const member = childPath(path, key);
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        throw new UserError(`"${key}" appears twice in the same object`, { file, line: lineAt(keyAt).line, field: member },
          'Keep one of them; JSON readers silently use the last, which hides mistakes.');
      }
      lines.set(member, lineAt(keyAt).line);
      expect(':');
      // defineProperty, not assignment: a key named "__proto__" must stay an ordinary (and so rejectable) key.
      Object.defineProperty(out, key, { value: parseValue(member), enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (src[pos] === ',') {
        pos++;
        continue;
      }
      if (src[pos] === '}') {
        pos++;
        return out;
      }
      fail('expected "," or "}" after an object member');
    }
  };

  const parseArray = (path: string): unknown[] => {
    const out: unknown[] = [];
    pos++;
    skipSpace();
    if (src[pos] === ']') {
      pos++;
      return out;
    }
    for (;;) {
      out.push(parseValue(childPath(path, out.length)));
      skipSpace();
      if (src[pos] === ',') {
        pos++;
        continue;
      }
      if (src[pos] === ']') {
        pos++;
        return out;
      }
      fail('expected "," or "]" after an array element');
    }
  };

  skipSpace();
  if (pos >= src.length) fail('the file is empty; expected a JSON object');
  const value = parseValue('');
  skipSpace();
  if (pos < src.length) fail('unexpected text after the end of the JSON value');

  return {
    value,
    lineOf(path: string): number | undefined {
      for (let p = path; ; p = parentPath(p)) {
        const line = lines.get(p);
        if (line !== undefined) return line;
        if (p === '') return undefined;
      }
    },
  };
}
