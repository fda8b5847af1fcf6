// What a running grid shows: the notification's cell index, step, fraction and time left (computed from events
// with a fake clock), and the output channel's lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GridCellInfo } from '../../../src/engine/grid/events';
import { formatDuration, GridProgress } from '../../../src/extension/jobs/grid-progress';
import { eventLogger } from '../../../src/extension/jobs/event-log';

const cell = (i: number, method: GridCellInfo['method'] = 'finetune'): GridCellInfo => ({ cellId: `c${i}`, runId: `r${i}`, method, model: 'm', trainSize: 8, seed: i });

function clock(): { now: () => number; advance(seconds: number): void } {
  let t = 1_000_000;
  return { now: () => t, advance: (s) => (t += s * 1000) };
}

test('step rate gives the current cell\'s time left, and the cells after it count at the measured cell time', () => {
  const c = clock();
  const p = new GridProgress(new Set(), c.now);
  p.update({ type: 'grid-start', experiment: 'x', runsDir: '/r', backend: 'wasm', threads: 2, cells: [cell(0), cell(1), cell(2)] });
  assert.equal(p.message(), '0/3 cells');
  assert.equal(p.snapshot().etaSeconds, undefined, 'nothing measured yet');
  p.update({ type: 'cell-start', index: 0, total: 3, cellId: 'c0', runId: 'r0', attempt: 1 });
  c.advance(2); // loading
  p.update({ type: 'progress', index: 0, cellId: 'c0', runId: 'r0', step: 1, totalSteps: 11, loss: 0.7 });
  assert.equal(p.snapshot().etaSeconds, undefined, 'one step is no rate yet');
  c.advance(5);
  p.update({ type: 'progress', index: 0, cellId: 'c0', runId: 'r0', step: 6, totalSteps: 11, loss: 0.5 });
  // 1 s per step: 5 steps left in this cell; it will have taken 2 + 5 + 5 = 12 s; two more cells at 12 s each.
  const s = p.snapshot();
  assert.equal(s.etaSeconds, 5 + 24);
  assert.equal(s.current?.step, 6);
  assert.ok(Math.abs(s.fraction - (6 / 11) / 3) < 1e-12);
  assert.equal(p.message(), 'Cell 1/3 c0 · step 6/11 · about 29 s left');

  c.advance(7);
  p.update({ type: 'cell-end', index: 0, total: 3, cellId: 'c0', runId: 'r0', status: 'done', accuracy: 0.9, seconds: 20 });
  p.update({ type: 'cell-start', index: 1, total: 3, cellId: 'c1', runId: 'r1', attempt: 1 });
  // No step rate in this cell yet: it and the last cell count at the finished cell's 20 s.
  assert.equal(p.snapshot().etaSeconds, 40);
  assert.equal(p.message(), 'Cell 2/3 c1 · preparing · about 40 s left');
});

test('cells already done (which the grid will skip) do not count in the time left; failures are shown', () => {
  const c = clock();
  const p = new GridProgress(new Set(['r2']), c.now);
  p.update({ type: 'grid-start', experiment: 'x', runsDir: '/r', backend: 'wasm', threads: 2, cells: [cell(0), cell(1), cell(2)] });
  p.update({ type: 'cell-start', index: 0, total: 3, cellId: 'c0', runId: 'r0', attempt: 1 });
  p.update({ type: 'cell-end', index: 0, total: 3, cellId: 'c0', runId: 'r0', status: 'failed', reason: 'x', seconds: 30 });
  p.update({ type: 'cell-start', index: 1, total: 3, cellId: 'c1', runId: 'r1', attempt: 1 });
  const s = p.snapshot();
  assert.equal(s.etaSeconds, 30, 'only c1 is left to train');
  assert.deepEqual(s.counts, { done: 0, skipped: 0, failed: 1, cancelled: 0 });
  assert.match(p.message(), /· 1 failed ·/);
});

test('cells of another method are timed by their own method once one has finished', () => {
  const c = clock();
  const p = new GridProgress(new Set(), c.now);
  p.update({ type: 'grid-start', experiment: 'x', runsDir: '/r', backend: 'wasm', threads: 2, cells: [cell(0, 'finetune'), cell(1, 'prompt'), cell(2, 'finetune'), cell(3, 'prompt')] });
  p.update({ type: 'cell-end', index: 0, total: 4, cellId: 'c0', runId: 'r0', status: 'done', seconds: 10 });
  p.update({ type: 'cell-end', index: 1, total: 4, cellId: 'c1', runId: 'r1', status: 'done', seconds: 100 });
  assert.equal(p.snapshot().etaSeconds, 10 + 100);
  assert.equal(p.snapshot().fraction, 0.5);
});

test('durations read the way people say them', () => {
  assert.equal(formatDuration(0.2), '1 s');
  assert.equal(formatDuration(42.4), '42 s');
  assert.equal(formatDuration(150), '3 min');
  assert.equal(formatDuration(3 * 3600 + 7 * 60), '3 h 7 min');
});

test('a grid reads as one line per cell event and about ten progress lines per cell', () => {
  const lines: string[] = [];
  const log = eventLogger((l) => lines.push(l), () => 0);
  const id = { cellId: 'finetune__m__n8__s1', runId: 'r' };
  log({ type: 'grid-start', experiment: 'x', runsDir: '/r', backend: 'wasm', threads: 2, cells: [{ ...id, method: 'finetune', model: 'm', trainSize: 8, seed: 1 }, { ...id, cellId: 'b', method: 'prompt', model: 'm', trainSize: 8, seed: 1 }] });
  log({ type: 'cell-start', index: 0, total: 2, ...id, attempt: 2 });
  for (let step = 1; step <= 100; step++) log({ type: 'progress', index: 0, ...id, step, totalSteps: 100, loss: 1 / step });
  log({ type: 'cell-end', index: 0, total: 2, ...id, status: 'done', accuracy: 0.875, macroF1: 0.5, seconds: 12.34 });
  log({ type: 'cell-end', index: 1, total: 2, ...id, cellId: 'b', status: 'failed', reason: 't.prompt.json:3: bad. Fix.' });
  log({ type: 'log', level: 'warn', message: 'careful' });
  log({ type: 'grid-end', done: 1, skipped: 0, failed: 1, cancelled: false });
  assert.equal(lines[0], 'experiment "x": 2 cell(s), backend wasm (2 thread(s)), runs in /r');
  assert.equal(lines[1], '[1/2] finetune__m__n8__s1: training (attempt 2)');
  const progress = lines.filter((l) => l.includes(': step '));
  assert.equal(progress.length, 10);
  assert.equal(progress[0], '[1/2] finetune__m__n8__s1: step 10/100 loss 0.1000');
  assert.deepEqual(lines.slice(-4), [
    '[1/2] finetune__m__n8__s1: done — accuracy 0.875, macro-F1 0.500, 12.3 s',
    '[2/2] b: FAILED: t.prompt.json:3: bad. Fix.',
    'warn: careful',
    '1 done, 0 skipped, 1 failed',
  ]);
});
