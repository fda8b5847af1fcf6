// Prompt template files (`*.prompt.json`): the PET patterns to try and the verbalizer that maps each label to the
// word(s) the masked language model should predict. Every problem is reported at its place in the file (line and
// JSON path) because this file is hand-written and edited in VS Code, where the message becomes a diagnostic.
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors';
import { nearest } from '../json/fields';
import { parseLocatedJson, type LocatedJson } from '../json/located';
import { parsePattern, type ParsedPattern } from './pattern';

export interface PromptTemplate {
  /** Where the template came from, for messages. */
  file: string;
  patterns: string[];
  /** `patterns`, parsed, in the same order. */
  parsed: ParsedPattern[];
  /** Label → candidate words (a single word is stored as a one-element list), in file order. */
  verbalizer: Record<string, string[]>;
  /** The model the template was written for, informational. */
  model?: string;
  description?: string;
  /** The parsed file, which knows the line of each value (`patterns[1]`, `verbalizer.positive`), so later checks can name it. */
  json: LocatedJson;
}

const KEYS = ['$schema', 'patterns', 'verbalizer', 'model', 'description'];

export async function loadTemplate(file: string): Promise<PromptTemplate> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the template (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file }, 'Check the path and its permissions.');
  }
  return parseTemplate(text, file);
}

export function parseTemplate(text: string, file: string): PromptTemplate {
  const json = parseLocatedJson(text, file, {
    fix: 'Fix the JSON syntax (a template looks like {"patterns": ["{text} It was [MASK]."], "verbalizer": {"positive": "great"}}).',
  });
  const root = json.value;
  const at = (field: string) => ({ file, line: json.lineOf(field), field });

  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new UserError('a prompt template must be a JSON object', { file, line: 1 }, 'Write {"patterns": [...], "verbalizer": {...}}.');
  }
  const obj = root as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KEYS.includes(key)) {
      const near = nearest(key, KEYS);
      throw new UserError(
        `unknown key "${key}"`,
        at(key),
        near ? `Did you mean "${near}"?` : `The keys a template can have are ${KEYS.filter((k) => k !== '$schema').map((k) => `"${k}"`).join(', ')}.`,
      );
    }
  }

  const patterns = obj.patterns;
  if (!Array.isArray(patterns) || patterns.length === 0) {
    throw new UserError(
      patterns === undefined ? 'the template has no "patterns"' : '"patterns" must be a non-empty array of strings',
      patterns === undefined ? { file, line: 1, field: 'patterns' } : at('patterns'),
      'Give at least one pattern, e.g. "patterns": ["{text} It was [MASK]."].',
    );
  }
  const parsed = patterns.map((p: unknown, i) => {
    const field = `patterns[${i}]`;
    if (typeof p !== 'string' || p.trim() === '') {
      throw new UserError(`pattern ${i} must be a non-empty string`, at(field), 'Write each pattern as a string such as "{text} It was [MASK]."');
    }
    return parsePattern(p, at(field));
  });

  const verbalizer = parseVerbalizer(obj.verbalizer, at);
  for (const key of ['model', 'description'] as const) {
    if (obj[key] !== undefined && typeof obj[key] !== 'string') throw new UserError(`"${key}" must be a string`, at(key), `Write "${key}" as a string or leave it out.`);
  }
  return {
    file,
    patterns: parsed.map((p) => p.source),
    parsed,
    verbalizer,
    json,
    ...(typeof obj.model === 'string' ? { model: obj.model } : {}),
    ...(typeof obj.description === 'string' ? { description: obj.description } : {}),
  };
}

function parseVerbalizer(value: unknown, at: (field: string) => { file: string; line?: number; field: string }): Record<string, string[]> {
  const example = 'e.g. "verbalizer": {"positive": "great", "negative": ["terrible", "bad"]}';
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) {
    const where = value === undefined ? { ...at('verbalizer'), line: 1 } : at('verbalizer');
    throw new UserError(value === undefined ? 'the template has no "verbalizer"' : '"verbalizer" must be an object with one entry per label', where, `Map each label to its word(s), ${example}.`);
  }
  const out: Array<[string, string[]]> = [];
  for (const [label, words] of Object.entries(value as Record<string, unknown>)) {
    const field = `verbalizer.${label}`;
    const list = typeof words === 'string' ? [words] : words;
    if (!Array.isArray(list) || list.length === 0) {
      throw new UserError(`the words for label "${label}" must be a string or a non-empty array of strings`, at(field), `Map each label to its word(s), ${example}.`);
    }
    list.forEach((w: unknown, i) => {
      if (typeof w !== 'string' || w.trim() === '') {
        throw new UserError(`word ${i} of label "${label}" must be a non-empty string`, at(Array.isArray(words) ? `${field}[${i}]` : field), 'Write each verbalizer word as a non-empty string.');
      }
    });
    out.push([label, list as string[]]);
  }
  // fromEntries defines own properties, so even a label such as "__proto__" stays an ordinary entry.
  return Object.fromEntries(out);
}

/** A pattern that shows {text_pair} needs data with a second text; the caller knows whether the data has one. */
export function checkTemplateFields(template: PromptTemplate, dataHasTextPair: boolean, dataFile: string): void {
  if (dataHasTextPair) return;
  const i = template.parsed.findIndex((p) => p.fields.includes('text_pair'));
  if (i !== -1) {
    throw new UserError(
      `pattern ${i} (${JSON.stringify(template.patterns[i])}) uses {text_pair}, but the data (${dataFile}) has no second text`,
      { file: template.file, field: `patterns[${i}]` },
      'Configure the text pair field of the data, or use patterns with {text} only.',
    );
  }
}
