// The run catalog: runs folders beside experiments and configured ones, teachers among the runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeRun, listRuns, runsFolders, teacherCandidates } from '../../../src/extension/runs/catalog';

function writeRun(runsDir: string, id: string, fields: Record<string, unknown>, saved = false): void {
  const dir = path.join(runsDir, id);
  mkdirSync(dir, { recursive: true });
  const now = new Date(0).toISOString();
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ id, cellId: id, experiment: 'x', method: 'finetune', model: 'm', trainSize: 8, seed: 1, training: {}, status: 'queued', attempt: 1, createdAt: now, updatedAt: now, ...fields }));
  if (saved) {
    mkdirSync(path.join(dir, 'model'));
    writeFileSync(path.join(dir, 'model', 'adapt-lab.json'), '{}');
  }
}

const metrics = { accuracy: 0.875, macroF1: 0.8, perClass: {}, confusion: { labels: [], matrix: [] } };

test('runs are listed from every runs folder once; teachers are done finetune or prompt runs with a saved model', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'adapt-lab-catalog-'));
  try {
    const runsDir = path.join(root, '.adapt-lab', 'runs');
    writeRun(runsDir, 'a', { status: 'done', metrics }, true);
    writeRun(runsDir, 'b', { status: 'done', metrics }, false);
    writeRun(runsDir, 'c', { status: 'failed', error: 'boom' }, true);
    writeRun(runsDir, 'd', { status: 'done', metrics, method: 'distill', teacher: { runId: 'a' } }, true);
    writeRun(runsDir, 'e', { status: 'done', metrics, method: 'prompt', zeroShot: true, trainSize: 0 }, true);
    mkdirSync(path.join(runsDir, 'broken'));
    writeFileSync(path.join(runsDir, 'broken', 'run.json'), '{"id": "broken"}');
    const folders = runsFolders([path.join(root, 'x.experiment.json'), path.join(root, 'y.experiment.json')], [runsDir]);
    assert.deepEqual(folders, [runsDir]);
    const { entries, problems } = listRuns(folders);
    assert.deepEqual(entries.map((e) => e.run.id), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /broken\/run\.json/);
    assert.deepEqual(teacherCandidates(entries).map((e) => e.run.id), ['a'], 'not b (no model), c (failed), d (distill), e (zero-shot)');
    assert.deepEqual(describeRun(entries[0].run), { label: 'finetune · m', description: '8 labeled · seed 1 · accuracy 87.5%, macro-F1 80.0%', detail: 'x — a' });
    assert.equal(describeRun(entries[4].run).label, 'prompt (zero-shot) · m');
    assert.match(describeRun(entries[2].run).detail, /— boom$/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
