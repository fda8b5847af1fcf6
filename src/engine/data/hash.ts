// A content hash of the examples a run used, recorded as `dataHash`, so that two runs can be seen to have used the
// same data whatever the file names, formats or line numbers. It hashes a canonical JSON form (fixed key order,
// no whitespace, only text/textPair/label), so rewriting a CSV as JSONL does not change it, while any edit to a
// text or label, or a different sample or order, does.
import { createHash } from 'node:crypto';
import type { Example } from './example';

type Hashable = Pick<Example, 'text' | 'textPair' | 'label'>;

/** sha256 (hex) of the canonical JSON of the examples, or of named sets of them (e.g. {train, dev, test}). */
export function dataHash(examples: readonly Hashable[] | Readonly<Record<string, readonly Hashable[]>>): string {
  return createHash('sha256').update(canonicalJson(examples)).digest('hex');
}

export function canonicalJson(examples: readonly Hashable[] | Readonly<Record<string, readonly Hashable[]>>): string {
  if (isList(examples)) return `[${examples.map(canonicalExample).join(',')}]`;
  const names = Object.keys(examples).sort();
  return `{${names.map((n) => `${JSON.stringify(n)}:${canonicalJson(examples[n])}`).join(',')}}`;
}

function isList(value: readonly Hashable[] | Readonly<Record<string, readonly Hashable[]>>): value is readonly Hashable[] {
  return Array.isArray(value);
}

function canonicalExample(e: Hashable): string {
  // Keys in alphabetical order; absent optional fields are left out rather than written as null.
  const parts = [e.label === undefined ? '' : `"label":${JSON.stringify(e.label)}`, `"text":${JSON.stringify(e.text)}`, e.textPair === undefined ? '' : `"textPair":${JSON.stringify(e.textPair)}`];
  return `{${parts.filter((p) => p !== '').join(',')}}`;
}
