import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareConfigurations, mcnemarExact, pairCorrectness, pairedBootstrap, type PredictionLike } from '../../../src/engine/analysis/significance';
import { close } from './helpers';

test('McNemar exact p-values (two-sided binomial on the discordant pairs; references from exact big-integer sums)', () => {
  assert.equal(mcnemarExact(0, 0), 1);
  assert.equal(mcnemarExact(1, 0), 1);
  assert.equal(mcnemarExact(3, 3), 1);
  close(mcnemarExact(5, 0), 0.0625, '2 × ½⁵');
  close(mcnemarExact(0, 5), 0.0625, 'symmetric');
  close(mcnemarExact(10, 2), 0.03857421875, '2 × (1 + 12 + 66) / 4096');
  close(mcnemarExact(40, 25), 0.08168153394154005, 'n = 65', 1e-12);
  close(mcnemarExact(600, 500), 0.0028195449914364275, 'n = 1100 (2^-n underflows a double)', 1e-12);
  close(mcnemarExact(1100, 900), 8.457089535503927e-6, 'n = 2000', 1e-15);
  assert.throws(() => mcnemarExact(-1, 2));
});

/** Predictions for a test set of gold labels, right where `right` says. */
function preds(gold: string[], right: boolean[]): PredictionLike[] {
  return gold.map((label, index) => ({ index, label, predicted: right[index] ? label : label === 'ham' ? 'spam' : 'ham' }));
}
const GOLD = Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? 'spam' : 'ham'));
const mask = (f: (i: number) => boolean) => GOLD.map((_, i) => f(i));

test('pairing predictions checks that the test sets are the same', () => {
  const a = preds(GOLD, mask(() => true));
  const shuffled = [...a].reverse();
  const c = pairCorrectness(shuffled, preds(GOLD, mask((i) => i < 10)));
  assert.ok(typeof c !== 'string');
  assert.deepEqual([...c.a], Array(20).fill(1), 'aligned by index, not by file order');
  assert.deepEqual([...c.b], GOLD.map((_, i) => (i < 10 ? 1 : 0)));
  assert.match(pairCorrectness(a, a.slice(1)) as string, /20 and 19 test predictions/);
  const relabeled = a.map((p) => (p.index === 3 ? { ...p, label: 'spam' } : p));
  assert.match(pairCorrectness(a, relabeled) as string, /example 3 differs/);
});

test('paired bootstrap: no difference, total difference, and a reproducible interval around the observed one', () => {
  const all = new Uint8Array(50).fill(1);
  const none = new Uint8Array(50);
  const same = pairedBootstrap([{ a: all, b: all }], { resamples: 200 });
  assert.deepEqual([same.diff, same.low, same.high, same.p], [0, 0, 0, 1]);
  const total = pairedBootstrap([{ a: all, b: none }], { resamples: 200 });
  assert.deepEqual([total.diff, total.low, total.high, total.p], [1, 1, 1, 0]);

  // A right on 40 of 50, B on 30 of 50 (A ⊇ B): observed difference 0.2.
  const a = Uint8Array.from({ length: 50 }, (_, i) => (i < 40 ? 1 : 0));
  const b = Uint8Array.from({ length: 50 }, (_, i) => (i < 30 ? 1 : 0));
  const r1 = pairedBootstrap([{ a, b }], { resamples: 1000, seed: 3 });
  const r2 = pairedBootstrap([{ a, b }], { resamples: 1000, seed: 3 });
  assert.deepEqual(r1, r2, 'seeded: the same interval every time');
  close(r1.diff, 0.2, 'observed difference');
  assert.ok(r1.low > 0.05 && r1.low < 0.2 && r1.high > 0.2 && r1.high < 0.35, `95% interval [${r1.low}, ${r1.high}] around 0.2 (se ≈ 0.057)`);
  assert.equal(r1.p, 0, 'no resample of 10 wins-only examples reaches 0');
});

test('comparing two configurations over seeds: per-seed McNemar, pooled, bootstrap, and the verdict', () => {
  // Seed 1: A right on 18, B on 12 (B's right ones ⊂ A's): b = 6, c = 0. Seed 2: A on 17, B on 13, with one
  // example only B gets right: b = 5, c = 1.
  const a = [
    { seed: 1, runId: 'a1', predictions: preds(GOLD, mask((i) => i < 18)) },
    { seed: 2, runId: 'a2', predictions: preds(GOLD, mask((i) => i < 17)) },
  ];
  const b = [
    { seed: 2, runId: 'b2', predictions: preds(GOLD, mask((i) => i < 12 || i === 19)) },
    { seed: 1, runId: 'b1', predictions: preds(GOLD, mask((i) => i < 12)) },
  ];
  const c = compareConfigurations(a, b, { resamples: 500 });
  assert.equal(c.problem, undefined);
  assert.equal(c.pairing, 'seed');
  assert.deepEqual(c.seeds.map((s) => [s.seedA, s.seedB, s.runA, s.runB, s.onlyA, s.onlyB, s.accuracyA, s.accuracyB]), [
    [1, 1, 'a1', 'b1', 6, 0, 0.9, 0.6],
    [2, 2, 'a2', 'b2', 5, 1, 0.85, 0.65],
  ]);
  close(c.seeds[0].p, 2 / 64, 'seed 1: 2 × ½⁶');
  close(c.seeds[1].p, 2 * 7 / 64, 'seed 2: 2 × (1 + 6) / 2⁶');
  assert.deepEqual([c.pooled.onlyA, c.pooled.onlyB], [11, 1]);
  close(c.pooled.p, 2 * 13 / 4096, 'pooled: 2 × (1 + 12) / 2¹²');
  close(c.bootstrap.diff, 0.25, 'mean of 0.30 and 0.20');
  assert.ok(c.bootstrap.low > 0);
  assert.equal(c.supported, true);

  // Only 2 discordant examples: the same direction, but far too few to tell.
  const weak = compareConfigurations(
    [{ seed: 1, runId: 'x', predictions: preds(GOLD, mask((i) => i < 12)) }],
    [{ seed: 1, runId: 'y', predictions: preds(GOLD, mask((i) => i < 10)) }],
    { resamples: 500 },
  );
  close(weak.pooled.p, 0.5, '2 × ½²');
  assert.equal(weak.supported, false);
});

test('seeds are paired in order when none is shared; incomparable runs say why', () => {
  const a = [{ seed: 5, runId: 'a5', predictions: preds(GOLD, mask(() => true)) }];
  const b = [{ seed: 9, runId: 'b9', predictions: preds(GOLD, mask(() => false)) }, { seed: 7, runId: 'b7', predictions: preds(GOLD, mask(() => false)) }];
  const c = compareConfigurations(a, b, { resamples: 100 });
  assert.equal(c.pairing, 'order');
  assert.deepEqual(c.seeds.map((s) => [s.runA, s.runB]), [['a5', 'b7']]);
  const bad = compareConfigurations(a, [{ seed: 5, runId: 'short', predictions: preds(GOLD.slice(0, 10), mask(() => true)) }]);
  assert.match(bad.problem!, /a5 vs short: the runs have 20 and 10 test predictions/);
  assert.equal(bad.supported, false);
  assert.match(compareConfigurations(a, []).problem!, /no finished runs/);
});
