// Turning one parsed row (a CSV record keyed by header, or a JSON object) into an Example. Problems that concern
// a single row are returned as a reason to skip it, so that one bad row out of thousands does not stop a run but
// is still shown to the user; the reader decides when a problem is the whole file's (no row has the field).
import type { DatasetFields, Example } from './example';

export interface RowOptions extends DatasetFields {
  /** A labeled split (train/dev/test): a row without a label is skipped. Unlabeled pools keep such rows. */
  labeled: boolean;
}

/** The Example for `row`, or a string saying why the row cannot be used. */
export function rowToExample(row: Record<string, unknown>, line: number, opts: RowOptions): Example | string {
  const text = textValue(row, opts.textField);
  if (typeof text !== 'string') return text.problem;
  if (text.trim() === '') return `"${opts.textField}" is empty`;
  const example: Example = { text, line };
  if (opts.textPairField !== undefined) {
    const pair = textValue(row, opts.textPairField);
    if (typeof pair !== 'string') return pair.problem;
    if (pair.trim() === '') return `"${opts.textPairField}" is empty`;
    example.textPair = pair;
  }
  if (opts.labelField !== undefined) {
    const label = labelValue(row[opts.labelField]);
    if (label === undefined) {
      if (opts.labeled) return `no label in "${opts.labelField}"`;
    } else if (typeof label !== 'string') {
      return `"${opts.labelField}" must be a string or a number, not ${label.found}`;
    } else {
      example.label = label;
    }
  }
  return example;
}

function textValue(row: Record<string, unknown>, field: string): string | { problem: string } {
  const value = row[field];
  if (value === undefined) return { problem: `no "${field}"` };
  if (value === null) return { problem: `"${field}" is null` };
  if (typeof value !== 'string') return { problem: `"${field}" must be a string, not ${kindOf(value)}` };
  return value;
}

/** A label as a string: numbers and booleans in their JSON form; undefined for a missing or empty label. */
function labelValue(value: unknown): string | undefined | { found: string } {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  return { found: kindOf(value) };
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
