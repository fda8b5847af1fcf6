// Character classes exactly as transformers defines them for BERT (tokenization_utils.py), expressed as
// regular expressions so whole strings can be cleaned in one pass. Unicode categories come from V8's ICU
// rather than Python's unicodedata; they agree except for code points assigned in between the two versions.

/** Removed by clean-up: NUL, U+FFFD and every category C* character except tab, newline and carriage return. */
export const REMOVED_CHARS = /[\uFFFD]|(?![\t\n\r])\p{C}/gu;

/** Turned into a plain space by clean-up: tab, newline, carriage return and category Zs. */
export const SPACE_CHARS = /[\t\n\r\p{Zs}]/gu;

/**
 * Python's str.isspace() set, used by `str.split()` / `str.strip()` in transformers' whitespace_tokenize.
 * It is wider than BERT's own whitespace (it has U+2028, U+2029 and the C0 separators), which matters
 * where text reaches WordPiece without clean-up.
 */
export const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/** CJK ideographs (not Hangul, Hiragana or Katakana): the blocks transformers puts spaces around. */
export const CJK_IDEOGRAPHS =
  /[\u{4E00}-\u{9FFF}\u{3400}-\u{4DBF}\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}]/gu;

/** Combining marks dropped by accent stripping (category Mn, after NFD). */
export const NONSPACING_MARKS = /\p{Mn}/gu;

/** ASCII non-alphanumerics count as punctuation too ("$", "^", "`" are symbols in Unicode). */
const PUNCTUATION = /[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]|\p{P}/u;

const ASCII_PUNCT: boolean[] = Array.from({ length: 128 }, (_, c) => PUNCTUATION.test(String.fromCharCode(c)));

/** `ch` is one code point. */
export function isPunctuation(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 128 ? ASCII_PUNCT[c] : PUNCTUATION.test(ch);
}

/** Splits like Python's `text.split()` (no argument): on runs of Python whitespace, dropping empty ends. */
export function splitPyWhitespace(text: string): string[] {
  return text.split(PY_WHITESPACE).filter((t) => t !== '');
}
