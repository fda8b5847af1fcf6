import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { defaultRunsDir, RunStore } from '../../../src/engine/runs/store';
import { isProcessAlive } from '../../../src/engine/runs/process';
import { metricsFor, sampleGrid, tempDir } from './helpers';

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  assert.ok(r.pid && !isProcessAlive(r.pid));
  return r.pid;
}

/** Writes a run.json as another process would have left it, bypassing the store's bookkeeping. */
function forge(store: RunStore, id: string, patch: Record<string, unknown>) {
  const file = store.runFile(id);
  const run = { ...JSON.parse(readFileSync(file, 'utf8')), ...patch };
  writeFileSync(file, JSON.stringify(run));
}

test('round trip: create, update, metrics, predictions, list', () => {
  const t = tempDir();
  try {
    const { experiment, cells } = sampleGrid();
    const store = new RunStore(path.join(t.dir, 'runs'));
    const cell = cells.find((c) => c.method === 'distill')!;
    const created = store.create(cell, experiment);
    assert.equal(created.status, 'queued');
    assert.equal(created.id, cell.runId);
    assert.equal(created.cellId, cell.id);
    assert.equal(created.attempt, 1);
    assert.equal(created.model, 'google/bert_uncased_L-2_H-128_A-2');
    assert.deepEqual(created.teacher, { runId: (cell as any).teacher.runId, method: 'prompt', model: 'google/bert_uncased_L-4_H-256_A-4' });
    assert.deepEqual(created.training, cell.training);
    assert.deepEqual(store.get(cell.runId), created);

    const running = store.update(cell.runId, { status: 'running', versions: { adaptLab: '0.1.0', tfjs: '4.22.0', node: process.version } });
    assert.equal(running.pid, process.pid);
    assert.ok(running.startedAt);
    store.appendMetrics(cell.runId, { step: 1, loss: 0.69, lr: 1e-5 });
    store.appendMetrics(cell.runId, { step: 50, split: 'dev', accuracy: 0.8, macroF1: 0.75 });
    const predictions = [
      { index: 0, label: 'ham', predicted: 'ham', probs: [0.9, 0.1] },
      { index: 1, label: 'spam', predicted: 'ham', probs: [0.6, 0.4] },
    ];
    store.writePredictions(cell.runId, predictions);
    const done = store.update(cell.runId, {
      status: 'done', metrics: metricsFor(0.9, 0.85), labels: ['ham', 'spam'], notice: 'random init', dataHash: 'abc',
      data: { labeled: 32, unlabeled: 1000 },
    });
    assert.ok(done.finishedAt);

    assert.deepEqual(store.readMetrics(cell.runId), [
      { step: 1, loss: 0.69, lr: 1e-5 },
      { step: 50, split: 'dev', accuracy: 0.8, macroF1: 0.75 },
    ]);
    assert.deepEqual(store.readPredictions(cell.runId), predictions);
    const again = new RunStore(path.join(t.dir, 'runs')).get(cell.runId)!;
    assert.deepEqual(again, done);
    assert.equal(again.metrics!.accuracy, 0.9);
    assert.ok(store.isFinished(cell.runId));
    assert.deepEqual(store.list(), { runs: [done], problems: [] });
    // Patching a field to undefined removes it.
    assert.equal(store.update(cell.runId, { notice: undefined }).notice, undefined);
  } finally {
    t.done();
  }
});

test('list skips and reports an invalid run.json, and ignores non-run entries', () => {
  const t = tempDir();
  try {
    const { experiment, cells } = sampleGrid();
    const store = new RunStore(t.dir);
    store.create(cells[0], experiment);
    store.create(cells[1], experiment);
    writeFileSync(store.runFile(cells[1].runId), '{"id": "truncated", ');
    mkdirSync(path.join(t.dir, 'empty-folder'));
    writeFileSync(path.join(t.dir, '.lock'), '{}');
    writeFileSync(path.join(t.dir, 'notes.txt'), 'hi');
    const { runs, problems } = store.list();
    assert.deepEqual(runs.map((r) => r.id), [cells[0].runId]);
    assert.equal(problems.length, 1);
    assert.ok(problems[0] instanceof UserError);
    assert.equal(problems[0].place.file, store.runFile(cells[1].runId));
    assert.ok(problems[0].place.line);
    // A record in the wrong folder is reported too.
    const moved = JSON.parse(readFileSync(store.runFile(cells[0].runId), 'utf8'));
    writeFileSync(store.runFile(cells[1].runId), JSON.stringify(moved));
    assert.equal(store.list().problems[0].place.field, 'id');
    assert.deepEqual(new RunStore(path.join(t.dir, 'does-not-exist')).list(), { runs: [], problems: [] });
  } finally {
    t.done();
  }
});

test('resume: done is skipped; failed, cancelled, queued and interrupted runs are run again', () => {
  const t = tempDir();
  try {
    const { experiment, cells } = sampleGrid();
    const store = new RunStore(t.dir);
    const [a, b, c, d, e, f, g] = cells;
    assert.deepEqual(store.decide(a.runId), { action: 'run', reason: 'new' });

    for (const cell of [a, b, c, d, e, f, g]) store.create(cell, experiment);
    store.update(a.runId, { status: 'running' });
    store.update(a.runId, { status: 'done', metrics: metricsFor(0.9, 0.9) });
    store.update(b.runId, { status: 'running' });
    store.update(b.runId, { status: 'failed', error: 'out of memory' });
    store.update(c.runId, { status: 'cancelled' });
    forge(store, e.runId, { status: 'running', pid: deadPid() }); // its process was killed
    forge(store, f.runId, { status: 'running', pid: process.ppid }); // another live process is running it
    forge(store, g.runId, { status: 'running', pid: process.pid }); // left by an earlier grid of this same process

    const decision = (id: string) => store.decide(id).action;
    assert.equal(decision(a.runId), 'skip');
    assert.equal(store.decide(a.runId).reason, 'already done');
    assert.equal(decision(b.runId), 'run');
    assert.match(store.decide(b.runId).reason, /failed before \(out of memory\)/);
    assert.equal(decision(c.runId), 'run');
    assert.equal(decision(d.runId), 'run', 'queued');
    assert.equal(decision(e.runId), 'run');
    assert.match(store.decide(e.runId).reason, /interrupted/);
    assert.equal(decision(f.runId), 'skip');
    assert.match(store.decide(f.runId).reason, new RegExp(`process ${process.ppid}`));
    assert.equal(decision(g.runId), 'run');
    assert.ok(store.isFinished(a.runId) && !store.isFinished(b.runId) && !store.isFinished(e.runId));

    // A run this process is running right now is live, not interrupted.
    store.update(d.runId, { status: 'running' });
    assert.equal(decision(d.runId), 'skip');
    assert.throws(() => store.create(d, experiment), UserError);
    store.update(d.runId, { status: 'cancelled' });

    // A corrupt run.json is run again rather than crashing the grid.
    writeFileSync(store.runFile(c.runId), 'not json');
    assert.equal(decision(c.runId), 'run');
    assert.match(store.decide(c.runId).reason, /unreadable/);
  } finally {
    t.done();
  }
});

test('re-creating a failed run starts a clean attempt; a done run is not replaced', () => {
  const t = tempDir();
  try {
    const { experiment, cells } = sampleGrid();
    const store = new RunStore(t.dir);
    const cell = cells[0];
    store.create(cell, experiment);
    store.update(cell.runId, { status: 'running' });
    store.appendMetrics(cell.runId, { step: 1, loss: 1, lr: 0 });
    store.writePredictions(cell.runId, [{ index: 0, label: 'ham', predicted: 'ham', probs: [1, 0] }]);
    mkdirSync(store.modelDir(cell.runId));
    store.update(cell.runId, { status: 'failed', error: 'boom' });

    const second = store.create(cell, experiment);
    assert.equal(second.attempt, 2);
    assert.equal(second.status, 'queued');
    assert.equal(second.error, undefined);
    assert.deepEqual(store.readMetrics(cell.runId), []);
    assert.deepEqual(store.readPredictions(cell.runId), []);
    assert.equal(existsSync(store.modelDir(cell.runId)), false);

    store.update(cell.runId, { status: 'done', metrics: metricsFor(1, 1) });
    assert.throws(() => store.create(cell, experiment), /already done/);
    store.remove(cell.runId);
    assert.equal(store.get(cell.runId), undefined);
  } finally {
    t.done();
  }
});

test('updates are validated before they are written, and fixed fields cannot change', () => {
  const t = tempDir();
  try {
    const { experiment, cells } = sampleGrid();
    const store = new RunStore(t.dir);
    store.create(cells[0], experiment);
    const before = readFileSync(store.runFile(cells[0].runId), 'utf8');
    assert.throws(() => store.update(cells[0].runId, { status: 'done' }), (e: unknown) => e instanceof UserError && e.place.field === 'metrics');
    assert.throws(() => store.update(cells[0].runId, { id: 'x' } as never), /cannot change/);
    assert.equal(readFileSync(store.runFile(cells[0].runId), 'utf8'), before);
    assert.deepEqual(readdirSync(store.runDir(cells[0].runId)), ['run.json'], 'no temporary files left behind');
  } finally {
    t.done();
  }
});

test('a metrics line cut short by a crash is dropped; damage elsewhere is reported with its line', () => {
  const t = tempDir();
  try {
    const { experiment, cells } = sampleGrid();
    const store = new RunStore(t.dir);
    store.create(cells[0], experiment);
    writeFileSync(store.metricsFile(cells[0].runId), '{"step":1,"loss":1,"lr":0}\n{"step":2,"lo');
    assert.deepEqual(store.readMetrics(cells[0].runId), [{ step: 1, loss: 1, lr: 0 }]);
    writeFileSync(store.metricsFile(cells[0].runId), '{"step":1,"loss":1,"lr":0}\ngarbage\n{"step":3,"loss":1,"lr":0}\n');
    assert.throws(() => store.readMetrics(cells[0].runId), (e: unknown) => e instanceof UserError && e.place.line === 2);
  } finally {
    t.done();
  }
});

test('run ids are checked before they become paths; the default runs folder sits beside the experiment', () => {
  const store = new RunStore('/tmp/x');
  assert.throws(() => store.get('../../etc'), UserError);
  assert.throws(() => store.runDir('a/b'), UserError);
  assert.equal(defaultRunsDir('/p/q/sms.experiment.json'), path.resolve('/p/q/.adapt-lab/runs'));
});

test('a run this process left "running" counts as interrupted once the grid releases the folder lock', () => {
  const t = tempDir();
  try {
    const { experiment, cells } = sampleGrid();
    const store = new RunStore(t.dir);
    const lock = store.lock();
    store.create(cells[0], experiment);
    store.update(cells[0].runId, { status: 'running' });
    assert.equal(store.decide(cells[0].runId).action, 'skip', 'still running while the grid holds the lock');
    assert.throws(() => store.lock(), UserError, 'one grid per folder');
    lock.release(); // the runner threw without marking the run failed
    assert.equal(store.decide(cells[0].runId).action, 'run');
    assert.equal(store.create(cells[0], experiment).attempt, 2);
  } finally {
    t.done();
  }
});
