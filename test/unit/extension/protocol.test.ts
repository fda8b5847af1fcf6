// The worker protocol's run-time checks: valid messages pass unchanged (after a JSON round trip, as over IPC),
// invalid ones are refused with the path of the first bad field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostMessage, parseWorkerMessage, ProtocolError, type HostMessage, type WorkerMessage } from '../../../src/engine/worker/protocol';

const roundTrip = (m: unknown) => JSON.parse(JSON.stringify(m));

test('every kind of host message survives the trip and the check unchanged', () => {
  const messages: HostMessage[] = [
    { type: 'cancel' },
    { type: 'start', job: { kind: 'run', experimentFile: '/w/a.experiment.json', only: 'finetune' } },
    { type: 'start', job: { kind: 'estimate', experimentFile: '/w/a.experiment.json', runsDir: '/w/runs' } },
    { type: 'start', job: { kind: 'preview', templateFile: '/w/t.prompt.json', model: 'm', data: { file: '/w/d.jsonl', textField: 'text', labelField: 'label' }, rows: 8, maxLength: 128 } },
    { type: 'start', job: { kind: 'zero-shot-accuracy', templateFile: '/w/t.prompt.json', model: 'm', data: { file: '/w/dev.csv', textField: 'sentence', textPairField: 'q', labelField: 'y' }, maxLength: 64 } },
    { type: 'start', job: { kind: 'predict', modelDirs: ['/r/model'], rows: [{ text: 'a' }, { text: 'b', textPair: 'c' }] } },
  ];
  for (const m of messages) assert.deepEqual(parseHostMessage(roundTrip(m)), m);
});

test('every kind of worker message survives the trip and the check unchanged', () => {
  const cell = { cellId: 'finetune__m__n8__s1', runId: 'finetune__m__n8__s1__abcd1234' };
  const messages: WorkerMessage[] = [
    { type: 'ready', pid: 42, node: 'v20.20.0' },
    { type: 'grid', event: { type: 'grid-start', experiment: 'x', runsDir: '/r', backend: 'wasm', threads: 2, cells: [{ ...cell, method: 'finetune', model: 'm', trainSize: 8, seed: 1 }, { ...cell, method: 'prompt', model: 'm', trainSize: 'all', seed: 2 }] } },
    { type: 'grid', event: { type: 'cell-start', index: 0, total: 2, ...cell, attempt: 1 } },
    { type: 'grid', event: { type: 'progress', index: 0, ...cell, step: 3, totalSteps: 10, loss: 0.25 } },
    { type: 'grid', event: { type: 'cell-end', index: 0, total: 2, ...cell, status: 'done', accuracy: 0.9, macroF1: 0.8, trainFlops: 1e12, auxiliaryInferenceFlops: 0, steps: 10, trainSeconds: 3, seconds: 4 } },
    { type: 'grid', event: { type: 'cell-end', index: 1, total: 2, ...cell, status: 'failed', reason: 'x.jsonl:3: bad. Fix it.' } },
    { type: 'grid', event: { type: 'log', level: 'warn', message: 'w', cellId: 'c' } },
    { type: 'grid', event: { type: 'grid-end', done: 1, skipped: 0, failed: 1, cancelled: false } },
    { type: 'log', level: 'info', message: 'backend: wasm' },
    { type: 'progress', done: 1, total: 3, message: 'pattern 2 of 3' },
    { type: 'result', result: { kind: 'run', runsDir: '/r', cells: [{ ...cell, status: 'cancelled' }], cancelled: true, failed: 0 } },
    { type: 'result', result: { kind: 'estimate', runsDir: '/r', backend: 'wasm', gflops: 3.5, how: 'measured', estimates: [{ ...cell, action: 'skip', reason: 'already done', trainFlops: 1, evalFlops: 2, seconds: 0.5 }] } },
    { type: 'result', result: { kind: 'preview', backend: 'wasm', model: 'm', labels: ['ham', 'spam'], patterns: ['{text} [MASK]'], rows: [{ line: 1, text: 't', label: 'ham', probs: [0.75, 0.25], patternProbs: [[0.75, 0.25]] }], notice: 'n' } },
    { type: 'result', result: { kind: 'zero-shot-accuracy', backend: 'cpu', model: 'm', labels: ['a', 'b'], count: 10, accuracy: 0.5, macroF1: 0.4 } },
    { type: 'result', result: { kind: 'predict', backend: 'cpu', models: [{ dir: '/r/model', labels: ['a', 'b'], probs: [[0.5, 0.5]] }] } },
    { type: 'failed', error: { text: 'a.json:2: bad. Fix.', user: true, file: 'a.json', line: 2, field: 'x' }, cancelled: false },
  ];
  for (const m of messages) assert.deepEqual(parseWorkerMessage(roundTrip(m)), m);
});

test('a NaN loss (null after JSON) is accepted as NaN, since a diverging run is not a protocol error', () => {
  const m = parseWorkerMessage(roundTrip({ type: 'grid', event: { type: 'progress', index: 0, cellId: 'c', runId: 'r', step: 1, totalSteps: 2, loss: NaN } }));
  assert.ok(m.type === 'grid' && m.event.type === 'progress' && Number.isNaN(m.event.loss));
});

test('invalid messages are refused with the path of the first bad field', () => {
  const bad: Array<[unknown, string]> = [
    [null, 'message: expected an object'],
    [{ type: 'hello' }, 'type: expected one of'],
    [{ type: 'ready', pid: 0, node: 'v' }, 'pid: expected a number ≥ 1'],
    [{ type: 'grid', event: { type: 'grid-start', experiment: 'x', runsDir: '/r', backend: 'b', threads: 1, cells: [{ cellId: 'c', runId: 'r', method: 'train', model: 'm', trainSize: 1, seed: 1 }] } }, 'event.cells[0].method: expected one of finetune, prompt, distill'],
    [{ type: 'grid', event: { type: 'progress', index: 0, cellId: 'c', runId: 'r', step: 1.5, totalSteps: 2, loss: 1 } }, 'event.step: expected a whole number'],
    [{ type: 'result', result: { kind: 'preview', backend: 'b', model: 'm', labels: ['a', 'b'], patterns: ['p'], rows: [{ line: 1, text: 't', probs: [1], patternProbs: [[0.5, 0.5]] }] } }, 'result.rows[0].probs: expected 2 probabilities'],
    [{ type: 'result', result: { kind: 'preview', backend: 'b', model: 'm', labels: ['a'], patterns: ['p', 'q'], rows: [{ line: 1, text: 't', probs: [1], patternProbs: [[1]] }] } }, 'result.rows[0].patternProbs: expected one entry per pattern'],
    [{ type: 'failed', error: { text: 'x' }, cancelled: false }, 'error.user: expected true or false'],
  ];
  for (const [value, expected] of bad) {
    assert.throws(() => parseWorkerMessage(value), (e: unknown) => e instanceof ProtocolError && e.message.startsWith(expected), expected);
  }
  assert.throws(() => parseHostMessage({ type: 'start', job: { kind: 'preview', templateFile: 't', model: 'm', data: { file: 'd' }, rows: 8, maxLength: 64 } }),
    /job\.data\.textField: expected a string/);
  assert.throws(() => parseHostMessage({ type: 'start', job: { kind: 'predict', modelDirs: ['d'], rows: [{ text: 1 }] } }), /job\.rows\[0\]\.text: expected a string/);
});
