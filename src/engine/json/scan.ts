// A JSON scanner that produces no values, only *places*: the offset and nature of the first syntax error, and
// the offset where each value starts, keyed by field path. Values come from JSON.parse, which is several times
// faster; this runs when a place is wanted (an error message naming a line) or when a check JSON.parse does not
// make is asked for (a key given twice). The grammar is RFC 8259's, plus a byte-order mark at offset 0.
// It keeps its own stack instead of recursing, so deeply nested input cannot overflow the call stack.
import { childPath } from './path';

export type ScanIssue =
  | { kind: 'syntax'; offset: number; problem: string }
  /** `offset` is where the second occurrence of the key starts; `path` is the member's field path. */
  | { kind: 'duplicate'; offset: number; path: string; key: string };

export interface ScanOptions {
  /** Record where values start down to this depth (0: the root only; members of the root are depth 1). */
  maxDepth?: number;
  /** Report an object key that appears twice (JSON.parse silently keeps the last). */
  duplicateKeys?: boolean;
}

export interface JsonScan {
  /** Where each recorded value starts: for an object member, where its key starts (the line users look at). */
  starts: Map<string, number>;
  /** The first problem found; scanning stops there. */
  issue?: ScanIssue;
}

const enum State {
  Value,
  FirstKey,
  Key,
  FirstElement,
  Element,
  After,
}

interface Frame {
  object: boolean;
  /** Only maintained where paths are needed (recorded depths, or duplicate detection). */
  path: string;
  count: number;
  keys?: Set<string>;
}

const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d, QUOTE = 0x22, BACKSLASH = 0x5c, SLASH = 0x2f, STAR = 0x2a;
const LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d, COMMA = 0x2c, COLON = 0x3a;
const MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39, LOWER_E = 0x65, UPPER_E = 0x45;

class Stop {
  constructor(readonly issue: ScanIssue) {}
}

export function scanJson(text: string, options: ScanOptions = {}): JsonScan {
  const maxDepth = options.maxDepth ?? -1;
  const duplicates = options.duplicateKeys ?? false;
  const starts = new Map<string, number>();
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (problem: string, at = i): never => {
    throw new Stop({ kind: 'syntax', offset: at, problem });
  };
  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === LF || c === CR || c === TAB) i++;
      else if (c === SLASH && (text.charCodeAt(i + 1) === SLASH || text.charCodeAt(i + 1) === STAR)) fail('comments are not allowed in JSON');
      else return;
    }
  };
  const isDigit = (c: number) => c >= ZERO && c <= NINE;
  const digits = () => {
    const from = i;
    while (isDigit(text.charCodeAt(i))) i++;
    return i > from;
  };
  const scanNumber = () => {
    const start = i;
    if (text.charCodeAt(i) === MINUS) i++;
    if (text.charCodeAt(i) === ZERO) i++;
    else if (!digits()) fail('invalid number: a digit must follow "-"', start);
    if (text.charCodeAt(i) === DOT) {
      i++;
      if (!digits()) fail('invalid number: digits must follow the decimal point', start);
    }
    const e = text.charCodeAt(i);
    if (e === LOWER_E || e === UPPER_E) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === PLUS || sign === MINUS) i++;
      if (!digits()) fail('invalid number: digits must follow the exponent', start);
    }
    if (isDigit(text.charCodeAt(i))) fail('invalid number: JSON numbers have no leading zeros', start);
  };
  /** Moves past the string starting at `i` (a quote). */
  const scanString = () => {
    const start = i;
    i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        return;
      }
      if (c === BACKSLASH) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('\\u must be followed by 4 hex digits');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          fail(e === undefined ? 'string is never closed' : `invalid escape \\${e} in a string (write a backslash as \\\\)`, e === undefined ? start : i);
        }
        continue;
      }
      if (c < 0x20) fail(c === LF ? 'string is never closed on its line (write a line break as \\n)' : 'control character inside a string (escape it, e.g. \\t)');
      if (Number.isNaN(c)) fail('string is never closed', start);
      i++;
    }
  };
  const keyAt = (start: number): string => {
    const raw = text.slice(start + 1, i - 1);
    return raw.includes('\\') ? (JSON.parse(text.slice(start, i)) as string) : raw;
  };

  const stack: Frame[] = [];
  let state = State.Value;
  let path = '';
  try {
    skipSpace();
    if (i >= n) fail('the text holds no JSON value');
    if (maxDepth >= 0) starts.set('', i);
    for (;;) {
      skipSpace();
      const c = text.charCodeAt(i);
      switch (state) {
        case State.Value: {
          if (c === LBRACE || c === LBRACKET) {
            i++;
            const object = c === LBRACE;
            stack.push({ object, path, count: 0, keys: duplicates && object ? new Set() : undefined });
            state = object ? State.FirstKey : State.FirstElement;
            continue;
          }
          if (c === QUOTE) scanString();
          else if (c === MINUS || isDigit(c)) scanNumber();
          else if (text.startsWith('true', i) || text.startsWith('null', i)) i += 4;
          else if (text.startsWith('false', i)) i += 5;
          else if (Number.isNaN(c)) fail('unexpected end of file: a value is missing');
          else if (text[i] === "'") fail('strings must use double quotes (") in JSON');
          else fail(`unexpected ${describe(text, i)} where a value was expected`);
          state = State.After;
          continue;
        }
        case State.FirstKey:
        case State.Key: {
          const top = stack[stack.length - 1];
          if (c === RBRACE) {
            if (state === State.Key) fail("trailing comma before '}'");
            i++;
            stack.pop();
            state = State.After;
            continue;
          }
          if (c !== QUOTE) {
            if (text[i] === "'") fail('property names must use double quotes (") in JSON');
            fail(`expected a double-quoted property name, found ${describe(text, i)}`);
          }
          const keyStart = i;
          scanString();
          const depth = stack.length;
          if (depth <= maxDepth || top.keys) {
            const key = keyAt(keyStart);
            path = childPath(top.path, key);
            if (top.keys) {
              if (top.keys.has(key)) throw new Stop({ kind: 'duplicate', offset: keyStart, path, key });
              top.keys.add(key);
            }
            if (depth <= maxDepth) starts.set(path, keyStart);
          }
          top.count++;
          skipSpace();
          if (text.charCodeAt(i) !== COLON) fail(`expected ':' after the property name, found ${describe(text, i)}`);
          i++;
          state = State.Value;
          continue;
        }
        case State.FirstElement:
        case State.Element: {
          const top = stack[stack.length - 1];
          if (c === RBRACKET) {
            if (state === State.Element) fail("trailing comma before ']'");
            i++;
            stack.pop();
            state = State.After;
            continue;
          }
          const depth = stack.length;
          if (depth <= maxDepth || duplicates) {
            path = childPath(top.path, top.count);
            if (depth <= maxDepth) starts.set(path, i);
          }
          top.count++;
          state = State.Value;
          continue;
        }
        case State.After: {
          const top = stack[stack.length - 1];
          if (top === undefined) {
            if (i < n) fail(`unexpected ${describe(text, i)} after the end of the JSON value`);
            return { starts };
          }
          const close = top.object ? '}' : ']';
          if (c === COMMA) {
            i++;
            state = top.object ? State.Key : State.Element;
          } else if (c === (top.object ? RBRACE : RBRACKET)) {
            i++;
            stack.pop();
          } else if (Number.isNaN(c)) {
            fail(`unexpected end of file: '${close}' is missing`);
          } else {
            fail(`expected ',' or '${close}' after ${top.object ? 'a property' : 'an array element'}, found ${describe(text, i)}`);
          }
          continue;
        }
      }
    }
  } catch (e) {
    if (e instanceof Stop) return { starts, issue: e.issue };
    throw e;
  }
}

/** The character at `at`, as a message shows it. */
function describe(text: string, at: number): string {
  const c = text[at];
  if (c === undefined) return 'the end of the file';
  if (c === '\n' || c === '\r') return 'a line break';
  return `'${c}'`;
}
