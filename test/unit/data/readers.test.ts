import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readDataset } from '../../../src/engine/data/dataset';
import { readJsonl } from '../../../src/engine/data/jsonl';
import { rejectsUserError, sha256, writeTemp } from './helpers';

const fields = { textField: 'text', labelField: 'label' };

test('CSV: RFC 4180 quoting, doubled quotes, embedded newlines, BOM, CRLF, blank lines', async () => {
  const file = writeTemp(
    'good.csv',
    '\uFEFFid,text,label\r\n1,"Hello, world",pos\r\n2,"She said ""no""\r\nand left",neg\r\n\r\n3,plain 5"3 text,pos\r\n4,"",neg\r\n5,last,1',
  );
  const { rows, skipped } = await readDataset(file, fields);
  assert.deepEqual(rows, [
    { text: 'Hello, world', label: 'pos', line: 2 },
    { text: 'She said "no"\nand left', label: 'neg', line: 3 },
    { text: 'plain 5"3 text', label: 'pos', line: 6 },
    { text: 'last', label: '1', line: 8 },
  ]);
  assert.deepEqual(skipped, [{ line: 7, reason: '"text" is empty' }]);
});

test('TSV with a text pair and a header written with quotes', async () => {
  const file = writeTemp('pair.tsv', '"premise"\thypothesis\tlabel\nA cat sat.\t"A cat, sitting\twith a tab"\tentailment\nA dog.\t\tneutral\n');
  const { rows, skipped } = await readDataset(file, { textField: 'premise', textPairField: 'hypothesis', labelField: 'label' });
  assert.deepEqual(rows, [{ text: 'A cat sat.', textPair: 'A cat, sitting\twith a tab', label: 'entailment', line: 2 }]);
  assert.deepEqual(skipped, [{ line: 3, reason: '"hypothesis" is empty' }]);
});

test('JSONL: numeric and boolean labels become strings; bad rows are reported with their line', async () => {
  const file = writeTemp(
    'rows.jsonl',
    ['{"text": "a", "label": 1}', '', '{"text": "b", "label": true}', '{"label": 0}', '{"text": 7, "label": 0}', '{"text": "c"}', '{"text": "d", "label": [1]}', '{"text": "e", "label": 2.5}'].join('\n'),
  );
  const { rows, skipped } = await readDataset(file, fields);
  assert.deepEqual(rows, [
    { text: 'a', label: '1', line: 1 },
    { text: 'b', label: 'true', line: 3 },
    { text: 'e', label: '2.5', line: 8 },
  ]);
  assert.deepEqual(skipped, [
    { line: 4, reason: 'no "text"' },
    { line: 5, reason: '"text" must be a string, not a number' },
    { line: 6, reason: 'no label in "label"' },
    { line: 7, reason: '"label" must be a string or a number, not an array' },
  ]);
});

test('an unlabeled file keeps rows without labels', async () => {
  const file = writeTemp('pool.jsonl', '{"text": "a"}\n{"text": "b", "label": "x"}\n');
  const { rows, skipped } = await readDataset(file, { ...fields, labeled: false });
  assert.deepEqual(rows, [
    { text: 'a', line: 1 },
    { text: 'b', label: 'x', line: 2 },
  ]);
  assert.deepEqual(skipped, []);
});

test('JSON array of objects, with the line of each element', async () => {
  const file = writeTemp('rows.json', '[\n  {"text": "a", "label": "x"},\n  {"text": "b",\n   "label": "y"},\n  {"label": "z"}\n]\n');
  const { rows, skipped } = await readDataset(file, fields);
  assert.deepEqual(rows, [
    { text: 'a', label: 'x', line: 2 },
    { text: 'b', label: 'y', line: 3 },
  ]);
  assert.deepEqual(skipped, [{ line: 5, reason: 'no "text"' }]);
});

// Every structural problem: a UserError with the file and line, and the input left untouched.
const broken: Array<[name: string, content: string | Buffer, line: number | undefined, fragment: string]> = [
  ['open-quote.csv', 'text,label\na,b\n"never closed,x\nmore\n', 3, 'never closed'],
  ['after-quote.csv', 'text,label\n"a"b,x\n', 2, 'instead of a delimiter'],
  ['ragged.csv', 'text,label\na,b\nc,d,e\n', 3, '3 fields but the header (line 1) has 2'],
  ['ragged.tsv', 'text\tlabel\na\n', 2, '1 fields but the header (line 1) has 2'],
  ['nul.csv', 'text,label\na\u0000,b\n', 2, 'NUL byte'],
  ['latin1.csv', Buffer.concat([Buffer.from('text,label\nok,x\ncaf'), Buffer.from([0xe9]), Buffer.from(',y\n')]), 3, 'not valid UTF-8'],
  ['utf16.jsonl', Buffer.from('\uFEFF{"text": "a"}\n', 'utf16le'), 1, 'NUL byte'],
  ['empty.csv', '', 1, 'empty'],
  ['empty.jsonl', '\n\n', 1, 'no rows'],
  ['empty.json', '[]', 1, 'no rows'],
  ['header-only.csv', 'text,label\r\n', 1, 'header but no rows'],
  ['no-field.csv', 'sentence,label\na,b\n', 1, 'its columns are "sentence", "label"'],
  ['bad-line.jsonl', '{"text": "a", "label": "x"}\n{"text": "b", "label": }\n', 2, 'invalid JSON at line 2, column 24: unexpected'],
  ['not-object.jsonl', '{"text": "a", "label": "x"}\n["b", "y"]\n', 2, 'expected a JSON object'],
  ['no-field.jsonl', '{"sentence": "a", "label": "x"}\n{"sentence": "b", "label": "y"}\n', 1, 'the fields here are "sentence", "label"'],
  ['no-label.jsonl', '{"text": "a", "class": "x"}\n', 1, 'no row has the field "label"'],
  ['trailing-comma.json', '[\n {"text": "a", "label": "x"},\n]\n', 3, "trailing comma before ']'"],
  ['not-array.json', '{"text": "a", "label": "x"}', 1, 'expected a JSON array'],
  ['element.json', '[\n {"text": "a", "label": "x"},\n "b"\n]', 3, 'element 1 of the array is not an object'],
];

for (const [name, content, line, fragment] of broken) {
  test(`broken input ${name}: UserError at its line, file unchanged`, async () => {
    const file = writeTemp(name, content);
    const before = sha256(file);
    const err = await rejectsUserError(() => readDataset(file, fields), file, line, fragment);
    assert.ok(err.fix.length > 0);
    assert.match(err.format(), new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}: `));
    assert.equal(sha256(file), before);
  });
}

test('an unknown extension needs an explicit format', async () => {
  const file = writeTemp('data.txt', 'text,label\na,b\n');
  await rejectsUserError(() => readDataset(file, fields), file, undefined, 'extension ".txt"');
  const { rows } = await readDataset(file, { ...fields, format: 'csv' });
  assert.equal(rows.length, 1);
});

test('a missing file is a UserError naming it', async () => {
  await rejectsUserError(() => readDataset('/nonexistent/x.jsonl', fields), '/nonexistent/x.jsonl', undefined, 'ENOENT');
});

test('readJsonl reports invalid UTF-8 instead of replacing it', async () => {
  const file = writeTemp('bad.jsonl', Buffer.concat([Buffer.from('{"text": "ok"}\n{"text": "caf'), Buffer.from([0xe9, 0x22, 0x7d, 0x0a])]));
  await rejectsUserError(
    async () => {
      for await (const row of readJsonl(file, file)) void row;
    },
    file,
    2,
    'column 14',
  );
});

test('a 5 MB CSV with quoted fields reads exactly, in time linear in its size', async () => {
  const csv = (n: number) => {
    const lines = ['text,label'];
    for (let i = 0; i < n; i++) lines.push(i % 3 === 0 ? `"row ${i}, with ""quotes"" and a comma ${'x'.repeat(100)}",${i % 4}` : `row ${i} ${'y'.repeat(110)},${i % 4}`);
    return writeTemp(`big-${n}.csv`, lines.join('\r\n'));
  };
  // Best of three, for a ratio measured in this run: ten times the rows must not take a hundred times as long.
  const read = async (file: string) => {
    let best = Infinity;
    let result!: Awaited<ReturnType<typeof readDataset>>;
    for (let k = 0; k < 3; k++) {
      const start = performance.now();
      result = await readDataset(file, fields);
      best = Math.min(best, performance.now() - start);
    }
    return { ...result, ms: best };
  };
  const n = 40_000;
  const small = await read(csv(n / 10));
  const { rows, skipped, ms } = await read(csv(n));
  assert.equal(rows.length, n);
  assert.equal(skipped.length, 0);
  assert.equal(rows[n - 1].line, n + 1);
  assert.equal(rows[3].text, `row 3, with "quotes" and a comma ${'x'.repeat(100)}`);
  assert.ok(ms / small.ms < 40, `10× the rows took ${(ms / small.ms).toFixed(1)}× as long`);
});
