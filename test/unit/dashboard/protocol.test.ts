import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHostMessage, checkRunSummary, checkViewMessage, MessageError } from '../../../webview/dashboard/protocol';
import { toSummary } from '../../../src/extension/dashboard/summaries';
import { run, SMALL } from '../analysis/helpers';

const summary = () => toSummary(run({ method: 'finetune', model: SMALL, trainSize: 10, seed: 1, accuracy: 0.8, notice: 'random init' }), '/ws/runs/a');

const rejects = (f: () => unknown, at: RegExp) => assert.throws(f, (e: unknown) => e instanceof MessageError && at.test(e.message), String(at));

test('a valid runs message passes, keeping only known fields', () => {
  const s = { ...summary(), extra: '<img src=x onerror=alert(1)>' };
  const m = checkHostMessage({ type: 'runs', runs: [s], problems: ['p'], folders: ['/ws/runs'], focus: { runRef: '/ws/runs/a' } });
  assert.equal(m.type, 'runs');
  if (m.type !== 'runs') return;
  assert.equal(m.runs[0].notice, 'random init');
  assert.equal(Object.hasOwn(m.runs[0], 'extra'), false, 'unknown fields are not carried into the UI');
  assert.deepEqual(m.focus, { runRef: '/ws/runs/a' });
});

test('bad fields are named by their path', () => {
  const s = summary();
  rejects(() => checkHostMessage({ type: 'runs', runs: [s, { ...s, method: 'magic' }], problems: [], folders: [] }), /^runs\[1\]\.method: expected one of finetune, prompt, distill/);
  rejects(() => checkHostMessage({ type: 'runs', runs: [{ ...s, metrics: { accuracy: 1.5, macroF1: 0.5 } }], problems: [], folders: [] }), /^runs\[0\]\.metrics\.accuracy: expected a number ≥ 0 ≤ 1/);
  rejects(() => checkHostMessage({ type: 'runs', runs: [{ ...s, cost: { ...s.cost, latencyMsP50: 'fast' } }], problems: [], folders: [] }), /^runs\[0\]\.cost\.latencyMsP50/);
  rejects(() => checkHostMessage({ type: 'runs', runs: [{ ...s, trainSize: -1 }], problems: [], folders: [] }), /^runs\[0\]\.trainSize/);
  rejects(() => checkHostMessage({ type: 'runs', runs: 'all', problems: [], folders: [] }), /^runs: expected a list/);
  rejects(() => checkHostMessage({ type: 'hello' }), /^type: expected runs, focus/);
  rejects(() => checkHostMessage(null), /^message: expected an object, found null/);
  rejects(() => checkRunSummary({ ...s, teacher: { runId: 't', method: 'distill' } }, 'r'), /^r\.teacher\.method/);
});

test('detail and comparison answers are checked to their leaves', () => {
  const s = summary();
  const detail = { summary: s, training: [['learningRate', '0.0001']], facts: [], log: [{ step: 1, loss: 0.5, lr: 1e-4 }, { step: 2, split: 'dev', accuracy: 0.7, macroF1: 0.6 }], confusion: { labels: ['a', 'b'], matrix: [[1, 2], [3, 4]] }, perClass: { __proto__x: { precision: 1, recall: 1, f1: 1, support: 3 } } };
  const ok = checkHostMessage({ type: 'detail', requestId: 3, details: [detail] });
  assert.equal(ok.type === 'detail' && ok.details[0].log.length, 2);
  rejects(() => checkHostMessage({ type: 'detail', requestId: 3, details: [{ ...detail, confusion: { labels: ['a', 'b'], matrix: [[1, 2], [3]] } }] }), /^details\[0\]\.confusion\.matrix/);
  rejects(() => checkHostMessage({ type: 'detail', requestId: 3, details: [{ ...detail, log: [{ step: 1, split: 'dev', accuracy: 2, macroF1: 0 }] }] }), /^details\[0\]\.log\[0\]\.accuracy/);
  rejects(() => checkHostMessage({ type: 'detail', requestId: 1.5, details: [] }), /^requestId: expected a whole number/);
  const comparison = {
    seeds: [{ onlyA: 3, onlyB: 0, p: 0.25, seedA: 1, seedB: 1, runA: 'a', runB: 'b', examples: 50, accuracyA: 0.8, accuracyB: 0.74 }],
    pairing: 'seed', pooled: { onlyA: 3, onlyB: 0, p: 0.25 }, bootstrap: { diff: 0.06, low: 0.02, high: 0.1, confidence: 0.95, p: 0.01, resamples: 1000 }, alpha: 0.05, supported: false,
  };
  const c = checkHostMessage({ type: 'comparisons', requestId: 4, results: [{ key: 'k', comparison }, { key: 'k2', problem: 'no predictions' }] });
  assert.equal(c.type === 'comparisons' && c.results[0].comparison!.bootstrap.high, 0.1);
  rejects(() => checkHostMessage({ type: 'comparisons', requestId: 4, results: [{ key: 'k', comparison: { ...comparison, supported: 'yes' } }] }), /^results\[0\]\.comparison\.supported: expected true or false/);
  rejects(() => checkHostMessage({ type: 'comparisons', requestId: 4, results: [{ key: 'k', comparison: { ...comparison, pooled: { ...comparison.pooled, p: -1 } } }] }), /pooled\.p/);
});

test('messages from the webview: requests, exports with safe file names, the report payload', () => {
  assert.deepEqual(checkViewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(checkViewMessage({ type: 'detail', requestId: 1, refs: ['/a', '/b'] }), { type: 'detail', requestId: 1, refs: ['/a', '/b'] });
  rejects(() => checkViewMessage({ type: 'detail', requestId: 1, refs: ['/a', '/b', '/c'] }), /^refs: expected one or two run refs/);
  rejects(() => checkViewMessage({ type: 'detail', requestId: 1, refs: [] }), /^refs/);
  const csv = checkViewMessage({ type: 'export', requestId: 2, format: 'csv', name: 'study-runs.csv', content: 'a,b\r\n' });
  assert.equal(csv.type === 'export' && csv.format, 'csv');
  rejects(() => checkViewMessage({ type: 'export', requestId: 2, format: 'exe', name: 'x', content: '' }), /^format/);
  rejects(() => checkViewMessage({ type: 'export', requestId: 2, format: 'csv', name: '../../.bashrc', content: '' }), /^name: expected a file name without folders/);
  rejects(() => checkViewMessage({ type: 'export', requestId: 2, format: 'csv', name: 'a\u0000b', content: '' }), /^name/);
  const report = { title: 't', notices: [], findings: ['f'], charts: [{ title: 'c', svg: '<svg></svg>' }], table: { columns: ['a', 'b'], rows: [['1', '2']] } };
  assert.equal(checkViewMessage({ type: 'exportReport', requestId: 3, name: 'r.html', report }).type, 'exportReport');
  rejects(() => checkViewMessage({ type: 'exportReport', requestId: 3, name: 'r.html', report: { ...report, table: { columns: ['a', 'b'], rows: [['1']] } } }), /^report\.table\.rows\[0\]: expected 2 cells/);
  rejects(() => checkViewMessage({ type: 'compare', requestId: 1, pairs: [{ key: 'k', a: ['x'], b: 'y' }] }), /^pairs\[0\]\.b: expected a list/);
  rejects(() => checkViewMessage({ type: 'openRun' }), /^ref: expected a string/);
});
