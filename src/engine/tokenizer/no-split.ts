// Tokens that are never split: the special tokens and added tokens. A tokenizer loaded with transformers'
// from_pretrained cuts the text on them before anything else, so a literal "[MASK]" written in the text stays
// one token ("[MASK]." would otherwise reach the BasicTokenizer as one word and be split into "[", "mask",
// "]", "."). transformers also lower-cases the rest of the text first, one character at a time; that is why
// e.g. a final capital sigma becomes "σ" and not the word-final "ς" a whole-string lower-casing would give.

export interface Piece {
  text: string;
  /** True when `text` is one of the never-split tokens. */
  whole: boolean;
}

export class NoSplitTokens {
  /** Candidates by first UTF-16 unit, longest first, so the longest token starting at a position wins. */
  private readonly byFirst = new Map<string, string[]>();

  constructor(readonly tokens: readonly string[]) {
    for (const token of new Set(tokens)) {
      if (token === '') continue;
      const list = this.byFirst.get(token[0]) ?? [];
      list.push(token);
      list.sort((a, b) => b.length - a.length);
      this.byFirst.set(token[0], list);
    }
  }

  /** The never-split token starting at `text[i]`, if any (longest wins). */
  private matchAt(text: string, i: number): string | undefined {
    const candidates = this.byFirst.get(text[i]);
    return candidates?.find((t) => text.startsWith(t, i));
  }

  /** Leftmost-longest cut of the text into never-split tokens and the stretches between them. */
  split(text: string): Piece[] {
    const pieces: Piece[] = [];
    let start = 0;
    let i = 0;
    while (i < text.length) {
      const match = this.matchAt(text, i);
      if (match === undefined) {
        i++;
        continue;
      }
      if (i > start) pieces.push({ text: text.slice(start, i), whole: false });
      pieces.push({ text: match, whole: true });
      i += match.length;
      start = i;
    }
    if (start < text.length) pieces.push({ text: text.slice(start), whole: false });
    return pieces;
  }

  /** Lower-cases the text outside the never-split tokens, character by character (see the file comment). */
  lowerOutside(text: string): string {
    return this.split(text)
      .map((p) => (p.whole ? p.text : lowerEachChar(p.text)))
      .join('');
  }
}

/**
 * Python's per-character `c.lower()`. JavaScript's whole-string toLowerCase differs from it only through the
 * one context-dependent rule, word-final sigma, so only text containing "Σ" needs the slow path.
 */
function lowerEachChar(text: string): string {
  if (!text.includes('\u03a3')) return text.toLowerCase();
  return Array.from(text, (ch) => ch.toLowerCase()).join('');
}
