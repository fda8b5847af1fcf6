// Filling a pattern with an example, as PET builds its inputs: the pattern's words and the mask are tokenized
// separately from the example's text, and when the result is too long only the text is cut (longest text first,
// from its end), so the model always sees the whole prompt and exactly one mask. The special tokens around the
// sequence are taken from the tokenizer itself (by encoding the mask token alone), so the same code frames
// [CLS] … [SEP] for BERT and <s> … </s> for RoBERTa-style vocabularies.
import { UserError } from '../errors';
import type { Encoding, Tokenizer } from '../tokenizer/types';
import { parsePattern, type ParsedPattern, type PatternField } from './pattern';

export interface FilledPattern extends Encoding {
  /** Index of the single mask token in `inputIds`. */
  maskPosition: number;
}

export interface PatternInput {
  text: string;
  textPair?: string;
  /** The example's line in its data file, for messages. */
  line?: number;
}

type PatternTokenizer = Pick<Tokenizer, 'tokenize' | 'tokenToId' | 'idToToken' | 'encode' | 'specialIds'>;

export function fillPattern(pattern: string | ParsedPattern, example: PatternInput, tokenizer: PatternTokenizer, maxLength: number, dataFile?: string): FilledPattern {
  return patternFiller(pattern, tokenizer, maxLength, dataFile)(example);
}

/** A filler for many examples: the pattern is parsed, its words tokenized and its length checked once. */
export function patternFiller(
  pattern: string | ParsedPattern,
  tokenizer: PatternTokenizer,
  maxLength: number,
  dataFile?: string,
): (example: PatternInput) => FilledPattern {
  const parsed = typeof pattern === 'string' ? parsePattern(pattern, { field: 'pattern' }) : pattern;
  const frame = specialFrame(tokenizer);
  // Pattern parts as pieces; fields stay as placeholders until an example arrives.
  const parts = parsed.parts.map((p) =>
    p.kind === 'literal' ? { pieces: tokenizer.tokenize(p.text) } : p.kind === 'mask' ? { pieces: [frame.maskToken], mask: true } : { field: p.field },
  );
  const fixed = parts.reduce((n, p) => n + (p.pieces?.length ?? 0), 0) + frame.before.length + frame.after.length;
  if (fixed >= maxLength) {
    throw new UserError(
      `pattern ${JSON.stringify(parsed.source)} takes ${fixed} tokens with the special tokens, leaving no room for the text within maxLength ${maxLength}`,
      { field: 'maxLength' },
      'Raise maxLength or shorten the pattern.',
    );
  }

  return (example) => {
    const fieldPieces = (field: PatternField, line?: number): string[] => {
      const value = field === 'text' ? example.text : example.textPair;
      if (value === undefined) {
        throw new UserError(
          `pattern ${JSON.stringify(parsed.source)} shows {text_pair}, but this example has no second text`,
          { file: dataFile, line, field: 'text_pair' },
          'Configure the text pair field of the data, or use patterns with {text} only.',
        );
      }
      return tokenizer.tokenize(value);
    };
    const segments = parts.map((p) => (p.field !== undefined ? fieldPieces(p.field, example.line) : p.pieces!));
    const textSegments = parts.flatMap((p, i) => (p.field !== undefined ? [i] : []));
    cutLongestFirst(segments, textSegments, fixed + textSegments.reduce((n, i) => n + segments[i].length, 0) - maxLength);

    const middle = segments.flat();
    const tokens = [...frame.before, ...middle, ...frame.after];
    const maskPosition = frame.before.length + middleMaskIndex(parts, segments);
    const { mask, unk } = tokenizer.specialIds;
    // A text that itself contains the mask token (e.g. "[MASK]" typed in the data) would give the model a second
    // mask; such a piece becomes the unknown token so that the only mask is the pattern's.
    const inputIds = tokens.map((t, i) => {
      if (i === maskPosition) return mask;
      const id = tokenizer.tokenToId(t) ?? unk;
      return id === mask ? unk : id;
    });
    return {
      // Like the tokenizer's encode: a piece outside the vocabulary shows as the unknown token.
      tokens: inputIds.map((id, i) => tokenizer.idToToken(id) ?? tokens[i]),
      inputIds,
      tokenTypeIds: [...frame.beforeTypes, ...middle.map(() => frame.maskType), ...frame.afterTypes],
      attentionMask: inputIds.map(() => 1),
      maskPosition,
    };
  };
}

/** Removes `excess` pieces, one at a time from the end of the longest text segment (the later one on ties). */
function cutLongestFirst(segments: string[][], textSegments: number[], excess: number): void {
  if (excess <= 0) return;
  const lengths = textSegments.map((i) => segments[i].length);
  for (let k = 0; k < excess; k++) {
    let longest = 0;
    for (let j = 1; j < lengths.length; j++) if (lengths[j] >= lengths[longest]) longest = j;
    lengths[longest]--;
  }
  textSegments.forEach((i, j) => (segments[i] = segments[i].slice(0, lengths[j])));
}

function middleMaskIndex(parts: Array<{ mask?: boolean }>, segments: string[][]): number {
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].mask) return offset;
    offset += segments[i].length;
  }
  throw new Error('pattern without a mask'); // parsePattern guarantees one
}

interface Frame {
  maskToken: string;
  before: string[];
  after: string[];
  beforeTypes: number[];
  afterTypes: number[];
  maskType: number;
}

function specialFrame(tokenizer: PatternTokenizer): Frame {
  const maskToken = tokenizer.idToToken(tokenizer.specialIds.mask);
  const framed = maskToken === undefined ? undefined : tokenizer.encode(maskToken, undefined, { truncation: false });
  const at = framed?.inputIds.indexOf(tokenizer.specialIds.mask) ?? -1;
  if (maskToken === undefined || framed === undefined || at === -1 || framed.inputIds.lastIndexOf(tokenizer.specialIds.mask) !== at) {
    throw new Error('the tokenizer does not encode its mask token as one token; cannot build prompts with it');
  }
  return {
    maskToken,
    before: framed.tokens.slice(0, at),
    after: framed.tokens.slice(at + 1),
    beforeTypes: framed.tokenTypeIds.slice(0, at),
    afterTypes: framed.tokenTypeIds.slice(at + 1),
    maskType: framed.tokenTypeIds[at],
  };
}
