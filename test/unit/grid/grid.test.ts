// The grid runner end to end on tiny random BERTs with the real methods: every method kind completes and records
// a valid run; a second run skips what is done; a failing teacher fails its students but not the other cells, and
// the next run repairs both; cancellation marks the run and frees the lock; --only pulls in missing teachers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { runExperiment, type GridEvent } from '../../../src/engine/grid';
import { formatReport } from '../../../src/engine/runs/report';
import { RunStore } from '../../../src/engine/runs/store';
import { experimentJson, L_A, makeWorld, QUICK_MEASURE, writeDamagedTorchBin, writeTinyModel } from './helpers';

const CELLS = [
  'finetune__tiny-a__n8__s1',
  'finetune__tiny-b__n8__s1',
  'prompt__tiny-a__n0__s1',
  'prompt__tiny-a__n8__s1',
  'prompt__tiny-b__n0__s1',
  'prompt__tiny-b__n8__s1',
  'distill__tiny-a__n8__s1__from-finetune-tiny-b',
  'distill__tiny-a__n8__s1__from-prompt-tiny-b',
];
const TEACHERS = ['finetune__tiny-b__n8__s1', 'prompt__tiny-b__n8__s1'];

test('all four method kinds complete, each with a valid run record, predictions, metrics and costs; a second run skips them', async () => {
  const w = await makeWorld();
  try {
    const events: GridEvent[] = [];
    const result = await runExperiment(w.file, { onEvent: (e) => events.push(e), measure: QUICK_MEASURE });
    assert.equal(result.cancelled, false);
    assert.equal(result.failed, 0);
    assert.deepEqual(result.cells.map((c) => [c.cellId, c.status]), CELLS.map((id) => [id, 'done']));
    assert.deepEqual(JSON.parse(JSON.stringify(events)), events, 'events are plain JSON');

    const start = events.find((e) => e.type === 'grid-start');
    assert.ok(start && start.type === 'grid-start');
    assert.deepEqual(start.cells.map((c) => c.cellId), CELLS);
    assert.equal(events.filter((e) => e.type === 'cell-start').length, 8);
    const progress = events.filter((e) => e.type === 'progress');
    assert.ok(progress.length > 0 && progress.every((e) => e.type === 'progress' && e.step >= 1 && e.step <= e.totalSteps && Number.isFinite(e.loss)));

    const store = new RunStore(w.runsDir);
    const { runs, problems } = store.list();
    assert.deepEqual(problems, []);
    assert.equal(runs.length, 8);
    for (const run of runs) {
      assert.equal(run.status, 'done', run.id);
      assert.equal(run.attempt, 1);
      assert.deepEqual(run.labels, ['ham', 'spam']);
      assert.equal(run.metrics!.confusion.matrix.flat().reduce((a, b) => a + b, 0), 20, 'all 20 test examples are counted');
      const c = run.cost!;
      for (const key of ['params', 'nonEmbeddingParams', 'inferFlopsPerExample', 'latencyMsP50', 'latencyMsP95', 'throughputPerS', 'trainSeconds', 'peakMemoryMB'] as const) {
        assert.ok(typeof c[key] === 'number' && c[key]! > 0, `${run.id}: cost.${key} = ${c[key]}`);
      }
      assert.ok(c.latencyMsP95! >= c.latencyMsP50!);
      assert.equal(c.backend, result.backend.name);
      assert.equal(c.trainFlops! > 0, run.trainSize !== 0, `${run.id}: training FLOPs only when trained`);
      assert.match(run.dataHash!, /^[0-9a-f]{64}$/);
      assert.equal((run.versions as unknown as { backend: string }).backend, result.backend.name);
      assert.equal(run.notice, undefined, 'local models: no notice');
      const preds = store.readPredictions(run.id);
      assert.equal(preds.length, 20);
      assert.ok(preds.every((p) => ['ham', 'spam'].includes(p.predicted) && Math.abs(p.probs[0] + p.probs[1] - 1) < 1e-5));
      const acc = preds.filter((p) => p.label === p.predicted).length / 20;
      assert.equal(run.metrics!.accuracy, acc, 'metrics are those of predictions.jsonl');
      const log = store.readMetrics(run.id);
      assert.deepEqual(log.at(-1), { step: log.at(-1)!.step, split: 'test', accuracy: acc, macroF1: run.metrics!.macroF1 });
      if (run.trainSize !== 0) assert.ok(log.some((m) => 'loss' in m), `${run.id}: training steps are logged`);
      const isTeacher = TEACHERS.some((t) => run.id.startsWith(t + '__'));
      assert.equal(existsSync(path.join(store.modelDir(run.id), 'adapt-lab.json')), isTeacher, `${run.id}: model saved only for teachers`);
    }
    const distilled = runs.filter((r) => r.method === 'distill');
    assert.equal(distilled.length, 2);
    for (const r of distilled) {
      assert.equal(r.data!.labeled, 8);
      assert.equal(r.data!.unlabeled, 12, 'unlabeledCap examples of the 22-row pool');
    }
    const zeroShot = runs.find((r) => r.cellId === 'prompt__tiny-a__n0__s1')!;
    assert.deepEqual(zeroShot.data, { labeled: 0, unlabeled: 0 });
    const report = formatReport(result.runs);
    assert.match(report, /distill +finetune:tiny-b +tiny-a +8 +1/);
    assert.doesNotMatch(report, /NOTICE/);

    const before = readFileSync(store.runFile(runs[0].id), 'utf8');
    const again: GridEvent[] = [];
    const second = await runExperiment(w.file, { onEvent: (e) => again.push(e), measure: QUICK_MEASURE });
    assert.deepEqual(second.cells.map((c) => c.status), CELLS.map(() => 'skipped'));
    assert.equal(again.filter((e) => e.type === 'cell-start').length, 0);
    assert.equal(readFileSync(store.runFile(runs[0].id), 'utf8'), before, 'a done run is not touched');
    assert.equal(existsSync(path.join(w.runsDir, '.lock')), false, 'the lock is released');

    // A student to redo whose finished teacher lost its saved model: the teacher is trained again first.
    const teacher = runs.find((r) => r.cellId === 'finetune__tiny-b__n8__s1')!;
    const student = runs.find((r) => r.cellId === 'distill__tiny-a__n8__s1__from-finetune-tiny-b')!;
    rmSync(store.modelDir(teacher.id), { recursive: true });
    store.remove(student.id);
    const logs: string[] = [];
    const third = await runExperiment(w.file, { only: 'from-finetune', measure: QUICK_MEASURE, onEvent: (e) => e.type === 'log' && logs.push(e.message) });
    assert.deepEqual(third.cells.map((c) => [c.cellId, c.status]), [['finetune__tiny-b__n8__s1', 'done'], ['distill__tiny-a__n8__s1__from-finetune-tiny-b', 'done']]);
    assert.ok(logs.some((l) => l.includes('its model was not saved and a distillation needs it')));
    assert.ok(existsSync(path.join(store.modelDir(teacher.id), 'adapt-lab.json')));
  } finally {
    w.dispose();
  }
});

test('a failing teacher fails its students with a message naming it, the other cells run, and the next run repairs both', async () => {
  const w = await makeWorld();
  try {
    // Weights that cannot be read: found only when a cell loads them, not by the checks before training (which
    // read headers, and a damaged header would be refused up front): a pytorch_model.bin whose data.pkl is sound
    // but one of whose storages is shorter than data.pkl says.
    writeDamagedTorchBin(path.join(w.dir, 'tiny-b'));
    const result = await runExperiment(w.file, { measure: QUICK_MEASURE });
    const status = Object.fromEntries(result.cells.map((c) => [c.cellId, c.status]));
    assert.deepEqual(status, {
      'finetune__tiny-a__n8__s1': 'done',
      'finetune__tiny-b__n8__s1': 'failed',
      'prompt__tiny-a__n0__s1': 'done',
      'prompt__tiny-a__n8__s1': 'done',
      'prompt__tiny-b__n0__s1': 'failed',
      'prompt__tiny-b__n8__s1': 'failed',
      'distill__tiny-a__n8__s1__from-finetune-tiny-b': 'failed',
      'distill__tiny-a__n8__s1__from-prompt-tiny-b': 'failed',
    });
    assert.equal(result.failed, 5);
    const store = new RunStore(w.runsDir);
    const teacher = result.cells.find((c) => c.cellId === 'finetune__tiny-b__n8__s1')!;
    assert.match(store.get(teacher.runId)!.error!, /pytorch_model\.bin: storage 0 should hold \d+ × F32 but has \d+ bytes/);
    const student = store.get(result.cells.find((c) => c.cellId.startsWith('distill__tiny-a__n8__s1__from-finetune'))!.runId)!;
    assert.equal(student.status, 'failed');
    assert.ok(student.error!.includes(`its teacher run ${teacher.runId} failed`), student.error);
    assert.match(formatReport(result.runs), /Not in the table: 5 failed\./);

    await writeTinyModel(path.join(w.dir, 'tiny-b'), 2);
    const repaired = await runExperiment(w.file, { measure: QUICK_MEASURE });
    assert.equal(repaired.failed, 0);
    assert.deepEqual(repaired.cells.filter((c) => c.status === 'done').map((c) => c.cellId).sort(), Object.keys(status).filter((k) => status[k] === 'failed').sort());
    assert.equal(repaired.cells.filter((c) => c.status === 'skipped').length, 3);
    assert.equal(store.get(student.id)!.attempt, 2);
  } finally {
    w.dispose();
  }
});

test('cancelling marks the current run cancelled, stops the grid and frees the lock; the next run re-runs it', async () => {
  const w = await makeWorld(experimentJson({ methods: ['finetune'], training: { finetune: { maxSteps: 40, batchSize: 4, maxLength: 32 } } }));
  try {
    const controller = new AbortController();
    const result = await runExperiment(w.file, {
      signal: controller.signal,
      measure: QUICK_MEASURE,
      onEvent: (e) => {
        if (e.type === 'progress' && e.step === 2) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.cells.map((c) => [c.cellId, c.status]), [['finetune__tiny-a__n8__s1', 'cancelled']], 'the second cell never starts');
    const store = new RunStore(w.runsDir);
    const run = store.get(result.cells[0].runId)!;
    assert.equal(run.status, 'cancelled');
    assert.equal(run.error, undefined);
    assert.ok(store.readMetrics(run.id).filter((m) => 'loss' in m).length < 40);
    assert.equal(existsSync(path.join(w.runsDir, '.lock')), false);

    const again = await runExperiment(w.file, { measure: QUICK_MEASURE });
    assert.deepEqual(again.cells.map((c) => c.status), ['done', 'done']);
    assert.equal(store.get(run.id)!.attempt, 2);
  } finally {
    w.dispose();
  }
});

test('--only selects cells by id and adds the unfinished teachers they need', async () => {
  const w = await makeWorld();
  try {
    const result = await runExperiment(w.file, { only: 'from-prompt', measure: QUICK_MEASURE });
    assert.deepEqual(result.cells.map((c) => [c.cellId, c.status]), [
      ['prompt__tiny-b__n8__s1', 'done'],
      ['distill__tiny-a__n8__s1__from-prompt-tiny-b', 'done'],
    ]);
    await assert.rejects(runExperiment(w.file, { only: 'no-such-cell' }), (e: unknown) => e instanceof UserError && e.place.field === '--only');
  } finally {
    w.dispose();
  }
});

test('dry run: an estimate per cell, nothing trained or written', async () => {
  const w = await makeWorld();
  try {
    const result = await runExperiment(w.file, { dryRun: true });
    const est = result.dryRun!;
    assert.ok(est.gflops > 0);
    assert.match(est.how, /GFLOP\/s/);
    assert.deepEqual(est.estimates.map((e) => e.cellId), CELLS);
    for (const e of est.estimates) {
      assert.equal(e.action, 'run');
      assert.equal(e.trainFlops > 0, !e.cellId.includes('__n0__'), e.cellId);
      assert.ok(e.evalFlops > 0 && e.seconds > 0);
    }
    const [ft, , , prompt] = est.estimates;
    assert.ok(prompt.trainFlops > 2 * ft.trainFlops, 'two pattern models (and PET\'s auxiliary MLM) cost more than one classifier');
    assert.deepEqual(readdirSync(w.runsDir), []);
  } finally {
    w.dispose();
  }
});

test('problems found before training: nothing is run', async () => {
  const w = await makeWorld();
  try {
    writeFileSync(path.join(w.dir, 'spam.prompt.json'), JSON.stringify({ patterns: ['{text} It was [MASK].'], verbalizer: { ham: 'fine', spam: 'spammy' } }));
    await assert.rejects(runExperiment(w.file), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.place.field, 'verbalizer.spam');
      return true;
    });
    w.writeExperiment(experimentJson({ trainSizes: [8, 31] }));
    await assert.rejects(runExperiment(w.file), (e: unknown) => e instanceof UserError && e.place.field === 'trainSizes' && /larger than the 30/.test(e.message));
    w.writeExperiment(experimentJson({ methods: ['finetune'], training: { finetune: { maxLength: 128 } } }));
    await assert.rejects(runExperiment(w.file), (e: unknown) => e instanceof UserError && e.place.field === 'training.finetune.maxLength');
    assert.deepEqual(readdirSync(w.runsDir), []);
  } finally {
    w.dispose();
  }
});

test('a compact BERT that cannot be had runs as a random-init model when allowed, and the report says so', async () => {
  const L2 = 'google/bert_uncased_L-2_H-128_A-2';
  const w = await makeWorld(experimentJson({
    models: [L2, L_A], methods: ['finetune'], trainSizes: [8], allowRandomInit: true,
    training: { finetune: { maxSteps: 2, batchSize: 4, maxLength: 32 } },
  }));
  try {
    const cacheDir = path.join(w.dir, 'empty-hub-cache');
    const result = await runExperiment(w.file, { measure: QUICK_MEASURE, resolve: { offline: true, cacheDir, env: {} } });
    assert.equal(result.failed, 0);
    const [random, local] = result.runs;
    assert.equal(random.model, L2);
    assert.match(random.notice!, /RANDOM WEIGHTS, NOT PRE-TRAINED.*demonstrate the workflow, not the methods.*huggingface-cli download google\/bert_uncased_L-2_H-128_A-2/);
    assert.equal(random.cost!.params, 4386178, 'BERT-tiny with a pooler and a 2-class head');
    assert.equal(local.notice, undefined);
    const report = formatReport(result.runs);
    assert.match(report, /!! NOTICE: RANDOM WEIGHTS[^]*?\(1 of 2 runs\)/);

    w.writeExperiment(experimentJson({ models: [L2], methods: ['finetune'], trainSizes: [8] }));
    await assert.rejects(runExperiment(w.file, { resolve: { offline: true, cacheDir, env: {} } }), (e: unknown) => e instanceof UserError && /not in the Hugging Face cache/.test(e.message));
  } finally {
    w.dispose();
  }
});
