// A JSON parser that keeps the exact source range of every value and key, for editor features that must point at
// a word inside a file (a diagnostic on one verbalizer word, a hover on one pattern, a quick fix that replaces a
// value). The engine's JSON module knows the line of each value, which is enough for its messages but not for
// underlining. Template and experiment files are small, so a straightforward recursive parser is fine.
// Pure (no vscode), unit-tested.

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; value: number }
  | { kind: 'boolean'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

export interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

export interface JsonTree {
  root?: JsonNode;
  /** The first syntax error; `root` is then absent. */
  error?: { offset: number; problem: string };
}

class Stop {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {}
}

export function parseJsonTree(text: string): JsonTree {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (problem: string, at = i): never => {
    throw new Stop(at, problem);
  };
  const space = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const str = (): { value: string; start: number; end: number } => {
    const start = i;
    i++; // opening quote
    let value = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text[i];
      if (c === '"') {
        i++;
        return { value, start, end: i };
      }
      if (c === '\n') fail('line break inside a string', i);
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          value += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail('invalid escape in a string');
        }
        continue;
      }
      value += c;
      i++;
    }
  };
  const value = (): JsonNode => {
    space();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members: JsonMember[] = [];
      space();
      if (text[i] === '}') return { kind: 'object', start, end: ++i, members };
      for (;;) {
        space();
        if (text[i] !== '"') fail(members.length > 0 && text[i] === '}' ? 'trailing comma before \'}\'' : 'expected a key in double quotes');
        const key = str();
        space();
        if (text[i] !== ':') fail('expected \':\' after the key');
        i++;
        members.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value: value() });
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return { kind: 'object', start, end: ++i, members };
        fail('expected \',\' or \'}\'');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      space();
      if (text[i] === ']') return { kind: 'array', start, end: ++i, items };
      for (;;) {
        space();
        if (text[i] === ']' && items.length > 0) fail('trailing comma before \']\'');
        items.push(value());
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return { kind: 'array', start, end: ++i, items };
        fail('expected \',\' or \']\'');
      }
    }
    if (c === '"') {
      const s = str();
      return { kind: 'string', ...s };
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail(i >= text.length ? 'unexpected end of the file' : `unexpected character ${JSON.stringify(c)}`);
    i += literal![0].length;
    const word = literal![0];
    if (word === 'true' || word === 'false') return { kind: 'boolean', start, end: i, value: word === 'true' };
    if (word === 'null') return { kind: 'null', start, end: i };
    return { kind: 'number', start, end: i, value: Number(word) };
  };
  try {
    const root = value();
    space();
    if (i < text.length) fail('unexpected text after the JSON value');
    return { root };
  } catch (e) {
    if (e instanceof Stop) return { error: { offset: e.offset, problem: e.problem } };
    throw e;
  }
}

/** The member of an object node named `key` (the last one, as JSON.parse keeps the last). */
export function member(node: JsonNode | undefined, key: string): JsonMember | undefined {
  if (node?.kind !== 'object') return undefined;
  for (let k = node.members.length - 1; k >= 0; k--) if (node.members[k].key === key) return node.members[k];
  return undefined;
}

/** Source offset of each character of a string node's value (escapes make them differ), plus one past the end. */
export function stringOffsets(text: string, node: Extract<JsonNode, { kind: 'string' }>): number[] {
  const offsets: number[] = [];
  let i = node.start + 1;
  while (i < node.end - 1) {
    offsets.push(i);
    if (text[i] === '\\') i += text[i + 1] === 'u' ? 6 : 2;
    else i++;
  }
  offsets.push(node.end - 1);
  return offsets;
}

/** 0-based line and character of an offset, as editors count them. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, character: offset - lineStart };
}
