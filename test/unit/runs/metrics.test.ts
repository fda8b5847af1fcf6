import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationMetrics } from '../../../src/engine/runs/metrics';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);

test('metrics against hand-computed values, with a class that is never predicted', () => {
  // gold a a a b b c / predicted a a b b a a:
  //   a: tp 2, predicted 4, support 3 → P 1/2, R 2/3, F1 4/7
  //   b: tp 1, predicted 2, support 2 → P 1/2, R 1/2, F1 1/2
  //   c: never predicted, support 1   → P 0, R 0, F1 0 (not NaN)
  const m = classificationMetrics(['a', 'a', 'a', 'b', 'b', 'c'], ['a', 'a', 'b', 'b', 'a', 'a']);
  close(m.accuracy, 0.5, 'accuracy');
  close(m.perClass.a.precision, 0.5, 'P(a)');
  close(m.perClass.a.recall, 2 / 3, 'R(a)');
  close(m.perClass.a.f1, 4 / 7, 'F1(a)');
  assert.equal(m.perClass.a.support, 3);
  close(m.perClass.b.f1, 0.5, 'F1(b)');
  assert.deepEqual(m.perClass.c, { precision: 0, recall: 0, f1: 0, support: 1 });
  close(m.macroF1, (4 / 7 + 1 / 2 + 0) / 3, 'macro-F1');
  assert.deepEqual(m.confusion, {
    labels: ['a', 'b', 'c'],
    matrix: [
      [2, 1, 0],
      [1, 1, 0],
      [1, 0, 0],
    ],
  });
});

test('a given label set fixes the order and counts unseen labels in macro-F1', () => {
  const m = classificationMetrics(['spam', 'ham', 'ham'], ['spam', 'ham', 'spam'], ['spam', 'ham', 'other']);
  assert.deepEqual(m.confusion.labels, ['spam', 'ham', 'other']);
  assert.deepEqual(m.confusion.matrix, [
    [1, 0, 0],
    [1, 1, 0],
    [0, 0, 0],
  ]);
  // spam: P 1/2 R 1 F1 2/3; ham: P 1 R 1/2 F1 2/3; other: 0.
  close(m.macroF1, (2 / 3 + 2 / 3 + 0) / 3, 'macro-F1');
  assert.equal(m.perClass.other.support, 0);
  assert.ok(Object.values(m.perClass).every((c) => Number.isFinite(c.f1) && Number.isFinite(c.precision)));
});

test('perfect predictions and a single class', () => {
  const m = classificationMetrics(['x', 'x'], ['x', 'x']);
  assert.equal(m.accuracy, 1);
  assert.equal(m.macroF1, 1);
});

test('mismatched lengths, no examples or an unknown label are bugs, not silent zeros', () => {
  assert.throws(() => classificationMetrics(['a'], ['a', 'b']), /1 gold labels but 2 predictions/);
  assert.throws(() => classificationMetrics([], []), /no examples/);
  assert.throws(() => classificationMetrics(['a'], ['z'], ['a', 'b']), /"z" is not in the label set/);
});
