// The worker's jobs for the editor beyond grids: zero-shot previews of a template, its zero-shot accuracy, and
// predictions of a finished run's saved model (the active-learning helper) — each checked against an independent
// computation of the same numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunStore } from '../../../src/engine/runs/store';
import type { JobRequest, JobResult } from '../../../src/engine/worker/protocol';
import { WorkerProcess } from '../../../src/extension/jobs/worker-process';
import { fixtureModel, makeWorld, sourceWorker } from './helpers';

async function run<K extends JobRequest['kind']>(job: Extract<JobRequest, { kind: K }>): Promise<Extract<JobResult, { kind: K }>> {
  const outcome = await new WorkerProcess(sourceWorker(), job).done;
  if (outcome.kind !== 'result' || outcome.result.kind !== job.kind) throw new Error(JSON.stringify(outcome));
  return outcome.result as Extract<JobResult, { kind: K }>;
}

const softmax = (x: number[]) => {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

test('a zero-shot preview gives each pattern\'s probabilities and their ensemble, and the accuracy job agrees with it', async () => {
  const world = makeWorld();
  try {
    const data = { file: path.join(world.dir, 'test.jsonl'), textField: 'text', labelField: 'label' };
    const preview = await run({ kind: 'preview', templateFile: world.templateFile, model: fixtureModel, data, rows: 100, maxLength: 64 });
    assert.deepEqual(preview.labels, ['ham', 'spam']);
    assert.equal(preview.patterns.length, 2);
    assert.equal(preview.rows.length, 12, 'all 12 rows (fewer than asked for)');
    assert.deepEqual(preview.rows.map((r) => r.line), Array.from({ length: 12 }, (_, i) => i + 1));
    for (const r of preview.rows) {
      assert.ok(Math.abs(r.probs[0] + r.probs[1] - 1) < 1e-5);
      // Zero-shot patterns are weighted equally and PET averages logits: the ensemble is the softmax of the mean
      // log-probability over patterns (each pattern's log-softmax differs from its logits by a constant).
      const meanLog = [0, 1].map((c) => (Math.log(r.patternProbs[0][c]) + Math.log(r.patternProbs[1][c])) / 2);
      const expected = softmax(meanLog);
      assert.ok(Math.abs(expected[0] - r.probs[0]) < 1e-4, `${expected} vs ${r.probs}`);
    }
    const accuracy = await run({ kind: 'zero-shot-accuracy', templateFile: world.templateFile, model: fixtureModel, data, maxLength: 64 });
    const correct = preview.rows.filter((r) => preview.labels[r.probs[0] >= r.probs[1] ? 0 : 1] === r.label).length;
    assert.equal(accuracy.count, 12);
    assert.ok(Math.abs(accuracy.accuracy - correct / 12) < 1e-12, `${accuracy.accuracy} vs ${correct}/12`);
  } finally {
    world.dispose();
  }
});

test('a finished run\'s saved model predicts what the run recorded for its test set', async () => {
  const world = makeWorld(2);
  try {
    const experiment = JSON.parse(readFileSync(world.experimentFile, 'utf8'));
    writeFileSync(world.experimentFile, JSON.stringify({ ...experiment, saveModels: true }));
    const grid = await run({ kind: 'run', experimentFile: world.experimentFile });
    const runId = grid.cells[0].runId;
    const store = new RunStore(world.runsDir);
    const recorded = store.readPredictions(runId);
    const rows = readFileSync(path.join(world.dir, 'test.jsonl'), 'utf8').trim().split('\n').map((l) => ({ text: JSON.parse(l).text as string }));
    const predicted = await run({ kind: 'predict', modelDirs: [store.modelDir(runId)], rows });
    assert.equal(predicted.models.length, 1);
    assert.deepEqual(predicted.models[0].labels, store.get(runId)!.labels);
    assert.equal(predicted.models[0].probs.length, rows.length);
    predicted.models[0].probs.forEach((p, i) => {
      for (let c = 0; c < p.length; c++) assert.ok(Math.abs(p[c] - recorded[i].probs[c]) < 1e-5, `row ${i}`);
    });
  } finally {
    world.dispose();
  }
});

test('a template that does not fit the data is refused with the template\'s place, before any model is loaded', async () => {
  const world = makeWorld();
  try {
    writeFileSync(world.templateFile, JSON.stringify({ patterns: ['{text} [MASK] {text_pair}'], verbalizer: { ham: 'normal', spam: 'junk' } }));
    const outcome = await new WorkerProcess(sourceWorker(), {
      kind: 'preview', templateFile: world.templateFile, model: fixtureModel, data: { file: path.join(world.dir, 'test.jsonl'), textField: 'text' }, rows: 4, maxLength: 64,
    }).done;
    assert.equal(outcome.kind, 'failed');
    if (outcome.kind === 'failed') {
      assert.equal(outcome.error.file, world.templateFile);
      assert.equal(outcome.error.field, 'patterns[0]');
      assert.match(outcome.error.text, /uses \{text_pair\}, but the data .* has no second text/);
    }
  } finally {
    world.dispose();
  }
});
