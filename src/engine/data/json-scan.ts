// A small JSON scanner used only for *positions*: JSON.parse in Node 20 reports most syntax errors without a
// position ("Unexpected token ']', ... is not valid JSON"), and never tells where a value was. This scanner
// validates the same grammar, names the line and column of the first error in words a user can act on, and
// records where each value starts so that later checks (a bad label on row 12, an unknown key in a template)
// can point at a line too. Values themselves are still produced by JSON.parse.

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors show for most text). */
  column: number;
}

export interface JsonSyntaxError extends TextPosition {
  message: string;
}

/**
 * Where each value starts, keyed by its path: `patterns[1]`, `verbalizer.positive`, `[3]`; the root is ''.
 * `maxDepth` limits how deep paths are recorded (1: only the root's members), to keep big data files cheap.
 * Call it on text that JSON.parse accepted; on invalid JSON it throws.
 */
export function jsonValuePositions(text: string, maxDepth = Infinity): Map<string, TextPosition> {
  const scanner = new Scanner(text, maxDepth);
  scanner.document();
  return scanner.positions;
}

/** The first syntax error in `text`, or undefined if it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const scanner = new Scanner(text, -1);
  try {
    scanner.document();
    return undefined;
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    return { ...positionOf(text, e.offset), message: e.message };
  }
}

class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

class Scanner {
  private i = 0;
  readonly positions = new Map<string, TextPosition>();
  private readonly lineStarts: number[];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.lineStarts = maxDepth >= 0 ? lineStartsOf(text) : [];
  }

  document(): void {
    this.space();
    if (this.i >= this.text.length) this.fail('the file holds no JSON value');
    this.value('', 0);
    this.space();
    if (this.i < this.text.length) this.fail('unexpected text after the end of the JSON value');
  }

  private value(path: string, depth: number): void {
    if (depth <= this.maxDepth) this.positions.set(path, positionAt(this.lineStarts, this.i));
    const c = this.text[this.i];
    if (c === '{') this.object(path, depth);
    else if (c === '[') this.array(path, depth);
    else if (c === '"') this.string();
    else if (c === '-' || (c >= '0' && c <= '9')) this.number();
    else if (this.text.startsWith('true', this.i)) this.i += 4;
    else if (this.text.startsWith('false', this.i)) this.i += 5;
    else if (this.text.startsWith('null', this.i)) this.i += 4;
    else if (c === undefined) this.fail('unexpected end of file: a value is missing');
    else if (c === "'") this.fail('strings must use double quotes (") in JSON');
    else this.fail(`unexpected ${describe(c)} where a value was expected`);
  }

  private object(path: string, depth: number): void {
    this.i++; // {
    this.space();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      if (this.text[this.i] === '}') this.fail("trailing comma before '}'");
      if (this.text[this.i] !== '"') this.fail(`expected a property name in double quotes, found ${describe(this.text[this.i])}`);
      const keyStart = this.i;
      this.string();
      const key = JSON.parse(this.text.slice(keyStart, this.i)) as string;
      this.space();
      if (this.text[this.i] !== ':') this.fail(`expected ':' after the property name, found ${describe(this.text[this.i])}`);
      this.i++;
      this.space();
      this.value(path === '' ? key : `${path}.${key}`, depth + 1);
      this.space();
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        this.space();
        continue;
      }
      if (c === '}') {
        this.i++;
        return;
      }
      this.fail(c === undefined ? "unexpected end of file: '}' is missing" : `expected ',' or '}' after a property, found ${describe(c)}`);
    }
  }

  private array(path: string, depth: number): void {
    this.i++; // [
    this.space();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (let index = 0; ; index++) {
      if (this.text[this.i] === ']') this.fail("trailing comma before ']'");
      this.value(`${path}[${index}]`, depth + 1);
      this.space();
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        this.space();
        continue;
      }
      if (c === ']') {
        this.i++;
        return;
      }
      this.fail(c === undefined ? "unexpected end of file: ']' is missing" : `expected ',' or ']' after an array element, found ${describe(c)}`);
    }
  }

  private string(): void {
    const start = this.i;
    this.i++; // opening quote
    for (;;) {
      const c = this.text.charCodeAt(this.i);
      if (Number.isNaN(c)) this.failAt(start, 'string is never closed');
      if (c === 0x22) {
        this.i++;
        return;
      }
      if (c < 0x20) this.fail(c === 0x0a ? 'string is never closed on its line (write a line break as \\n)' : 'control character inside a string (escape it)');
      if (c === 0x5c) {
        const e = this.text[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) this.fail('\\u must be followed by 4 hex digits');
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail(`invalid escape \\${e ?? ''} in a string`);
        this.i += 2;
        continue;
      }
      this.i++;
    }
  }

  private number(): void {
    const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const found = m.exec(this.text);
    if (!found) this.fail('invalid number');
    this.i += found![0].length;
  }

  private space(): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '/' && (this.text[this.i + 1] === '/' || this.text[this.i + 1] === '*')) this.fail('comments are not allowed in JSON');
      else return;
    }
  }

  private fail(message: string): never {
    throw new ScanError(message, this.i);
  }

  private failAt(offset: number, message: string): never {
    throw new ScanError(message, offset);
  }
}

function describe(c: string | undefined): string {
  if (c === undefined) return 'the end of the file';
  return JSON.stringify(c);
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positionAt(lineStarts: number[], offset: number): TextPosition {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
}

function positionOf(text: string, offset: number): TextPosition {
  return positionAt(lineStartsOf(text), offset);
}
