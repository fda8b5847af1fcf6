import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { readDataset } from '../../../src/engine/data/dataset';
import type { Example } from '../../../src/engine/data/example';
import { dataHash } from '../../../src/engine/data/hash';
import { checkKnownLabels, labelCounts, labelSet } from '../../../src/engine/data/labels';
import { loadSplits, splitStratified } from '../../../src/engine/data/splits';
import { UserError } from '../../../src/engine/errors';
import { rejectsUserError, writeTemp } from './helpers';

const rows = (labels: string[]): Example[] => labels.map((label, i) => ({ text: `t${i}`, label, line: i + 1 }));
const counted = (r: readonly Example[]) => Object.fromEntries([...labelCounts(r)].sort());

test('seeded stratified split: ratios per class, disjoint, covering, file order kept', () => {
  const data = rows([...Array(60).fill('a'), ...Array(40).fill('b')]);
  const s = splitStratified(data, { dev: 0.1, test: 0.2 }, 9, 'all.csv');
  assert.deepEqual(counted(s.test), { a: 12, b: 8 });
  assert.deepEqual(counted(s.dev), { a: 6, b: 4 });
  assert.deepEqual(counted(s.train), { a: 42, b: 28 });
  const all = [...s.train, ...s.dev, ...s.test];
  assert.equal(new Set(all).size, 100);
  for (const part of [s.train, s.dev, s.test]) assert.deepEqual(part.map((e) => e.line), part.map((e) => e.line).sort((x, y) => x - y));
  assert.deepEqual(splitStratified(data, { dev: 0.1, test: 0.2 }, 9, 'all.csv'), s);
  assert.notDeepEqual(splitStratified(data, { dev: 0.1, test: 0.2 }, 10, 'all.csv').test, s.test);
});

test('every class keeps a training example; bad ratios are UserErrors', () => {
  const s = splitStratified(rows(['a', 'a', 'b', 'b', 'b', 'b', 'b', 'b']), { dev: 0.3, test: 0.3 }, 1, 'f');
  assert.deepEqual(counted(s.train), { a: 1, b: 2 });
  assert.throws(() => splitStratified(rows(['a', 'b']), { test: 1.2 }, 1, 'f'), UserError);
  assert.throws(() => splitStratified(rows(['a', 'b']), { dev: 0.5, test: 0.5 }, 1, 'f'), /leaving nothing to train on/);
});

test('label set: sorted; no labels or one class is a UserError; unseen dev labels name file, line and label', () => {
  assert.deepEqual(labelSet(rows(['pos', 'neg', 'pos']), 'train.csv'), ['neg', 'pos']);
  assert.throws(() => labelSet(rows(['pos', 'pos']), 'train.csv'), (e: unknown) => e instanceof UserError && e.place.file === 'train.csv' && /only one class \("pos", 2 rows\)/.test(e.message));
  assert.throws(() => labelSet([], 'train.csv'), UserError);
  assert.throws(
    () => checkKnownLabels(rows(['pos', 'neutral']), ['neg', 'pos'], 'dev.csv'),
    (e: unknown) => e instanceof UserError && e.place.file === 'dev.csv' && e.place.line === 2 && /label "neutral"/.test(e.message),
  );
});

test('loadSplits: train shards in order, dev/test checked against the train labels, skipped rows per file', async () => {
  const a = writeTemp('s-train-0.jsonl', '{"text": "good", "label": "pos"}\n{"text": "bad", "label": "neg"}\n');
  const b = writeTemp('s-train-1.jsonl', '{"text": "fine", "label": "pos"}\n{"text": ""}\n');
  const dev = writeTemp('s-dev.csv', 'text,label\nok,pos\nmeh,neg\n');
  const loaded = await loadSplits({ train: [a, b], dev }, { textField: 'text', labelField: 'label' });
  assert.deepEqual(loaded.train.map((e) => e.text), ['good', 'bad', 'fine']);
  assert.deepEqual(loaded.labels, ['neg', 'pos']);
  assert.equal(loaded.dev.length, 2);
  assert.deepEqual(loaded.test, []);
  assert.deepEqual(loaded.skipped, [{ file: b, line: 2, reason: '"text" is empty' }]);

  const badTest = writeTemp('s-test.csv', 'text,label\nok,pos\nwhat,Neg\n');
  await rejectsUserError(() => loadSplits({ train: a, test: badTest }, { textField: 'text', labelField: 'label' }), badTest, 3, 'label "Neg"');

  const all = writeTemp('s-all.jsonl', Array.from({ length: 20 }, (_, i) => JSON.stringify({ text: `t${i}`, label: i % 2 ? 'x' : 'y' })).join('\n'));
  const split = await loadSplits({ file: all, ratios: { test: 0.25 }, seed: 2 }, { textField: 'text', labelField: 'label' });
  assert.deepEqual([split.train.length, split.dev.length, split.test.length], [14, 0, 6]);
});

test('dataHash: sha256 of the canonical JSON; independent of format and line numbers, sensitive to content', async () => {
  const expected = createHash('sha256').update('[{"label":"pos","text":"a \\"b\\""},{"text":"c","textPair":"d"}]').digest('hex');
  assert.equal(dataHash([{ text: 'a "b"', label: 'pos' }, { textPair: 'd', text: 'c' }]), expected);
  const csv = await readDataset(writeTemp('h.csv', 'label,text\npos,hello\nneg,"bye, now"\n'), { textField: 'text', labelField: 'label' });
  const jsonl = await readDataset(writeTemp('h.jsonl', '\n\n{"text": "hello", "label": "pos"}\n{"text": "bye, now", "label": "neg"}\n'), { textField: 'text', labelField: 'label' });
  assert.notDeepEqual(csv.rows, jsonl.rows); // the line numbers differ ...
  assert.equal(dataHash(csv.rows), dataHash(jsonl.rows)); // ... the content does not
  assert.notEqual(dataHash(csv.rows), dataHash([{ ...csv.rows[0], label: 'neg' }, csv.rows[1]]));
  assert.notEqual(dataHash({ train: csv.rows, test: [] }), dataHash({ train: [], test: csv.rows }));
  assert.equal(dataHash({ b: [], a: csv.rows }), dataHash({ a: csv.rows, b: [] }));
});
