import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../src/engine/errors';
import { parseRunRecord, validateRunRecord } from '../../../src/engine/runs/record';
import { doneRun } from './helpers';

const FILE = '/runs/x/run.json';
const valid = () => JSON.parse(JSON.stringify(doneRun({ method: 'prompt', model: 'm', trainSize: 32, seed: 1 })));

function rejects(change: (r: any) => void, field: string) {
  const r = valid();
  change(r);
  assert.throws(() => validateRunRecord(r, FILE), (e: unknown) => {
    assert.ok(e instanceof UserError, String(e));
    assert.equal(e.place.file, FILE);
    assert.equal(e.place.field, field);
    return true;
  }, field);
}

test('a valid record passes and keeps unknown fields (written by a newer version)', () => {
  const r = { ...valid(), futureField: { x: 1 } };
  assert.equal(validateRunRecord(r, FILE), r);
  assert.deepEqual((validateRunRecord(r, FILE) as any).futureField, { x: 1 });
});

test('each invalid field is reported with the file and field', () => {
  rejects((r) => { delete r.id; }, 'id');
  rejects((r) => { r.status = 'finished'; }, 'status');
  rejects((r) => { r.method = 'pet'; }, 'method');
  rejects((r) => { r.trainSize = -3; }, 'trainSize');
  rejects((r) => { r.seed = 'one'; }, 'seed');
  rejects((r) => { r.attempt = 0; }, 'attempt');
  rejects((r) => { r.pid = -1; }, 'pid');
  rejects((r) => { delete r.metrics; }, 'metrics');
  rejects((r) => { r.metrics.accuracy = 1.2; }, 'metrics.accuracy');
  rejects((r) => { r.metrics.perClass.ham.support = 1.5; }, 'metrics.perClass.ham.support');
  rejects((r) => { r.metrics.confusion.matrix = [[1, 2]]; }, 'metrics.confusion.matrix');
  rejects((r) => { r.cost = { backend: 'wasm', params: 'many' }; }, 'cost.params');
  rejects((r) => { r.method = 'distill'; }, 'teacher');
  rejects((r) => { r.teacher = { method: 'prompt' }; }, 'teacher.runId');
  rejects((r) => { r.versions = { adaptLab: '0.1.0', tfjs: 4 }; }, 'versions.tfjs');
  rejects((r) => { r.data = { labeled: 10 }; }, 'data.unlabeled');
  rejects((r) => { r.notice = 7; }, 'notice');
});

test('a queued run needs no metrics; unmeasured costs may be null', () => {
  const r = { ...valid(), status: 'queued', metrics: undefined };
  delete r.metrics;
  validateRunRecord(r, FILE);
  validateRunRecord({ ...valid(), cost: { params: null, nonEmbeddingParams: null, trainFlops: null, inferFlopsPerExample: null, latencyMsP50: null, latencyMsP95: null, throughputPerS: null, trainSeconds: null, peakMemoryMB: null, backend: 'cpu' } }, FILE);
});

test('parsed from text, errors carry the line of the bad field', () => {
  const r = valid();
  r.status = 'finished';
  const text = JSON.stringify(r, null, 2);
  const line = text.split('\n').findIndex((l) => l.includes('"status"')) + 1;
  assert.throws(() => parseRunRecord(text, FILE), (e: unknown) => e instanceof UserError && e.place.line === line && e.place.field === 'status');
  assert.throws(() => parseRunRecord(text.slice(0, 40), FILE), (e: unknown) => e instanceof UserError && e.place.file === FILE);
});
