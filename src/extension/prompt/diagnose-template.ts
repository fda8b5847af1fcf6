// Diagnostics for a prompt template (`*.prompt.json`) as it is typed. The engine stops at the first problem (it is
// loading a file to train with); the editor shows them all, each on the exact word: patterns with no or several
// [MASK], unknown {fields}, labels of the data without a verbalizer entry (or entries that are not labels),
// verbalizer words the model's vocabulary splits (with how it splits them, and single-token alternatives for a
// quick fix), and one token standing for two labels. The engine's own parser runs last: whatever it would refuse
// and none of these checks caught is shown too, so the editor never passes a template that a run would reject.
// Pure (no vscode): offsets in, offsets out.
import { isUserError } from '../../engine/errors';
import { nearest } from '../../engine/json/fields';
import { MASK, PATTERN_FIELDS } from '../../engine/prompt/pattern';
import { parseTemplate } from '../../engine/prompt/template';
import { member, parseJsonTree, stringOffsets, type JsonNode } from '../json/json-tree';
import { singleTokenAlternatives, singleTokenId, type Alternative, type VocabTokenizer } from './word-alternatives';

export type Severity = 'error' | 'warning' | 'info';

export interface TemplateDiagnostic {
  start: number;
  end: number;
  severity: Severity;
  message: string;
  /** Stable identifier of the check, e.g. `verbalizer-split`. */
  code: string;
  /** Replacement texts for the range (quick fixes), already JSON-encoded where the range is a JSON string. */
  fixes?: { title: string; text: string }[];
  related?: { start: number; end: number; message: string }[];
}

export interface TemplateContext {
  /** The vocabulary to check verbalizer words against; absent when the model's tokenizer is not available. */
  tokenizer?: VocabTokenizer;
  /** Which model the tokenizer is, for messages ("google/bert_uncased_L-2_H-128_A-2"). */
  model: string;
  /** Why words were not checked, or where the vocabulary came from; shown once at "verbalizer". */
  tokenizerNote?: string;
  /** The labels of the data the template is used with (an experiment's training file), if known. */
  data?: { labels: string[]; file: string; hasTextPair: boolean };
}

const KEYS = ['$schema', 'patterns', 'verbalizer', 'model', 'description'];

export function diagnoseTemplate(text: string, file: string, ctx: TemplateContext): TemplateDiagnostic[] {
  const tree = parseJsonTree(text);
  if (!tree.root) {
    const at = tree.error!.offset;
    return [{ start: at, end: Math.min(text.length, at + 1), severity: 'error', message: `Invalid JSON: ${tree.error!.problem}.`, code: 'json-syntax' }];
  }
  const out: TemplateDiagnostic[] = [];
  const root = tree.root;
  if (root.kind === 'object') {
    for (const m of root.members) {
      if (KEYS.includes(m.key)) continue;
      const near = nearest(m.key, KEYS);
      out.push({
        start: m.keyStart, end: m.keyEnd, severity: 'error', code: 'unknown-key',
        message: `Unknown key "${m.key}".${near ? ` Did you mean "${near}"?` : ''}`,
        ...(near ? { fixes: [{ title: `Rename to "${near}"`, text: JSON.stringify(near) }] } : {}),
      });
    }
    const patterns = member(root, 'patterns')?.value;
    if (patterns?.kind === 'array') patterns.items.forEach((p, i) => out.push(...checkPattern(text, p, i, ctx)));
    const verbalizer = member(root, 'verbalizer');
    if (verbalizer?.value.kind === 'object') out.push(...checkVerbalizer(verbalizer.value, verbalizer.keyStart, verbalizer.keyEnd, ctx));
  }
  // Anything the engine refuses that the checks above did not already flag as an error.
  if (!out.some((d) => d.severity === 'error')) {
    try {
      parseTemplate(text, file);
    } catch (e) {
      if (!isUserError(e)) throw e;
      const range = rangeOfLine(text, e.place.line ?? 1);
      out.push({ ...range, severity: 'error', code: 'engine', message: `${e.message.replace(/\.?$/, '.')} ${e.fix}` });
    }
  }
  return out;
}

function checkPattern(text: string, node: JsonNode, index: number, ctx: TemplateContext): TemplateDiagnostic[] {
  if (node.kind !== 'string') return []; // the JSON schema (and the engine) say what is wrong with a non-string
  const out: TemplateDiagnostic[] = [];
  const source = node.value;
  const offsets = stringOffsets(text, node);
  const span = (from: number, to: number) => ({ start: offsets[from], end: offsets[to] });
  const whole = { start: node.start, end: node.end };
  const name = `Pattern ${index + 1}`;

  const masks = [...source.matchAll(/\[MASK\]/g)];
  if (masks.length === 0) {
    const lower = /\[mask\]/i.exec(source);
    out.push(lower
      ? { ...span(lower.index, lower.index + lower[0].length), severity: 'error', code: 'mask-case', message: `${name} has no ${MASK}: the mask must be written in capitals.`, fixes: [{ title: `Write ${MASK}`, text: MASK }] }
      : { ...whole, severity: 'error', code: 'mask-missing', message: `${name} has no ${MASK}; it needs exactly one, where the label word goes (e.g. "{text} It was ${MASK}.").` });
  }
  for (const extra of masks.slice(1)) {
    out.push({ ...span(extra.index!, extra.index! + MASK.length), severity: 'error', code: 'mask-several', message: `${name} has ${masks.length} ${MASK} tokens; it needs exactly one (the prediction is read at a single mask).` });
  }

  let hasText = false;
  for (const m of source.matchAll(/\[MASK\]|\{([^{}]*)\}|[{}]/g)) {
    if (m[0] === MASK) continue;
    const range = span(m.index!, m.index! + m[0].length);
    if (m[1] === undefined) {
      out.push({ ...range, severity: 'error', code: 'brace', message: `${name}: unmatched "${m[0]}". Fields are written {text} or {text_pair}; a pattern cannot hold other braces.` });
    } else if (!(PATTERN_FIELDS as readonly string[]).includes(m[1])) {
      out.push({
        ...range, severity: 'error', code: 'unknown-field',
        message: `${name}: unknown field {${m[1]}}. The fields a pattern can use are {text} and {text_pair}.`,
        fixes: PATTERN_FIELDS.map((f) => ({ title: `Use {${f}}`, text: `{${f}}` })),
      });
    } else if (m[1] === 'text') {
      hasText = true;
    } else if (ctx.data && !ctx.data.hasTextPair) {
      out.push({ ...range, severity: 'warning', code: 'text-pair', message: `${name} shows {text_pair}, but the data (${ctx.data.file}) has no second text field.` });
    }
  }
  if (!hasText) out.push({ ...whole, severity: 'error', code: 'text-missing', message: `${name} never shows the example: it has no {text}.` });
  return out;
}

function checkVerbalizer(node: Extract<JsonNode, { kind: 'object' }>, keyStart: number, keyEnd: number, ctx: TemplateContext): TemplateDiagnostic[] {
  const out: TemplateDiagnostic[] = [];
  const key = { start: keyStart, end: keyEnd };
  if (ctx.data) {
    const entries = node.members.map((m) => m.key);
    const missing = ctx.data.labels.filter((l) => !entries.includes(l));
    if (missing.length > 0) {
      out.push({
        ...key, severity: 'error', code: 'label-missing',
        message: `The data's label${missing.length > 1 ? 's' : ''} ${list(missing)} ${missing.length > 1 ? 'have' : 'has'} no verbalizer entry (labels of ${ctx.data.file}: ${list(ctx.data.labels)}).`,
      });
    }
    for (const m of node.members) {
      if (ctx.data.labels.includes(m.key)) continue;
      const near = nearest(m.key, ctx.data.labels.filter((l) => !entries.includes(l)));
      out.push({
        start: m.keyStart, end: m.keyEnd, severity: 'error', code: 'label-unknown',
        message: `"${m.key}" is not a label of the data (${ctx.data.file}: ${list(ctx.data.labels)}).${near ? ` Did you mean "${near}"?` : ''}`,
        ...(near ? { fixes: [{ title: `Rename to "${near}"`, text: JSON.stringify(near) }] } : {}),
      });
    }
  }
  if (!ctx.tokenizer) {
    if (ctx.tokenizerNote) out.push({ ...key, severity: 'info', code: 'vocabulary-unavailable', message: ctx.tokenizerNote });
    return out;
  }
  if (ctx.tokenizerNote) out.push({ ...key, severity: 'info', code: 'vocabulary-source', message: ctx.tokenizerNote });

  const owner = new Map<number, { label: string; word: string; start: number; end: number }>();
  for (const m of node.members) {
    const words = m.value.kind === 'string' ? [m.value] : m.value.kind === 'array' ? m.value.items : [];
    for (const w of words) {
      if (w.kind !== 'string' || w.value.trim() === '') continue;
      const id = singleTokenId(w.value, ctx.tokenizer);
      if (id === undefined) {
        const pieces = ctx.tokenizer.tokenize(w.value);
        const alternatives = singleTokenAlternatives(w.value, ctx.tokenizer);
        const how = pieces.length === 0 ? 'becomes no token at all' : pieces.length === 1 ? `is not in the vocabulary (it becomes ${JSON.stringify(pieces[0])})` : `splits into [${pieces.map((p) => JSON.stringify(p)).join(', ')}]`;
        out.push({
          start: w.start, end: w.end, severity: 'error', code: 'verbalizer-split',
          message: `"${w.value}" (label "${m.key}") ${how} in the vocabulary of ${ctx.model}; a verbalizer word must be one token, scored at the single ${MASK}.${suggest(alternatives)}`,
          fixes: alternatives.map((a) => ({ title: a.kind === 'spelling' ? `Use "${a.word}" (one token)` : `Use "${a.word}" (one token, similar spelling — check the meaning)`, text: JSON.stringify(a.word) })),
        });
        continue;
      }
      const previous = owner.get(id);
      if (previous) {
        const same = previous.label === m.key;
        out.push({
          start: w.start, end: w.end, severity: 'error', code: 'verbalizer-duplicate',
          message: same
            ? `Label "${m.key}" lists the token of "${w.value}" twice.`
            : `"${w.value}" (label "${m.key}") is the same token as "${previous.word}" (label "${previous.label}"); each token may stand for one label only.`,
          related: [{ start: previous.start, end: previous.end, message: `"${previous.word}" (label "${previous.label}")` }],
        });
        continue;
      }
      owner.set(id, { label: m.key, word: w.value, start: w.start, end: w.end });
    }
  }
  return out;
}

function suggest(alternatives: Alternative[]): string {
  if (alternatives.length === 0) return ' Use a shorter or more common word.';
  return ` Single-token alternatives: ${alternatives.map((a) => JSON.stringify(a.word)).join(', ')}.`;
}

function list(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ');
}

/** The range of a 1-based line without its indentation, for messages that know only the line. */
function rangeOfLine(text: string, line: number): { start: number; end: number } {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) break;
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  while (start < end && /\s/.test(text[start])) start++;
  return { start, end: Math.max(start, end) };
}
