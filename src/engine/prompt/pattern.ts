// A PET pattern is a string such as "{text} It was [MASK]." — literal words, the example's fields in braces, and
// exactly one [MASK] where the model's prediction is read. Parsing it once into parts lets the filler tokenize
// each part on its own and truncate only the example's text, never the pattern words or the mask.
import { UserError, type ErrorPlace } from '../errors';

export const MASK = '[MASK]';
export const PATTERN_FIELDS = ['text', 'text_pair'] as const;
export type PatternField = (typeof PATTERN_FIELDS)[number];

export type PatternPart = { kind: 'literal'; text: string } | { kind: 'field'; field: PatternField } | { kind: 'mask' };

export interface ParsedPattern {
  source: string;
  parts: PatternPart[];
  /** The fields the pattern shows, in order of first use. */
  fields: PatternField[];
}

const TOKEN = /\[MASK\]|\{([^{}]*)\}|[{}]/g;

/** Parses and checks one pattern; problems are UserErrors at `place` (e.g. the template file and `patterns[1]`). */
export function parsePattern(source: string, place: ErrorPlace): ParsedPattern {
  const parts: PatternPart[] = [];
  const fields: PatternField[] = [];
  let masks = 0;
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    if (m.index! > last) parts.push({ kind: 'literal', text: source.slice(last, m.index) });
    last = m.index! + m[0].length;
    if (m[0] === MASK) {
      masks++;
      parts.push({ kind: 'mask' });
    } else if (m[1] === undefined) {
      throw new UserError(`unmatched "${m[0]}" at column ${m.index! + 1} in pattern ${JSON.stringify(source)}`, place, 'Write fields as {text} or {text_pair}; patterns cannot hold other braces.');
    } else if ((PATTERN_FIELDS as readonly string[]).includes(m[1])) {
      const field = m[1] as PatternField;
      if (!fields.includes(field)) fields.push(field);
      parts.push({ kind: 'field', field });
    } else {
      throw new UserError(`unknown field {${m[1]}} in pattern ${JSON.stringify(source)}`, place, 'The fields a pattern can use are {text} and {text_pair}.');
    }
  }
  if (last < source.length) parts.push({ kind: 'literal', text: source.slice(last) });

  if (masks !== 1) {
    const lower = masks === 0 && /\[mask\]/i.test(source);
    throw new UserError(
      `pattern ${JSON.stringify(source)} has ${masks === 0 ? 'no' : masks} ${MASK}${masks > 1 ? ' tokens' : ''}; it needs exactly one`,
      place,
      lower ? `Write the mask in capitals: ${MASK}.` : `Put exactly one ${MASK} where the label word should go, e.g. "{text} It was ${MASK}."`,
    );
  }
  if (!fields.includes('text')) {
    throw new UserError(`pattern ${JSON.stringify(source)} never shows the example: it has no {text}`, place, `Add {text} where the input goes, e.g. "{text} It was ${MASK}."`);
  }
  return { source, parts, fields };
}
