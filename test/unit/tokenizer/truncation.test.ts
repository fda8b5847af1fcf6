// transformers' truncate_sequences semantics, on plain arrays so each count can be checked by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUserError } from '../../../src/engine/errors';
import { truncate } from '../../../src/engine/tokenizer/truncation';

const seq = (n: number, tag = 'a') => Array.from({ length: n }, (_, i) => `${tag}${i}`);
const lengths = ([a, b]: [string[], string[] | undefined]) => [a.length, b?.length];

test('nothing to do when it fits, or when truncation is off', () => {
  const a = seq(5);
  assert.deepEqual(truncate(a, undefined, 2, 7, 'longest_first'), [a, undefined]);
  assert.deepEqual(lengths(truncate(seq(50), seq(50), 3, 10, false)), [50, 50]);
});

test('longest_first on one sequence cuts its end', () => {
  assert.deepEqual(truncate(seq(10), undefined, 2, 6, 'longest_first'), [seq(4), undefined]);
});

test('longest_first on a pair: from the longer one, from the second on ties', () => {
  // The fixture's case: 7 + 11 pieces into 13 positions, 3 of them special tokens.
  assert.deepEqual(lengths(truncate(seq(7), seq(11), 3, 13, 'longest_first')), [5, 5]);
  // An odd number removed from equal lengths: the second ends up one shorter (not an even split).
  assert.deepEqual(lengths(truncate(seq(10), seq(10), 3, 12, 'longest_first')), [5, 4]);
  // The shorter one is untouched while the longer one is still longer.
  assert.deepEqual(lengths(truncate(seq(3), seq(20), 3, 13, 'longest_first')), [3, 7]);
  assert.deepEqual(lengths(truncate(seq(20), seq(3), 3, 13, 'longest_first')), [7, 3]);
  // Pieces are removed from the ends.
  assert.deepEqual(truncate(seq(3), seq(4, 'b'), 3, 8, 'longest_first'), [seq(3), seq(2, 'b')]);
  // An empty second sequence still counts as a pair.
  assert.deepEqual(lengths(truncate(seq(9), [], 3, 8, 'longest_first')), [5, 0]);
});

test('only_first and only_second cut one side', () => {
  assert.deepEqual(lengths(truncate(seq(10), seq(2), 3, 10, 'only_first')), [5, 2]);
  assert.deepEqual(lengths(truncate(seq(2), seq(10), 3, 10, 'only_second')), [2, 5]);
});

test('impossible truncations are UserErrors (transformers would return an over-long sequence)', () => {
  const isMaxLengthError = (e: unknown) => isUserError(e) && e.place.field === 'maxLength';
  assert.throws(() => truncate(seq(2), seq(10), 3, 10, 'only_first'), isMaxLengthError);
  assert.throws(() => truncate(seq(10), seq(2), 3, 10, 'only_second'), isMaxLengthError);
  assert.throws(() => truncate(seq(10), undefined, 2, 8, 'only_second'), isMaxLengthError);
  assert.throws(() => truncate(seq(1), undefined, 2, 2, 'longest_first'), isMaxLengthError);
  assert.throws(() => truncate(seq(4), seq(4), 3, 2, 'longest_first'), isMaxLengthError);
  // Exactly the special tokens fit: allowed, both sequences emptied.
  assert.deepEqual(lengths(truncate(seq(4), seq(4), 3, 3, 'longest_first')), [0, 0]);
});
