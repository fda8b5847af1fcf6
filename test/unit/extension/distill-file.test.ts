// The knowledge-distillation flow's experiment file: written beside the teacher's experiment, it names the finished
// teacher run, and the worker trains the student from it; a second student is added to the same file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseExperiment } from '../../../src/engine/experiment/schema';
import { RunStore } from '../../../src/engine/runs/store';
import type { RunRecord } from '../../../src/engine/runs/record';
import { distillFile } from '../../../src/extension/distill/distill-file';
import { WorkerProcess } from '../../../src/extension/jobs/worker-process';
import { fixtureModel, makeWorld, sourceWorker } from './helpers';

test('the distill file names the teacher run, keeps its data, budget and seed, and trains the student', async () => {
  const world = makeWorld(2);
  try {
    // Teachers of a distillation need their model saved.
    const teacherText = JSON.stringify({ ...JSON.parse(readFileSync(world.experimentFile, 'utf8')), saveModels: true, training: { finetune: { maxSteps: 2, batchSize: 4, maxLength: 32 }, distill: { maxLength: 32, batchSize: 4, unlabeledCap: 6 } } });
    writeFileSync(world.experimentFile, teacherText);
    const teacherOutcome = await new WorkerProcess(sourceWorker(), { kind: 'run', experimentFile: world.experimentFile }).done;
    assert.equal(teacherOutcome.kind, 'result');
    const store = new RunStore(world.runsDir);
    const saved = store.list().runs[0] as RunRecord & { experimentFile: string };
    assert.equal(saved.status, 'done');
    assert.equal(saved.experimentFile, world.experimentFile);

    const unlabeled = path.join(world.dir, 'train.jsonl');
    const first = distillFile({ teacher: saved, student: fixtureModel, unlabeled, temperature: 3, epochs: 1 }, readFileSync(world.experimentFile, 'utf8'));
    assert.equal(path.dirname(first.file), world.dir);
    assert.equal(path.basename(first.file), `tiny.kd-${saved.cellId}.experiment.json`);
    const doc = JSON.parse(first.text);
    assert.deepEqual(doc.methods, [{ distill: { teacherRunId: saved.id, student: { model: fixtureModel }, temperature: 3, training: { epochs: 1 } } }]);
    assert.deepEqual(doc.trainSizes, [8]);
    assert.deepEqual(doc.seeds, [1]);
    assert.equal(doc.dataset.unlabeled, 'train.jsonl');
    assert.deepEqual(doc.training, { distill: { maxLength: 32, batchSize: 4, unlabeledCap: 6 } });
    assert.equal(doc.saveModels, true, 'the student is saved, to be exported');
    const parsed = parseExperiment(first.text, first.file, { checkFiles: true });
    assert.equal(parsed.methods[0].method, 'distill');
    writeFileSync(first.file, first.text);

    const outcome = await new WorkerProcess(sourceWorker(), { kind: 'run', experimentFile: first.file }).done;
    assert.equal(outcome.kind, 'result', JSON.stringify(outcome));
    if (outcome.kind !== 'result' || outcome.result.kind !== 'run') return;
    assert.deepEqual(outcome.result.cells.map((c) => c.status), ['done']);
    const student = store.get(outcome.result.cells[0].runId)!;
    assert.equal(student.method, 'distill');
    assert.equal(student.teacher?.runId, saved.id);
    assert.equal((student.training as { temperature: number }).temperature, 3);
    assert.ok(readFileSync(path.join(store.modelDir(student.id), 'adapt-lab.json'), 'utf8').includes('"distill"'));

    // A second student goes into the same file; the same student again is not duplicated.
    const second = distillFile({ teacher: saved, student: './other-model', temperature: 2, epochs: 2 }, readFileSync(world.experimentFile, 'utf8'), first.text);
    assert.equal(second.file, first.file);
    assert.equal(second.added, true);
    assert.deepEqual(JSON.parse(second.text).models, [fixtureModel, './other-model']);
    assert.equal(JSON.parse(second.text).methods.length, 2);
    const again = distillFile({ teacher: saved, student: fixtureModel, temperature: 4, epochs: 1 }, readFileSync(world.experimentFile, 'utf8'), second.text);
    assert.equal(again.added, false);
    assert.equal(JSON.parse(again.text).methods.length, 2);
    assert.equal(JSON.parse(again.text).methods[0].distill.temperature, 4);
  } finally {
    world.dispose();
  }
});
