// One entry point for every supported data file: `readDataset` picks the reader by extension, turns each row into
// an Example, and separates two kinds of problems. A row that cannot be used (no text, no label) is skipped and
// returned with its line, because one bad row among thousands should not stop a run but must not vanish either.
// A file that cannot be read as a whole (broken quoting, ragged rows, invalid JSON, wrong encoding, no data, a
// field name that matches nothing) is a UserError naming the file and line, because every row would be affected.
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { UserError } from '../errors';
import { readDelimited } from './delimited';
import type { DataFormat, DatasetFields, ReadResult } from './example';
import { parseLocatedJson } from '../json/located';
import { readJsonl } from './jsonl';
import { readLines } from './lines';
import { rowToExample } from './row';

export interface ReadOptions extends DatasetFields {
  /** Chosen from the extension when absent: .csv, .tsv/.tab, .jsonl/.ndjson, .json. */
  format?: DataFormat;
  /** Whether rows need a label (train/dev/test). Defaults to true when a label field is given. */
  labeled?: boolean;
  /** How the file is named in messages; defaults to the path. */
  displayName?: string;
}

interface RawRow {
  line: number;
  row: Record<string, unknown>;
}

const EXTENSIONS: Record<string, DataFormat> = { '.csv': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'json' };

export function formatOf(file: string, displayName = file): DataFormat {
  const format = EXTENSIONS[extname(file).toLowerCase()];
  if (format === undefined) {
    throw new UserError(
      `cannot tell the data format from the extension "${extname(file)}"`,
      { file: displayName },
      'Name the file .csv, .tsv, .jsonl or .json, or set the format explicitly.',
    );
  }
  return format;
}

export async function readDataset(file: string, opts: ReadOptions): Promise<ReadResult> {
  const name = opts.displayName ?? file;
  const format = opts.format ?? formatOf(file, name);
  const labeled = opts.labeled ?? opts.labelField !== undefined;
  const wanted = [opts.textField, opts.textPairField, opts.labelField].filter((f): f is string => f !== undefined);
  const raw = format === 'csv' || format === 'tsv' ? delimitedRows(file, name, format, wanted) : format === 'jsonl' ? jsonlRows(file, name) : jsonArrayRows(file, name);

  const result: ReadResult = { rows: [], skipped: [] };
  let first: RawRow | undefined;
  const present = new Set<string>(); // configured fields seen in at least one row
  for await (const r of raw) {
    first ??= r;
    for (const f of wanted) if (r.row[f] !== undefined) present.add(f);
    const example = rowToExample(r.row, r.line, { ...opts, labeled });
    if (typeof example === 'string') result.skipped.push({ line: r.line, reason: example });
    else result.rows.push(example);
  }
  if (first === undefined) {
    throw new UserError('the file holds no rows', { file: name, line: 1 }, 'Add at least one example, or check that this is the right file.');
  }
  // Fields that no row has are a configuration mistake, not thousands of bad rows (CSV headers are checked earlier).
  const required = [opts.textField, opts.textPairField, labeled ? opts.labelField : undefined].filter((f): f is string => f !== undefined);
  const absent = required.filter((f) => !present.has(f));
  if (absent.length > 0) throw missingFields(absent, Object.keys(first.row), name, first.line);
  // Every row skipped is the whole file's problem: say why the first one was, rather than "no labeled rows" later.
  if (result.rows.length === 0) {
    const [s] = result.skipped;
    throw new UserError(`none of the ${result.skipped.length} row(s) can be used; the first, on this line: ${s.reason}`, { file: name, line: s.line },
      `Give every row a non-empty string "${opts.textField}"${labeled && opts.labelField ? ` and a label in "${opts.labelField}"` : ''}, or set the field names to the right fields.`);
  }
  return result;
}

function missingFields(absent: string[], there: string[], file: string, line: number): UserError {
  const list = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ');
  return new UserError(
    `no row has the field${absent.length > 1 ? 's' : ''} ${list(absent)}; the fields here are ${there.length > 0 ? list(there) : '(none)'}`,
    { file, line, field: absent[0] },
    'Set the text/label field names to fields of this file.',
  );
}

async function* delimitedRows(file: string, name: string, format: 'csv' | 'tsv', wanted: string[]): AsyncGenerator<RawRow> {
  let header: string[] | undefined;
  let headerLine = 0;
  let rows = 0;
  for await (const record of readDelimited(readLines(file, name), format === 'csv' ? ',' : '\t', name)) {
    if (header === undefined) {
      header = record.fields.map((f) => f.trim());
      headerLine = record.line;
      checkHeader(header, wanted, name, headerLine, format);
      continue;
    }
    if (record.fields.length !== header.length) {
      throw new UserError(
        `this row has ${record.fields.length} fields but the header (line ${headerLine}) has ${header.length}`,
        { file: name, line: record.line },
        format === 'csv'
          ? 'Quote fields that contain commas or line breaks ("a, b"), and give every row as many fields as the header.'
          : 'Quote fields that contain tabs or line breaks, and give every row as many fields as the header.',
      );
    }
    const row: Record<string, unknown> = {};
    header.forEach((h, i) => (row[h] = record.fields[i]));
    rows++;
    yield { line: record.line, row };
  }
  if (header === undefined) throw new UserError('the file is empty', { file: name, line: 1 }, `Add a header line and rows, e.g. text${format === 'csv' ? ',' : '\\t'}label.`);
  if (rows === 0) throw new UserError('the file has a header but no rows', { file: name, line: headerLine }, 'Add examples below the header line.');
}

function checkHeader(header: string[], wanted: string[], name: string, line: number, format: string): void {
  const missing = wanted.filter((f) => !header.includes(f));
  if (missing.length > 0) {
    const list = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ');
    // One column holding another separator is a file split the wrong way (a ;-separated "CSV", a CSV named .tsv).
    const other = header.length === 1 ? [',', '\t', ';', '|'].find((d) => header[0].includes(d)) : undefined;
    const named = { ',': 'commas', '\t': 'tabs', ';': 'semicolons', '|': '"|"' } as Record<string, string>;
    throw new UserError(
      `the header has no column ${list(missing)}; its columns are ${list(header)}`,
      { file: name, line, field: missing[0] },
      other !== undefined
        ? `The file is separated by ${named[other]}, not ${format === 'csv' ? 'commas' : 'tabs'}: ${other === ',' ? 'name it .csv' : other === '\t' ? 'name it .tsv' : 'save it again as CSV (comma-separated) or TSV'}.`
        : `Set the field names to columns of this file, or add a header line naming them (the first line of a ${format.toUpperCase()} file is its header).`,
    );
  }
  for (const f of wanted) {
    if (header.indexOf(f) !== header.lastIndexOf(f)) {
      throw new UserError(`the header names the column "${f}" twice`, { file: name, line, field: f }, 'Give each column a distinct name.');
    }
  }
}

async function* jsonlRows(file: string, name: string): AsyncGenerator<RawRow> {
  for await (const { line, value } of readJsonl(file, name)) yield { line, row: value };
}

/** A .json file is parsed whole (a minified one is a single line), so its size rather than its lines is capped. */
const MAX_JSON_BYTES = 256 * 2 ** 20;

async function* jsonArrayRows(file: string, name: string): AsyncGenerator<RawRow> {
  const size = await stat(file).then((s) => s.size, () => 0); // a missing file is reported by readLines
  if (size > MAX_JSON_BYTES) {
    throw new UserError(`the file is ${(size / 2 ** 20).toFixed(0)} MiB, and a .json data file is read whole (at most ${MAX_JSON_BYTES / 2 ** 20} MiB)`, { file: name },
      'Convert it to JSON Lines (.jsonl, one object per line), which is read one line at a time.');
  }
  const lines: string[] = [];
  for await (const { text } of readLines(file, name, { maxLineBytes: MAX_JSON_BYTES })) lines.push(text);
  const text = lines.join('\n');
  if (text.trim() === '') throw new UserError('the file is empty', { file: name, line: 1 }, 'A .json data file must hold an array of objects, e.g. [{"text": "...", "label": "..."}].');
  // Lines are recorded for the array's elements only: a data file can be large, and rows are all we report on.
  const located = parseLocatedJson(text, name, { maxDepth: 1, fix: 'Fix the JSON syntax; a .json data file must hold one array of objects.' });
  const value = located.value;
  if (!Array.isArray(value)) {
    throw new UserError('expected a JSON array of objects', { file: name, line: 1 }, 'Write the examples as [{"text": "...", "label": "..."}, ...], or use JSON Lines (.jsonl).');
  }
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const line = located.lineOf(`[${i}]`)!;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new UserError(`element ${i} of the array is not an object`, { file: name, line }, 'Each element must be an object, e.g. {"text": "...", "label": "..."}.');
    }
    yield { line, row: item as Record<string, unknown> };
  }
}
