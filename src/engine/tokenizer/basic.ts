// BERT's BasicTokenizer (transformers 4.31): clean-up, CJK splitting, NFC, whitespace split, lower-casing and
// accent stripping, punctuation split. The order of the steps matters and follows transformers exactly: e.g.
// CJK compatibility ideographs get their spaces before NFC maps them to unified ideographs.

import {
  CJK_IDEOGRAPHS,
  NONSPACING_MARKS,
  REMOVED_CHARS,
  SPACE_CHARS,
  isPunctuation,
  splitPyWhitespace,
} from './chars';

export interface BasicOptions {
  doLowerCase: boolean;
  /** null follows doLowerCase (as in the original BERT); true/false force it either way. */
  stripAccents: boolean | null;
  tokenizeChineseChars: boolean;
  /** Words (after whitespace split) that are neither lower-cased, stripped nor split on punctuation. */
  neverSplit: readonly string[];
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

export class BasicTokenizer {
  readonly neverSplit: ReadonlySet<string>;

  constructor(private readonly opts: BasicOptions) {
    this.neverSplit = new Set(opts.neverSplit);
  }

  /** `extraNeverSplit` is added to the configured never_split for this call, like transformers' argument. */
  tokenize(text: string, extraNeverSplit?: ReadonlySet<string>): string[] {
    text = text.replace(REMOVED_CHARS, '').replace(SPACE_CHARS, ' ');
    if (this.opts.tokenizeChineseChars) text = text.replace(CJK_IDEOGRAPHS, ' $& ');
    text = text.normalize('NFC');
    const kept = (w: string) => this.neverSplit.has(w) || (extraNeverSplit?.has(w) ?? false);
    const out: string[] = [];
    for (let word of splitPyWhitespace(text)) {
      if (!kept(word)) {
        if (this.opts.doLowerCase) {
          word = word.toLowerCase();
          if (this.opts.stripAccents !== false) word = stripAccents(word);
        } else if (this.opts.stripAccents === true) {
          word = stripAccents(word);
        }
      }
      // Checked again after lower-casing, as transformers does: "[MASK]" lowered to a never_split "[mask]"
      // is not split on its brackets.
      if (kept(word)) out.push(word);
      else splitOnPunctuation(word, out);
    }
    // transformers re-splits the joined result on whitespace; pieces never contain whitespace here, so this
    // only drops empty strings (a word emptied by accent stripping, e.g. a lone combining mark).
    return out.filter((w) => w !== '');
  }
}

/** NFD, then drop nonspacing marks: "Ångström" → "Angstrom". */
export function stripAccents(word: string): string {
  if (ASCII_ONLY.test(word)) return word;
  return word.normalize('NFD').replace(NONSPACING_MARKS, '');
}

/** Every punctuation character becomes its own piece; runs of other characters stay together. */
function splitOnPunctuation(word: string, out: string[]): void {
  let start = 0;
  let i = 0;
  while (i < word.length) {
    const cp = word.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (isPunctuation(word.slice(i, i + width))) {
      if (i > start) out.push(word.slice(start, i));
      out.push(word.slice(i, i + width));
      start = i + width;
    }
    i += width;
  }
  if (start < word.length) out.push(word.slice(start));
}
