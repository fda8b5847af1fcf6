// JSON parsing that reports where a syntax error is. V8's JSON.parse messages give a character position only for
// some errors (and never a line), so on failure the text is re-scanned by a small validator that finds the first
// offending character; the valid case still uses JSON.parse. The scanner keeps its own stack, so deeply nested
// input cannot overflow the call stack.

import { UserError } from '../errors';

/** Parses `text` (the contents of `file`); a syntax error becomes a UserError with line and column. */
export function parseJsonText(text: string, file: string, fix: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const err = findJsonError(text) ?? { pos: text.length, problem: 'invalid JSON' };
    const { line, column } = lineAndColumn(text, err.pos);
    throw new UserError(`invalid JSON at line ${line}, column ${column}: ${err.problem}`, { file, line }, fix);
  }
}

export function lineAndColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}

type State = 'value' | 'valueOrClose' | 'after' | 'key' | 'keyOrClose' | 'colon';

/** The position and nature of the first JSON syntax error in `text`, or undefined if it is valid. */
export function findJsonError(text: string): { pos: number; problem: string } | undefined {
  const stack: string[] = [];
  let state: State = 'value';
  let i = 0;
  const fail = (problem: string) => ({ pos: i, problem });
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
    if (i >= text.length) {
      return state === 'after' && stack.length === 0 ? undefined : fail('unexpected end of file');
    }
    const c = text[i];
    if (state === 'value' || state === 'valueOrClose') {
      if (c === ']' && state === 'valueOrClose') {
        stack.pop();
        i++;
        state = 'after';
      } else if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        state = c === '{' ? 'keyOrClose' : 'valueOrClose';
      } else if (c === '"') {
        const end = scanString(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        state = 'after';
      } else {
        const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
        m.lastIndex = i;
        if (!m.exec(text)) return fail(`expected a value, found ${describe(c)}`);
        i = m.lastIndex;
        state = 'after';
      }
    } else if (state === 'after') {
      const top = stack[stack.length - 1];
      if (top === undefined) return fail(`unexpected ${describe(c)} after the end of the JSON value`);
      if (c === ',') state = top === '{' ? 'key' : 'value';
      else if ((c === '}' && top === '{') || (c === ']' && top === '[')) stack.pop();
      else return fail(`expected ',' or '${top === '{' ? '}' : ']'}', found ${describe(c)}`);
      i++;
    } else if (state === 'key' || state === 'keyOrClose') {
      if (c === '}' && state === 'keyOrClose') {
        stack.pop();
        i++;
        state = 'after';
      } else if (c === '"') {
        const end = scanString(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        state = 'colon';
      } else {
        return fail(`expected a double-quoted property name, found ${describe(c)}${state === 'key' ? ' (trailing comma?)' : ''}`);
      }
    } else {
      if (c !== ':') return fail(`expected ':', found ${describe(c)}`);
      i++;
      state = 'value';
    }
  }
}

/** Index just past the string starting at `start` (a quote), or the error inside it. */
function scanString(text: string, start: number): number | { pos: number; problem: string } {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { pos: i, problem: 'control character (e.g. a raw newline) inside a string' };
    if (code === 0x5c) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { pos: i, problem: 'bad \\u escape in string' };
        i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e)) return { pos: i, problem: 'bad escape in string' };
      i += 2;
      continue;
    }
    i++;
  }
  return { pos: text.length, problem: 'unterminated string' };
}

function describe(c: string): string {
  return `'${c}'`;
}
