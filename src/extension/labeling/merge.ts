// Unsaved labels carried over onto a file that another program changed meanwhile: a three-way merge by row
// identity. `base` is the file as the editor last had it from disk, `mine` the document with the user's unsaved
// labels, `theirs` the file on disk now. The user's label changes (mine against base, row by row) are applied to
// theirs with the same small edits the editor makes; everything else comes from theirs, byte for byte. A row is
// known by its text (the k-th row with a given text, for repeated texts) — indexes and lines move when rows are
// added or removed. When the document holds other unsaved edits than labels the merge is refused: it would
// drop them. Pure (no vscode), unit-tested.
import { labelEdits, parseLabelingDocument, type LabelingDocument, type LabelingFormat, type TextEdit } from './dataset-doc';

export interface LabelChange {
  /** The row's text (its identity, with `occurrence`). */
  text: string;
  /** 0 for the first row with this text, 1 for the second, … */
  occurrence: number;
  /** The user's label; undefined: the user cleared it. */
  label: string | undefined;
}

export interface MergedLabels {
  /** theirs, with the user's labels. */
  text: string;
  /** The user's label changes that were applied. */
  applied: LabelChange[];
  /** Rows the other program also relabeled, differently: the user's label was kept over `theirs`. */
  overridden: (LabelChange & { theirs: string | undefined })[];
  /** Rows no longer in the file (removed, or their text changed): their labels could not be carried over. */
  missing: LabelChange[];
}

/** Why the document cannot be merged, and the first line of it that shows why (if one does). */
export interface Refusal {
  refused: string;
  line?: number;
}

export type MergeResult = MergedLabels | Refusal;

export function mergeLabels(base: string, mine: string, theirs: string, format: LabelingFormat): MergeResult {
  const baseDoc = parseLabelingDocument(base, format);
  const mineDoc = parseLabelingDocument(mine, format);
  const changes = labelChanges(baseDoc, mineDoc);
  if ('refused' in changes) return changes;
  // Only labels changed, exactly: the base with those changes is the document, character for character.
  const rebuilt = applyChanges(base, format, changes, baseDoc.fields).text;
  if (rebuilt !== mine) return { refused: 'the unsaved changes are more than labels', line: firstDifferentLine(rebuilt, mine) };
  const theirsDoc = parseLabelingDocument(theirs, format, baseDoc.fields);
  const baseLabels = labelsByIdentity(baseDoc);
  const theirLabels = labelsByIdentity(theirsDoc);
  const overridden: MergedLabels['overridden'] = [];
  for (const c of changes) {
    const key = identity(c.text, c.occurrence);
    if (!theirLabels.has(key)) continue;
    const t = theirLabels.get(key);
    if (t !== baseLabels.get(key) && t !== c.label) overridden.push({ ...c, theirs: t });
  }
  const { text, applied, missing } = applyChanges(theirs, format, changes, baseDoc.fields);
  return { text, applied, overridden, missing };
}

/** The rows whose label differs between base and mine; refused when the rows themselves differ. */
function labelChanges(base: LabelingDocument, mine: LabelingDocument): LabelChange[] | Refusal {
  if (mine.fields.text !== base.fields.text || mine.fields.label !== base.fields.label) {
    return { refused: 'the unsaved changes rename the text or label field' };
  }
  if (mine.rows.length !== base.rows.length) return { refused: 'the unsaved changes add or remove rows' };
  const changes: LabelChange[] = [];
  const seen = new Map<string, number>();
  for (const [i, row] of mine.rows.entries()) {
    if (row.text !== base.rows[i].text) return { refused: `the unsaved changes edit the text of row ${i + 1}`, line: row.line };
    const occurrence = seen.get(row.text) ?? 0;
    seen.set(row.text, occurrence + 1);
    if (row.label !== base.rows[i].label) changes.push({ text: row.text, occurrence, label: row.label });
  }
  return changes;
}

function firstDifferentLine(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return b.slice(0, i).split('\n').length;
}

function identity(text: string, occurrence: number): string {
  return `${occurrence}\u0000${text}`;
}

function labelsByIdentity(doc: LabelingDocument): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const seen = new Map<string, number>();
  for (const row of doc.rows) {
    const occurrence = seen.get(row.text) ?? 0;
    seen.set(row.text, occurrence + 1);
    out.set(identity(row.text, occurrence), row.label);
  }
  return out;
}

/**
 * `text` with each change made, one at a time (a CSV file's first label may add the label column to every row,
 * so each change is placed on the text the previous one left).
 */
function applyChanges(text: string, format: LabelingFormat, changes: readonly LabelChange[], fields: LabelingDocument['fields']): { text: string; applied: LabelChange[]; missing: LabelChange[] } {
  const applied: LabelChange[] = [];
  const missing: LabelChange[] = [];
  for (const c of changes) {
    const doc = parseLabelingDocument(text, format, fields);
    const index = findRow(doc, c.text, c.occurrence);
    if (index === undefined) {
      missing.push(c);
      continue;
    }
    text = applyEdits(text, labelEdits(text, doc, index, c.label));
    applied.push(c);
  }
  return { text, applied, missing };
}

function findRow(doc: LabelingDocument, text: string, occurrence: number): number | undefined {
  let k = 0;
  for (const row of doc.rows) {
    if (row.text !== text) continue;
    if (k === occurrence) return row.index;
    k++;
  }
  return undefined;
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  return text;
}
