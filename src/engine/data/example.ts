// The unit every data source is turned into. Labels are strings whatever the file used (numeric labels become
// their string form) so that label sets, verbalizers and reports never depend on the file format.

export interface Example {
  text: string;
  textPair?: string;
  label?: string;
  /** 1-based line of the row in its file (where the record starts, for CSV rows spanning several lines). */
  line: number;
}

/** A row that was not used, kept so that the caller can show it: rows are never dropped silently. */
export interface Skipped {
  line: number;
  reason: string;
}

export interface DatasetFields {
  /** Column or key holding the input text. */
  textField: string;
  /** Column or key holding the second text of a pair task (e.g. the hypothesis). */
  textPairField?: string;
  /** Column or key holding the label. */
  labelField?: string;
}

export type DataFormat = 'csv' | 'tsv' | 'jsonl' | 'json';

export interface ReadResult {
  rows: Example[];
  skipped: Skipped[];
}
