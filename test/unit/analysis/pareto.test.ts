import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dominates, paretoFrontier, type ParetoPoint } from '../../../src/engine/analysis/pareto';
import { Rng } from '../../../src/engine/rng';

const p = (key: string, accuracy: number, ...costs: Array<number | null>): ParetoPoint => ({ key, accuracy, costs });

test('one cost: the frontier in cost order, dominated points with who dominates them', () => {
  const points = [
    p('a', 0.9, 100), p('b', 0.8, 10), p('c', 0.85, 50), p('d', 0.7, 20), p('e', 0.9, 200),
    p('f', 0.95, 1000), p('g', 0.8, 10), p('h', 0.99, null), p('i', 0.6, 5),
  ];
  const r = paretoFrontier(points);
  // i is cheapest; b and g tie exactly (neither dominates the other); each later frontier point is more accurate.
  assert.deepEqual(r.frontier, ['i', 'b', 'g', 'c', 'a', 'f']);
  assert.deepEqual([...r.dominatedBy].sort(), [['d', 'b'], ['e', 'a']]);
  assert.deepEqual(r.unmeasured, ['h']);
});

test('dominance needs strictly better on something', () => {
  assert.equal(dominates(p('x', 0.8, 10), p('y', 0.8, 10)), false);
  assert.equal(dominates(p('x', 0.8, 10), p('y', 0.8, 11)), true);
  assert.equal(dominates(p('x', 0.81, 10), p('y', 0.8, 10)), true);
  assert.equal(dominates(p('x', 0.9, 10, 100), p('y', 0.8, 20, 50)), false, 'more data is not dominated by less compute');
});

test('compute and data at once: cheap on both survives even when less accurate', () => {
  // [accuracy, inference FLOPs, labeled examples]
  const points = [
    p('finetune-large-1000', 0.92, 400, 1000),
    p('prompt-large-10', 0.85, 400, 10),
    p('distill-prompt-small-10', 0.83, 100, 10),
    p('finetune-small-10', 0.60, 100, 10),
    p('finetune-small-1000', 0.88, 100, 1000),
  ];
  const joint = paretoFrontier(points);
  // Listed by the first cost, then accuracy.
  assert.deepEqual(joint.frontier, ['finetune-small-1000', 'distill-prompt-small-10', 'finetune-large-1000', 'prompt-large-10']);
  assert.deepEqual([...joint.dominatedBy], [['finetune-small-10', 'distill-prompt-small-10']]);
  // On compute alone, prompting the large model is beaten by fine-tuning the small one with more labels.
  const computeOnly = paretoFrontier(points.map((q) => ({ ...q, costs: [q.costs[0]] })));
  assert.deepEqual(computeOnly.frontier, ['finetune-small-1000', 'finetune-large-1000']);
});

test('several costs: the frontier is exactly the set no point dominates (checked against brute force)', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 20; trial++) {
    const points = Array.from({ length: 60 }, (_, i) => p(`k${i}`, Math.round(rng.next() * 20) / 20, rng.int(10), rng.int(10)));
    const r = paretoFrontier(points);
    const expected = points.filter((q) => !points.some((o) => dominates(o, q))).map((q) => q.key).sort();
    assert.deepEqual([...r.frontier].sort(), expected);
    for (const [key, by] of r.dominatedBy) {
      assert.ok(dominates(points.find((q) => q.key === by)!, points.find((q) => q.key === key)!), `${by} dominates ${key}`);
    }
    assert.equal(r.frontier.length + r.dominatedBy.size, points.length);
  }
});
