// Single-token words to offer in place of a verbalizer word the model's vocabulary splits. First the spellings the
// engine's own message suggests (trimmed, lower case, without punctuation — often the whole problem), then whole
// words of the vocabulary within a small edit distance (typos such as "excelent"). Similar spelling is not similar
// meaning, so the quick fix labels the second kind as such and the person chooses.
import type { Tokenizer } from '../../engine/tokenizer/types';

export type VocabTokenizer = Pick<Tokenizer, 'tokenize' | 'tokenToId' | 'idToToken' | 'specialIds' | 'vocabSize'>;

/** The vocabulary id of `word` when the tokenizer makes exactly one known token of it. */
export function singleTokenId(word: string, tokenizer: VocabTokenizer): number | undefined {
  const pieces = tokenizer.tokenize(word);
  if (pieces.length !== 1) return undefined;
  const id = tokenizer.tokenToId(pieces[0]);
  return id === undefined || id === tokenizer.specialIds.unk ? undefined : id;
}

export interface Alternative {
  word: string;
  kind: 'spelling' | 'similar';
}

export function singleTokenAlternatives(word: string, tokenizer: VocabTokenizer, max = 4): Alternative[] {
  const out: Alternative[] = [];
  const ids = new Set<number>();
  for (const v of spellings(word)) {
    const id = singleTokenId(v, tokenizer);
    // An uncased vocabulary makes "Great" and "great" one token: offer it once.
    if (v === word || id === undefined || ids.has(id)) continue;
    ids.add(id);
    out.push({ word: v, kind: 'spelling' });
  }
  // Spelling neighbours only for longer words, where a small edit is likely a typo; for short words nearly every
  // word is a neighbour ("spam": "span", "slam"), and offering those would be noise.
  const target = word.trim().toLowerCase();
  if (target.length < 6) return out.slice(0, max);
  const limit = target.length < 8 ? 1 : 2;
  const near: { word: string; distance: number; id: number }[] = [];
  for (const { token, id } of wholeWords(tokenizer)) {
    if (Math.abs(token.length - target.length) > limit || ids.has(id)) continue;
    const d = editDistance(target, token.toLowerCase(), limit);
    if (d <= limit) near.push({ word: token, distance: d, id });
  }
  // Closer first; on ties, the lower id — WordPiece vocabularies list frequent words earlier.
  near.sort((a, b) => a.distance - b.distance || a.id - b.id);
  for (const n of near) {
    if (out.length >= max) break;
    ids.add(n.id);
    out.push({ word: n.word, kind: 'similar' });
  }
  return out.slice(0, max);
}

const wholeWordCache = new WeakMap<object, { token: string; id: number }[]>();

/** The vocabulary's entries that are whole alphabetic words and tokenize to themselves (computed once per tokenizer). */
function wholeWords(tokenizer: VocabTokenizer): { token: string; id: number }[] {
  let words = wholeWordCache.get(tokenizer);
  if (!words) {
    words = [];
    for (let id = 0; id < tokenizer.vocabSize; id++) {
      const token = tokenizer.idToToken(id);
      if (token !== undefined && /^\p{L}{3,}$/u.test(token) && singleTokenId(token, tokenizer) === id) words.push({ token, id });
    }
    wholeWordCache.set(tokenizer, words);
  }
  return words;
}

/** The cheap respellings the engine's verbalizer message also tries. */
function spellings(word: string): string[] {
  const t = word.trim();
  const bare = t.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '');
  return [t, t.toLowerCase(), t.charAt(0).toUpperCase() + t.slice(1).toLowerCase(), bare, bare.toLowerCase()].filter((v) => v.trim() !== '');
}

/** Levenshtein distance, giving up (returning limit + 1) as soon as it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}
