// Active learning's order (most uncertain, or most disagreed-on, first) and navigation in the labeling editor: next/skip in file order or queue order, the unlabeled filter, Back through
// the rows visited, and rows that change under the session (the file is edited).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabelRow } from '../../../src/extension/labeling/dataset-doc';
import { LabelingSession } from '../../../src/extension/labeling/session';
import { entropy, rankByDisagreement, rankByEntropy } from '../../../src/extension/active-learning/rank';

const rows = (labels: (string | undefined)[]): LabelRow[] => labels.map((label, index) => ({ index, line: index + 1, text: `t${index}`, ...(label ? { label } : {}) }));

test('skip walks the rows in file order; the filter passes over labeled rows and wraps once', () => {
  const s = new LabelingSession();
  const r = rows(['a', undefined, 'b', undefined]);
  s.settle(r);
  assert.equal(s.current, 0);
  s.next(r);
  assert.equal(s.current, 1);
  s.goto(3, r);
  s.next(r);
  assert.equal(s.current, 3, 'in file order the last row is the end');
  s.goto(1, r);
  s.unlabeledOnly = true;
  s.next(r);
  assert.equal(s.current, 3);
  s.next(r);
  assert.equal(s.current, 1, 'wraps to the first unlabeled row');
  const done = rows(['a', 'a', 'b', 'b']);
  s.next(done);
  assert.equal(s.current, undefined, 'nothing left to label');
});

test('Back returns through the rows visited, in reverse', () => {
  const s = new LabelingSession();
  const r = rows([undefined, undefined, undefined]);
  s.settle(r);
  s.next(r);
  s.next(r);
  s.goto(0, r);
  assert.deepEqual([s.back(r), s.current, s.back(r), s.current, s.back(r), s.current, s.back(r)], [true, 2, true, 1, true, 0, false]);
});

test('a queue visits its rows in its order, unlabeled ones only, and rows are found by text after edits', () => {
  const s = new LabelingSession();
  const r = rows([undefined, undefined, 'x', undefined]);
  s.startQueue({ title: 'q', texts: ['t3', 't2', 't0'], suggestions: new Map([['t3', { label: 'a', confidence: 0.6, score: 1 }]]) }, r);
  assert.equal(s.current, 3);
  assert.deepEqual(s.suggestionFor(r[3]), { label: 'a', confidence: 0.6, score: 1 });
  assert.equal(s.remaining(r), 2, 't3 and t0; t2 is labeled and t1 is not queued');
  s.next(r);
  assert.equal(s.current, 0, 't2 is labeled: skipped');
  // A line inserted at the top moves every row down one: the queue follows the texts.
  const moved: LabelRow[] = [{ index: 0, line: 1, text: 'new' }, ...r.map((x) => ({ ...x, index: x.index + 1, line: x.line + 1 }))];
  assert.deepEqual(s.order(moved), [4, 3, 1]);
  s.stopQueue(moved);
  assert.equal(s.queue, undefined);
});

test('entropy ranks the flattest distributions first and suggests the most probable label', () => {
  assert.equal(entropy([1, 0]), 0);
  assert.ok(Math.abs(entropy([0.5, 0.5]) - Math.log(2)) < 1e-12);
  const ranked = rankByEntropy({ labels: ['ham', 'spam'], probs: [[0.9, 0.1], [0.55, 0.45], [0.2, 0.8], [0.45, 0.55]] });
  assert.deepEqual(ranked.map((r) => r.row), [1, 3, 2, 0], 'equal entropies keep row order');
  assert.deepEqual(ranked.map((r) => [r.label, r.confidence]), [['ham', 0.55], ['spam', 0.55], ['spam', 0.8], ['ham', 0.9]]);
});

test('disagreement aligns labels by name and ranks by total variation distance', () => {
  const prompt = { labels: ['spam', 'ham'], probs: [[0.9, 0.1], [0.5, 0.5], [0.1, 0.9]] };
  const finetune = { labels: ['ham', 'spam'], probs: [[0.9, 0.1], [0.5, 0.5], [0.8, 0.2]] };
  const ranked = rankByDisagreement(prompt, finetune);
  assert.deepEqual(ranked.map((r) => r.row), [0, 2, 1]);
  assert.ok(Math.abs(ranked[0].score - 0.8) < 1e-5, 'spam 0.9 vs 0.1: distance 0.8');
  assert.ok(Math.abs(ranked[1].score - 0.1) < 1e-5);
  // Row 0: mean of spam 0.9/0.1 and ham 0.1/0.9 → 0.5/0.5, the first label in the union (spam) on a tie.
  assert.deepEqual([ranked[0].label, ranked[0].confidence], ['spam', 0.5]);
  assert.equal(ranked[1].label, 'ham');
  assert.ok(Math.abs(ranked[1].confidence - 0.85) < 1e-12);
});
