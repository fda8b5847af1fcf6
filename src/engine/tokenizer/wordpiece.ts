// WordPiece: greedy longest-match-first split of each word into vocabulary pieces, continuation pieces
// prefixed with "##". A word with any unmatchable remainder, or longer than maxInputCharsPerWord code
// points, becomes the unknown token as a whole (transformers' WordpieceTokenizer).

import { splitPyWhitespace } from './chars';

export class WordPiece {
  /** Longest vocabulary entry in code points: no longer candidate can match, so none is tried. */
  private readonly longest: number;

  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    private readonly unkToken: string,
    private readonly maxInputCharsPerWord = 100,
    private readonly prefix = '##',
  ) {
    let longest = 0;
    for (const token of vocab.keys()) longest = Math.max(longest, [...token].length);
    this.longest = longest;
  }

  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const word of splitPyWhitespace(text)) this.splitWord(word, out);
    return out;
  }

  private splitWord(word: string, out: string[]): void {
    const chars = [...word];
    if (chars.length > this.maxInputCharsPerWord) {
      out.push(this.unkToken);
      return;
    }
    const pieces: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = Math.min(chars.length, start + this.longest);
      let piece: string | undefined;
      for (; end > start; end--) {
        const candidate = (start > 0 ? this.prefix : '') + chars.slice(start, end).join('');
        if (this.vocab.has(candidate)) {
          piece = candidate;
          break;
        }
      }
      if (piece === undefined) {
        out.push(this.unkToken);
        return;
      }
      pieces.push(piece);
      start = end;
    }
    out.push(...pieces);
  }
}
