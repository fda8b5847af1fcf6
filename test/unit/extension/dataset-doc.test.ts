// The labeling editor's document model: rows read from JSON Lines and CSV/TSV, and label edits that change only
// the label — checked by applying each edit and reading the file again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelCounts, labelEdits, parseLabelingDocument, type LabelingFormat, type TextEdit } from '../../../src/extension/labeling/dataset-doc';
import { csvRecords } from '../../../src/extension/labeling/csv-records';

function apply(text: string, edits: TextEdit[]): string {
  // Edits do not overlap; apply from the end so earlier offsets stay valid.
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

function relabel(text: string, format: LabelingFormat, index: number, label: string | undefined): string {
  const doc = parseLabelingDocument(text, format);
  return apply(text, labelEdits(text, doc, index, label));
}

test('JSON Lines: rows, fields and labels are read; blank and broken lines are not rows', () => {
  const text = '{"text": "good film", "label": "pos"}\n\n{"text": "bad", "id": 7}\nnot json\n{"text": "meh", "label": 1}\n';
  const doc = parseLabelingDocument(text, 'jsonl');
  assert.deepEqual(doc.fields, { text: 'text', label: 'label' });
  assert.deepEqual(doc.rows, [
    { index: 0, line: 1, text: 'good film', label: 'pos' },
    { index: 1, line: 3, text: 'bad' },
    { index: 2, line: 5, text: 'meh', label: '1' },
  ]);
  assert.deepEqual(doc.problems.map((p) => p.line), [4]);
  assert.deepEqual([...labelCounts(doc.rows)], [['pos', 1], ['1', 1]]);
});

test('JSON Lines: a label is added, replaced and removed by editing only that member', () => {
  const text = '{"text": "good film", "label": "pos"}\n{"text": "bad", "id": 7}\n{"id":1,"sentence":"x"}\n';
  const added = relabel(text, 'jsonl', 1, 'neg');
  assert.equal(added, '{"text": "good film", "label": "pos"}\n{"text": "bad", "id": 7, "label": "neg"}\n{"id":1,"sentence":"x"}\n');
  const replaced = relabel(added, 'jsonl', 0, 'a "quoted" label');
  assert.equal(replaced.split('\n')[0], '{"text": "good film", "label": "a \\"quoted\\" label"}');
  assert.equal(JSON.parse(replaced.split('\n')[0]).label, 'a "quoted" label');
  const removed = relabel(replaced, 'jsonl', 1, undefined);
  assert.equal(removed.split('\n')[1], '{"text": "bad", "id": 7}', 'back to the original line');
  const first = relabel('{"label": "x", "text": "t"}\n', 'jsonl', 0, undefined);
  assert.equal(first, '{"text": "t"}\n');
  assert.equal(relabel('{"text": "t"}\n', 'jsonl', 0, undefined), '{"text": "t"}\n', 'clearing an unlabeled row changes nothing');
  // Compact lines stay compact; the text field is found by its usual name.
  assert.equal(relabel('{"id":1,"sentence":"x"}', 'jsonl', 0, 'y'), '{"id":1,"sentence":"x","label":"y"}');
});

test('CSV: the label cell is rewritten in place, quoted when needed; CRLF and multi-line fields survive', () => {
  const text = 'id,text,label\r\n1,"hello, world",pos\r\n2,"two\nlines",\r\n3,plain,neg\r\n';
  const doc = parseLabelingDocument(text, 'csv');
  assert.deepEqual(doc.rows.map((r) => [r.line, r.text, r.label]), [[2, 'hello, world', 'pos'], [3, 'two\nlines', undefined], [5, 'plain', 'neg']]);
  const labeled = relabel(text, 'csv', 1, 'needs, quote');
  assert.equal(labeled, 'id,text,label\r\n1,"hello, world",pos\r\n2,"two\nlines","needs, quote"\r\n3,plain,neg\r\n');
  assert.equal(relabel(labeled, 'csv', 0, undefined), 'id,text,label\r\n1,"hello, world",\r\n2,"two\nlines","needs, quote"\r\n3,plain,neg\r\n');
});

test('CSV/TSV without a label column: the column is added to the header and every row', () => {
  const text = 'text\tsource\nfirst\ta\nsecond\tb\n';
  const out = relabel(text, 'tsv', 1, 'spam');
  assert.equal(out, 'text\tsource\tlabel\nfirst\ta\t\nsecond\tb\tspam\n');
  const doc = parseLabelingDocument(out, 'tsv');
  assert.deepEqual(doc.rows.map((r) => r.label), [undefined, 'spam']);
});

test('CSV records keep exact field ranges', () => {
  const text = 'a,"b ""c""",d\n';
  const [r] = csvRecords(text, ',');
  assert.deepEqual(r.fields.map((f) => [text.slice(f.start, f.end), f.value]), [['a', 'a'], ['"b ""c"""', 'b "c"'], ['d', 'd']]);
  assert.equal(r.end, text.length - 1);
});
