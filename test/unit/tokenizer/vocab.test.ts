// vocab.txt reading must give the same ids as transformers' load_vocab for every line-ending variant.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { isUserError } from '../../../src/engine/errors';
import { Vocab } from '../../../src/engine/tokenizer/vocab';

test('one final newline adds no token; a second one adds the empty token', () => {
  assert.deepEqual(Vocab.parse('a\nb').lines, ['a', 'b']);
  assert.deepEqual(Vocab.parse('a\nb\n').lines, ['a', 'b']);
  assert.deepEqual(Vocab.parse('a\nb\n\n').lines, ['a', 'b', '']);
  assert.deepEqual(Vocab.parse('a\n\nb\n').lines, ['a', '', 'b']);
  assert.equal(Vocab.parse('a\n\nb\n').id('b'), 2);
  assert.deepEqual(Vocab.parse('').lines, []);
});

test('CRLF and CR line ends read like LF (Python universal newlines)', () => {
  assert.deepEqual(Vocab.parse('a\r\nb\r\n').lines, ['a', 'b']);
  assert.deepEqual(Vocab.parse('a\rb\r').lines, ['a', 'b']);
});

test('spaces inside and around tokens are kept', () => {
  assert.deepEqual(Vocab.parse(' a \n').lines, [' a ']);
});

test('a repeated token keeps its last id; the earlier id maps back to nothing', () => {
  const v = Vocab.parse('x\ny\nx\n');
  assert.equal(v.id('x'), 2);
  assert.equal(v.token(0), undefined);
  assert.equal(v.token(2), 'x');
  assert.equal(v.size, 3);
  assert.equal(v.distinct, 2);
});

test('toText writes every token followed by a newline, and reads back the same', () => {
  const v = Vocab.parse('[PAD]\n\nhello\n');
  assert.equal(v.toText(), '[PAD]\n\nhello\n');
  assert.deepEqual(Vocab.parse(v.toText()).lines, v.lines);
});

test('files: a byte-order mark stays in token 0; invalid UTF-8 is a UserError naming the file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vocab-'));
  const bom = path.join(dir, 'bom.txt');
  await writeFile(bom, '\ufeff[PAD]\nx\n');
  assert.deepEqual((await Vocab.load(bom)).lines, ['\ufeff[PAD]', 'x']);
  const bad = path.join(dir, 'bad.txt');
  await writeFile(bad, Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a]));
  await assert.rejects(Vocab.load(bad), (e) => isUserError(e) && e.place.file === bad && /UTF-8/.test(e.message));
});
