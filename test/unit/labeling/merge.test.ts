// Unsaved labels merged onto a file that another program changed (src/extension/labeling/merge.ts): the user's
// label changes land on the same rows — found by their text, not their place — while everything else is the other
// program's file byte for byte; rows both relabeled keep the user's label and are reported, rows gone are
// reported, and a document with more than label edits is refused rather than merged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelEdits, parseLabelingDocument, type LabelingFormat } from '../../../src/extension/labeling/dataset-doc';
import { mergeLabels, type MergedLabels, type MergeResult } from '../../../src/extension/labeling/merge';

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** `text` with row `index` labeled as the editor labels it. */
function labeled(text: string, format: LabelingFormat, index: number, label: string | undefined): string {
  const doc = parseLabelingDocument(text, format);
  for (const e of labelEdits(text, doc, index, label).sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  return text;
}

function merged(r: MergeResult): MergedLabels {
  if ('refused' in r) assert.fail(`refused: ${r.refused}`);
  return r;
}

const BASE = jsonl([
  { text: 'lunch tomorrow?', label: 'ham' },
  { text: 'WIN a cruise' },
  { text: 'running late' },
  { text: 'cash prize, call now' },
]);

test('the user\'s labels land on their rows in the changed file, which is kept as the other program wrote it', () => {
  // The user labels "WIN a cruise" spam and clears the first row's label.
  const mine = labeled(labeled(BASE, 'jsonl', 1, 'spam'), 'jsonl', 0, undefined);
  // Meanwhile another program puts a row first, labels "cash prize" and appends one: every index moved.
  const theirs = '{"text": "new first row", "label": "ham"}\r\n' + jsonl([
    { text: 'lunch tomorrow?', label: 'ham' },
    { text: 'WIN a cruise' },
    { text: 'running late' },
    { text: 'cash prize, call now', label: 'spam' },
    { text: 'appended' },
  ]);
  const m = merged(mergeLabels(BASE, mine, theirs, 'jsonl'));
  assert.equal(m.text, '{"text": "new first row", "label": "ham"}\r\n' + jsonl([
    { text: 'lunch tomorrow?' },
    { text: 'WIN a cruise', label: 'spam' },
    { text: 'running late' },
    { text: 'cash prize, call now', label: 'spam' },
    { text: 'appended' },
  ]));
  assert.deepEqual(m.applied.map((c) => [c.text, c.label]), [['lunch tomorrow?', undefined], ['WIN a cruise', 'spam']]);
  assert.deepEqual(m.overridden, []);
  assert.deepEqual(m.missing, []);
});

test('a row both relabeled keeps the user\'s label and is reported; a removed row is reported; the rest applies', () => {
  const mine = labeled(labeled(BASE, 'jsonl', 2, 'ham'), 'jsonl', 3, 'spam');
  const theirs = jsonl([
    { text: 'lunch tomorrow?', label: 'ham' },
    { text: 'WIN a cruise' },
    { text: 'running late', label: 'spam' },
  ]);
  const m = merged(mergeLabels(BASE, mine, theirs, 'jsonl'));
  assert.equal(m.text, jsonl([{ text: 'lunch tomorrow?', label: 'ham' }, { text: 'WIN a cruise' }, { text: 'running late', label: 'ham' }]));
  assert.deepEqual(m.overridden, [{ text: 'running late', occurrence: 0, label: 'ham', theirs: 'spam' }]);
  assert.deepEqual(m.missing, [{ text: 'cash prize, call now', occurrence: 0, label: 'spam' }]);
  assert.deepEqual(m.applied.map((c) => c.text), ['running late']);
});

test('the same label given on both sides is no conflict', () => {
  const mine = labeled(BASE, 'jsonl', 1, 'spam');
  const theirs = labeled(BASE, 'jsonl', 1, 'spam') + jsonl([{ text: 'appended' }]);
  const m = merged(mergeLabels(BASE, mine, theirs, 'jsonl'));
  assert.equal(m.text, theirs);
  assert.deepEqual(m.overridden, []);
});

test('rows with the same text are told apart by their order', () => {
  const base = jsonl([{ text: 'ok' }, { text: 'ok' }, { text: 'other' }]);
  const mine = labeled(base, 'jsonl', 1, 'ham'); // the second "ok"
  const theirs = jsonl([{ text: 'other' }, { text: 'ok', label: 'spam' }, { text: 'ok' }]);
  const m = merged(mergeLabels(base, mine, theirs, 'jsonl'));
  assert.equal(m.text, jsonl([{ text: 'other' }, { text: 'ok', label: 'spam' }, { text: 'ok', label: 'ham' }]));
  assert.deepEqual(m.overridden, []);
  // The other program labeled the second "ok", the user the first: two rows, so no conflict to report.
  const first = merged(mergeLabels(base, labeled(base, 'jsonl', 0, 'ham'), jsonl([{ text: 'ok' }, { text: 'ok', label: 'spam' }, { text: 'other' }]), 'jsonl'));
  assert.equal(first.text, jsonl([{ text: 'ok', label: 'ham' }, { text: 'ok', label: 'spam' }, { text: 'other' }]));
  assert.deepEqual(first.overridden, []);
});

test('CSV: the label column the user\'s first label added is added to the changed file too', () => {
  const base = 'text,id\nhello there,1\n"call now, win",2\n';
  const mine = labeled(labeled(base, 'csv', 1, 'spam'), 'csv', 0, 'ham');
  assert.equal(mine, 'text,id,label\nhello there,1,ham\n"call now, win",2,spam\n');
  const theirs = 'text,id\nhello there,1\n"call now, win",2\nappended,3\n';
  const m = merged(mergeLabels(base, mine, theirs, 'csv'));
  assert.equal(m.text, 'text,id,label\nhello there,1,ham\n"call now, win",2,spam\nappended,3,\n');
});

test('unsaved changes that are more than labels are refused, with the line that shows it', () => {
  const theirs = BASE + jsonl([{ text: 'appended' }]);
  const textEdited = labeled(BASE, 'jsonl', 1, 'spam').replace('running late', 'running very late');
  assert.deepEqual(mergeLabels(BASE, textEdited, theirs, 'jsonl'), { refused: 'the unsaved changes edit the text of row 3', line: 3 });
  const rowAdded = labeled(BASE, 'jsonl', 1, 'spam') + jsonl([{ text: 'typed in by hand' }]);
  assert.deepEqual(mergeLabels(BASE, rowAdded, theirs, 'jsonl'), { refused: 'the unsaved changes add or remove rows' });
  // An extra field on a row: the rows and labels match, but the text does not.
  const fieldAdded = labeled(BASE, 'jsonl', 1, 'spam').replace('{"text":"running late"}', '{"text":"running late","note":"x"}');
  assert.deepEqual(mergeLabels(BASE, fieldAdded, theirs, 'jsonl'), { refused: 'the unsaved changes are more than labels', line: 3 });
});
