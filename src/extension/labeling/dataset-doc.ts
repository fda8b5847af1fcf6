// A dataset file as the labeling editor sees it: rows with their text and label, and the smallest text edit that
// sets or clears one row's label — a JSON Lines row gets its "label" value replaced (or the member added or
// removed), a CSV/TSV row gets its label cell rewritten (the column is added to every row the first time). Edits
// touch only what changes, so the file's diff shows exactly the labels given, and VS Code's undo, dirty state and
// hot exit work on them as on any edit. Pure (no vscode), unit-tested.
import { csvField, csvRecords, type CsvRecord } from './csv-records';
import { member, parseJsonTree, type JsonNode } from '../json/json-tree';

export type LabelingFormat = 'jsonl' | 'csv' | 'tsv';

export interface LabelRow {
  /** Position among the rows (0-based). */
  index: number;
  /** 1-based line of the row in the file. */
  line: number;
  text: string;
  textPair?: string;
  label?: string;
}

export interface Fields {
  text: string;
  label: string;
  textPair?: string;
}

export interface LabelingDocument {
  format: LabelingFormat;
  fields: Fields;
  rows: LabelRow[];
  /** Lines that are not rows (invalid JSON, no text), shown to the user and left alone. */
  problems: { line: number; message: string }[];
  /** For CSV/TSV: the header's columns. */
  header?: string[];
  /** Internal: where each row is written, for edits. */
  readonly anchors: Anchor[];
}

type Anchor =
  | { kind: 'jsonl'; start: number; end: number; tree: Extract<JsonNode, { kind: 'object' }> }
  | { kind: 'csv'; record: CsvRecord };

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export function formatOfFile(file: string): LabelingFormat | undefined {
  const ext = file.toLowerCase().slice(file.lastIndexOf('.'));
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.csv' ? 'csv' : ext === '.tsv' || ext === '.tab' ? 'tsv' : undefined;
}

const TEXT_NAMES = ['text', 'sentence', 'content', 'review', 'message', 'question', 'document'];
const LABEL_NAMES = ['label', 'labels', 'category', 'class', 'target', 'y'];

export function parseLabelingDocument(text: string, format: LabelingFormat, wanted: Partial<Fields> = {}): LabelingDocument {
  return format === 'jsonl' ? parseJsonl(text, wanted) : parseDelimited(text, format === 'csv' ? ',' : '\t', format, wanted);
}

function parseJsonl(text: string, wanted: Partial<Fields>): LabelingDocument {
  const objects: { line: number; start: number; end: number; tree: Extract<JsonNode, { kind: 'object' }>; value: Record<string, unknown> }[] = [];
  const problems: LabelingDocument['problems'] = [];
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const lineEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    const source = text.slice(start, lineEnd);
    if (source.trim() !== '') {
      const tree = parseJsonTree(source);
      // JSON.parse is the judge of the values: the tree is for positions, and lets some things through (a raw
      // control character inside a string) that JSON.parse, rightly, refuses.
      const value = tree.root?.kind === 'object' ? parseObject(source) : undefined;
      if (tree.root?.kind === 'object' && value !== undefined) objects.push({ line, start, end: lineEnd, tree: tree.root, value });
      else problems.push({ line, message: tree.error ? `not valid JSON: ${tree.error.problem}` : tree.root?.kind === 'object' ? 'not valid JSON (a control character inside a string)' : 'not a JSON object' });
    }
    if (end === text.length) break;
    start = end + 1;
  }
  const sample = objects.slice(0, 50).map((o) => o.value);
  const fields: Fields = {
    text: wanted.text ?? pickText(sample),
    label: wanted.label ?? (LABEL_NAMES.find((n) => sample.some((r) => n in r)) ?? 'label'),
    ...(wanted.textPair !== undefined ? { textPair: wanted.textPair } : {}),
  };
  const rows: LabelRow[] = [];
  const anchors: Anchor[] = [];
  for (const o of objects) {
    const t = o.value[fields.text];
    if (typeof t !== 'string') {
      problems.push({ line: o.line, message: `no "${fields.text}" text` });
      continue;
    }
    const row: LabelRow = { index: rows.length, line: o.line, text: t };
    const pair = fields.textPair !== undefined ? o.value[fields.textPair] : undefined;
    if (typeof pair === 'string') row.textPair = pair;
    const label = labelText(o.value[fields.label]);
    if (label !== undefined) row.label = label;
    rows.push(row);
    anchors.push({ kind: 'jsonl', start: o.start, end: o.end, tree: o.tree });
  }
  return { format: 'jsonl', fields, rows, problems, anchors };
}

function parseObject(source: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(source) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function parseDelimited(text: string, delimiter: ',' | '\t', format: LabelingFormat, wanted: Partial<Fields>): LabelingDocument {
  const records = csvRecords(text, delimiter);
  const header = records[0]?.fields.map((f) => f.value.trim()) ?? [];
  const body = records.slice(1);
  const sample = body.slice(0, 50).map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i]?.value])));
  const fields: Fields = {
    text: wanted.text ?? pickText(sample),
    label: wanted.label ?? (LABEL_NAMES.find((n) => header.includes(n)) ?? 'label'),
    ...(wanted.textPair !== undefined ? { textPair: wanted.textPair } : {}),
  };
  const ti = header.indexOf(fields.text);
  const li = header.indexOf(fields.label);
  const pi = fields.textPair !== undefined ? header.indexOf(fields.textPair) : -1;
  const rows: LabelRow[] = [];
  const anchors: Anchor[] = [];
  const problems: LabelingDocument['problems'] = [];
  if (records.length > 0 && ti === -1) problems.push({ line: records[0].line, message: `the header has no column "${fields.text}"` });
  for (const record of body) {
    if (ti === -1) break;
    if (record.unclosed) {
      problems.push({ line: record.line, message: 'a quoted field opened on this line is never closed, so it runs to the end of the file' });
      continue;
    }
    const t = record.fields[ti]?.value;
    // A short row is fine (its label cell is added when labeled); a long one has a delimiter in an unquoted field,
    // so its cells are not under the header's columns and a label written there would overwrite text.
    if (t === undefined || record.fields.length > header.length) {
      problems.push({ line: record.line, message: `this row has ${record.fields.length} fields, the header ${header.length}` });
      continue;
    }
    const row: LabelRow = { index: rows.length, line: record.line, text: t };
    if (pi !== -1 && record.fields[pi] !== undefined) row.textPair = record.fields[pi].value;
    const label = li === -1 ? undefined : labelText(record.fields[li]?.value);
    if (label !== undefined) row.label = label;
    rows.push(row);
    anchors.push({ kind: 'csv', record });
  }
  return { format, fields, rows, problems, header, anchors };
}

/**
 * The edits that give row `index` the label `label` (undefined: no label). `text` is the document the row was
 * parsed from. For CSV/TSV without a label column, the column is added: a header cell and an empty cell on every
 * row, in one set of edits.
 */
export function labelEdits(text: string, doc: LabelingDocument, index: number, label: string | undefined): TextEdit[] {
  const anchor = doc.anchors[index];
  if (!anchor) throw new Error(`labelEdits: no row ${index}`);
  if (anchor.kind === 'jsonl') {
    const edit = jsonlEdit(text, anchor, doc.fields.label, label);
    return edit ? [edit] : [];
  }
  const delimiter = doc.format === 'csv' ? ',' : '\t';
  const value = label === undefined ? '' : csvField(label, delimiter);
  const li = doc.header!.indexOf(doc.fields.label);
  if (li !== -1) {
    const field = anchor.record.fields[li];
    if (field) return [{ start: field.start, end: field.end, newText: value }];
    // A short row: pad it with empty cells up to the label column.
    return [{ start: anchor.record.end, end: anchor.record.end, newText: delimiter.repeat(li - anchor.record.fields.length + 1) + value }];
  }
  // No label column yet: add it at the end of the header and of every record.
  const records = csvRecords(text, delimiter);
  return records.map((r, i) => ({
    start: r.end,
    end: r.end,
    newText: delimiter + (i === 0 ? csvField(doc.fields.label, delimiter) : r.line === anchor.record.line ? value : ''),
  }));
}

function jsonlEdit(text: string, anchor: Extract<Anchor, { kind: 'jsonl' }>, field: string, label: string | undefined): TextEdit | undefined {
  const base = anchor.start;
  const obj = anchor.tree;
  const existing = member(obj, field);
  const json = JSON.stringify(label);
  if (existing) {
    if (label !== undefined) return { start: base + existing.value.start, end: base + existing.value.end, newText: json };
    // Remove the member with one of its neighbouring commas.
    const i = obj.members.indexOf(existing);
    const next = obj.members[i + 1];
    const prev = obj.members[i - 1];
    if (next) return { start: base + existing.keyStart, end: base + next.keyStart, newText: '' };
    if (prev) return { start: base + prev.value.end, end: base + existing.value.end, newText: '' };
    return { start: base + existing.keyStart, end: base + existing.value.end, newText: '' };
  }
  if (label === undefined) return undefined; // nothing to clear
  const last = obj.members[obj.members.length - 1];
  const source = text.slice(anchor.start, anchor.end);
  // Match the line's own style: a space after ':' and ',' when it uses one.
  const spaced = /":\s/.test(source);
  const entry = `${JSON.stringify(field)}:${spaced ? ' ' : ''}${json}`;
  if (!last) return { start: base + obj.start + 1, end: base + obj.end - 1, newText: entry };
  return { start: base + last.value.end, end: base + last.value.end, newText: `,${spaced ? ' ' : ''}${entry}` };
}

/** Labels in the order first seen, with their counts. */
export function labelCounts(rows: readonly LabelRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.label !== undefined) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  return counts;
}

function labelText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The text field: a usual name when present, else the string field with the longest values. */
function pickText(sample: Record<string, unknown>[]): string {
  const keys = [...new Set(sample.flatMap((r) => Object.keys(r)))];
  const named = TEXT_NAMES.find((n) => keys.includes(n));
  if (named) return named;
  let best = 'text';
  let bestLength = -1;
  for (const k of keys) {
    if (LABEL_NAMES.includes(k)) continue;
    const values = sample.map((r) => r[k]).filter((v): v is string => typeof v === 'string');
    if (values.length === 0) continue;
    const mean = values.reduce((a, v) => a + v.length, 0) / values.length;
    if (mean > bestLength) {
      best = k;
      bestLength = mean;
    }
  }
  return best;
}
