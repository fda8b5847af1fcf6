import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCrossovers, findCrossovers, interpolateLogX, roundLabels } from '../../../src/engine/analysis/crossover';
import { close } from './helpers';

const xy = (pairs: Array<[number, number]>) => pairs.map(([x, y]) => ({ x, y }));

test('interpolation is linear in log x and flat past the ends', () => {
  const c = xy([[10, 0.6], [1000, 0.8]]);
  close(interpolateLogX(c, 100), 0.7, 'halfway on log x is x = 100');
  close(interpolateLogX(c, 1), 0.6, 'before the first point');
  close(interpolateLogX(c, 5000), 0.8, 'after the last point');
});

test('prompting ahead with few labels, fine-tuning with many: one crossing, found on log x', () => {
  const prompt = xy([[10, 0.70], [100, 0.74], [1000, 0.80]]);
  const finetune = xy([[10, 0.50], [100, 0.80], [1000, 0.90]]);
  const r = findCrossovers(prompt, finetune);
  // d(10) = +0.20, d(100) = −0.06: the zero is 0.20/0.26 of the way from log 10 to log 100.
  assert.equal(r.crossovers.length, 1);
  close(r.crossovers[0].x, 10 ** (1 + 0.2 / 0.26), 'crossing x', 1e-9);
  assert.equal(r.crossovers[0].below, 'a');
  assert.equal(r.crossovers[0].above, 'b');
  assert.deepEqual(r.range, [10, 1000]);
  assert.equal(roundLabels(r.crossovers[0].x), '59');
  assert.equal(describeCrossovers(r, 'prompt', 'finetune'), 'prompt beats finetune below ~59 labels; finetune is ahead above');
});

test('curves measured at different sizes: each is interpolated at the other one\'s sizes', () => {
  const a = xy([[10, 0.6], [100, 0.8]]);
  const b = xy([[10, 0.5], [30, 0.75], [100, 0.85]]);
  // a(30) = 0.6 + 0.2·log10(3); between 10 and 30 the difference goes from +0.1 to a(30) − 0.75.
  const a30 = 0.6 + 0.2 * Math.log10(3);
  const d30 = a30 - 0.75;
  const t = 0.1 / (0.1 - d30);
  const r = findCrossovers(a, b);
  assert.equal(r.crossovers.length, 1);
  close(r.crossovers[0].x, 10 * 3 ** t, 'crossing x', 1e-9);
});

test('only the shared range is compared; no crossing names the leader', () => {
  // b is far ahead below 100 but a only starts at 100: nothing there to compare.
  const a = xy([[100, 0.8], [1000, 0.9]]);
  const b = xy([[10, 0.95], [100, 0.7], [10000, 0.85]]);
  const r = findCrossovers(a, b);
  assert.deepEqual(r.range, [100, 1000]);
  assert.deepEqual(r.crossovers, []);
  assert.equal(r.leader, 'a');
  assert.equal(describeCrossovers(r, 'distill←prompt', 'finetune'), 'distill←prompt is ahead of finetune at every train size from 100 to 1,000 labels');
  assert.deepEqual(findCrossovers(xy([[10, 1]]), xy([[100, 1]])), { crossovers: [] }, 'disjoint curves');
  assert.equal(describeCrossovers(findCrossovers(xy([[10, 1]]), xy([[100, 1]])), 'a', 'b'), undefined);
});

test('curves that touch at a measured size cross exactly there; touching without crossing is no crossing', () => {
  const a = xy([[10, 0.6], [100, 0.7], [1000, 0.9]]);
  const b = xy([[10, 0.5], [100, 0.7], [1000, 0.95]]);
  const r = findCrossovers(a, b);
  assert.equal(r.crossovers.length, 1);
  close(r.crossovers[0].x, 100, 'crossing at the shared point');
  const touch = findCrossovers(xy([[10, 0.6], [100, 0.7], [1000, 0.9]]), xy([[10, 0.5], [100, 0.7], [1000, 0.8]]));
  assert.deepEqual(touch.crossovers, []);
  assert.equal(touch.leader, 'a');
});

test('two crossings', () => {
  const a = xy([[10, 0.7], [100, 0.6], [1000, 0.9]]);
  const b = xy([[10, 0.6], [100, 0.7], [1000, 0.8]]);
  const r = findCrossovers(a, b);
  assert.deepEqual(r.crossovers.map((c) => [c.below, c.above]), [['a', 'b'], ['b', 'a']]);
  close(r.crossovers[0].x, 10 ** 1.5, 'first crossing: symmetric gap, halfway');
  close(r.crossovers[1].x, 10 ** 2.5, 'second crossing');
  assert.equal(roundLabels(10 ** 2.5), '320');
  assert.equal(roundLabels(12_345), '12,000');
});
