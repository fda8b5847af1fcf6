// WordPiece on a small hand-made vocabulary, where the right answer can be worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WordPiece } from '../../../src/engine/tokenizer/wordpiece';

const vocabOf = (tokens: string[]) => new Map(tokens.map((t, i) => [t, i]));
const wp = new WordPiece(vocabOf(['[UNK]', 'un', '##aff', '##able', 'a', '##b', 'ab', 'abc', '##d', '##bcd', '##😀']), '[UNK]');

test('greedy longest match first, continuation pieces prefixed with ##', () => {
  assert.deepEqual(wp.tokenize('unaffable'), ['un', '##aff', '##able']);
  // "abc" + "##d" wins over "a" + "##bcd" because the first piece is taken as long as possible.
  assert.deepEqual(wp.tokenize('abcd'), ['abc', '##d']);
});

test('an unmatchable remainder makes the whole word [UNK], not just the rest', () => {
  assert.deepEqual(wp.tokenize('unaffablex'), ['[UNK]']);
  assert.deepEqual(wp.tokenize('unaffable x abcd'), ['un', '##aff', '##able', '[UNK]', 'abc', '##d']);
});

test('words longer than 100 code points are [UNK] without trying', () => {
  const hundred = 'a' + 'b'.repeat(99);
  assert.deepEqual(wp.tokenize(hundred), ['ab', ...Array(98).fill('##b')]);
  assert.deepEqual(wp.tokenize(hundred + 'b'), ['[UNK]']);
  // The limit counts code points, not UTF-16 units: 1 + 99 emoji is 100 characters but 199 units.
  assert.equal(wp.tokenize('a' + '😀'.repeat(99)).length, 100);
  assert.deepEqual(wp.tokenize('a' + '😀'.repeat(100)), ['[UNK]']);
});

test('max_input_chars_per_word is configurable', () => {
  const short = new WordPiece(vocabOf(['[UNK]', 'a', '##b']), '[UNK]', 3);
  assert.deepEqual(short.tokenize('abb abbb'), ['a', '##b', '##b', '[UNK]']);
});

test('input is split on Python whitespace first', () => {
  assert.deepEqual(wp.tokenize('  ab\u2028abc\t'), ['ab', 'abc']);
  assert.deepEqual(wp.tokenize(''), []);
});
