// vocab.txt: one token per line, id = line index, read the way transformers' load_vocab reads it (Python
// text mode): "\r\n" and "\r" count as line ends, one final line end adds no token, an empty line in the
// middle (or a second newline at the end) is the empty-string token, and a token listed twice keeps its
// last id. A byte-order mark is not removed (Python's "utf-8" codec keeps it), so it becomes part of token 0.

import { readFile } from 'node:fs/promises';
import { UserError } from '../errors';

export class Vocab {
  private readonly ids = new Map<string, number>();

  /** `lines[i]` is the token written on line i + 1. */
  private constructor(readonly lines: readonly string[]) {
    lines.forEach((token, id) => this.ids.set(token, id));
  }

  static parse(text: string): Vocab {
    if (text === '') return new Vocab([]);
    const lines = text.split(/\r\n|\r|\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    return new Vocab(lines);
  }

  static async load(file: string): Promise<Vocab> {
    const bytes = await readFile(file);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new UserError(
        'vocab.txt is not valid UTF-8',
        { file },
        'Save the vocabulary as UTF-8 text, one token per line.',
      );
    }
    return Vocab.parse(text);
  }

  /** Token → id map (last id wins for repeated tokens). */
  get map(): ReadonlyMap<string, number> {
    return this.ids;
  }

  /** Number of lines, i.e. one more than the largest id. */
  get size(): number {
    return this.lines.length;
  }

  /** Number of distinct tokens: transformers' `vocab_size`, where added tokens start. */
  get distinct(): number {
    return this.ids.size;
  }

  id(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Undefined for ids out of range and for the earlier line of a repeated token (transformers drops it too). */
  token(id: number): string | undefined {
    const token = this.lines[id];
    return token !== undefined && this.ids.get(token) === id ? token : undefined;
  }

  /** The file as transformers' save_vocabulary writes it: every token followed by "\n". */
  toText(): string {
    return this.lines.map((t) => t + '\n').join('');
  }
}
