import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSummary } from '../../../src/extension/dashboard/summaries';
import { buildTable, filterChoices, toCsv } from '../../../webview/dashboard/table';
import { defaultState, parseLimit, restoreState } from '../../../webview/dashboard/state';
import { run, SMALL } from '../analysis/helpers';
import { studyRuns } from '../analysis/study';

const summaries = () => [
  ...studyRuns(),
  run({ method: 'finetune', model: SMALL, trainSize: 10, seed: 3, accuracy: 0, status: 'failed' }),
].map((r) => toSummary(r, `/runs/${r.id}`));

test('grouped: one row per configuration with mean ± std, in the study\'s method order', () => {
  const t = buildTable(summaries(), defaultState().table);
  assert.equal(t.rows.length, 18);
  assert.deepEqual([t.matched, t.total], [37, 37]);
  assert.deepEqual([...new Set(t.rows.map((r) => r.cells[0]))], ['finetune', 'prompt', 'distill←finetune', 'distill←prompt']);
  const row = t.rows.find((r) => r.cells[0] === 'finetune' && r.cells[1] === 'bert_uncased_L-2_H-128_A-2' && r.cells[2] === '100')!;
  assert.deepEqual(row.cells.slice(3, 7), ['100', '2', '0.720 ± 0.028', '0.670 ± 0.028']);
  assert.deepEqual(row.refs, ['/runs/finetune__bert_uncased_L-2_H-128_A-2__n100__s1__e', '/runs/finetune__bert_uncased_L-2_H-128_A-2__n100__s2__e']);
});

test('filters, per-run mode and sorting (numbers numerically, unmeasured last)', () => {
  const state = defaultState().table;
  const runs = summaries();
  const choices = filterChoices(runs);
  assert.deepEqual(choices.series.map((s) => s.value), ['finetune', 'prompt', 'distill←finetune', 'distill←prompt']);
  assert.deepEqual(choices.sizes, ['0', '10', '100', '1000']);
  assert.deepEqual(choices.statuses, ['done', 'failed']);
  const perRun = buildTable(runs, { ...state, mode: 'runs', filters: { ...state.filters, series: 'finetune', model: SMALL, size: '10' }, sort: { column: 'accuracy', dir: 'desc' } });
  assert.deepEqual(perRun.rows.map((r) => [r.cells[0], r.cells[4], r.cells[5]]), [['done', '2', '0.540'], ['done', '1', '0.500'], ['failed', '3', '–']]);
  const asc = buildTable(runs, { ...state, mode: 'runs', filters: { ...state.filters, series: 'finetune', model: SMALL, size: '10' }, sort: { column: 'accuracy', dir: 'asc' } });
  assert.deepEqual(asc.rows.map((r) => r.cells[5]), ['0.500', '0.540', '–'], 'the failed run stays last');
  const seed2 = buildTable(runs, { ...state, filters: { ...state.filters, seed: '2' }, sort: { column: 'size', dir: 'desc' } });
  assert.ok(seed2.rows.every((r) => r.cells[4] === '1'), 'one seed: n = 1');
  assert.equal(seed2.rows[0].cells[2], '1000');
});

test('CSV: quoted where needed, numbers raw, spreadsheet formulas defused', () => {
  assert.equal(toCsv(['a', 'b', 'c'], [['x,y', 0.5, null], ['say "hi"', 1e-9, '=HYPERLINK("http://x")'], ['-2+3', 3, ' pad']]),
    'a,b,c\r\n"x,y",0.5,\r\n"say ""hi""",1e-9,"\'=HYPERLINK(""http://x"")"\r\n\'-2+3,3," pad"\r\n');
  const t = buildTable(summaries(), defaultState().table);
  const csv = toCsv(t.csvColumns, t.rows.map((r) => r.csv)).split('\r\n');
  assert.equal(csv[0], 'experiment,method,series,teacher,model,train_size,labeled,seeds,n,accuracy_mean,accuracy_std,macro_f1_mean,macro_f1_std,infer_flops_per_example,latency_ms_p50,params,train_flops,train_seconds,notices');
  assert.equal(csv.length, 20, 'header, 18 rows, final newline');
  assert.match(csv.find((l) => l.includes('distill,distill←prompt'))!, /^study,distill,distill←prompt,prompt:google\/bert_uncased_L-4_H-256_A-4,google\/bert_uncased_L-2_H-128_A-2,10,10,1 2,2,0\.75,0\.01414/);
});

test('budget limits as typed, and restoring state from an older or damaged save', () => {
  assert.equal(parseLimit(''), undefined);
  assert.equal(parseLimit(' 20 '), 20);
  assert.equal(parseLimit('1e9'), 1e9);
  assert.equal(parseLimit('1.5G'), 1.5e9);
  assert.equal(parseLimit('2k'), 2000);
  assert.equal(parseLimit('1,000'), 1000);
  assert.ok(Number.isNaN(parseLimit('fast')!));
  assert.ok(Number.isNaN(parseLimit('-5')!));
  assert.deepEqual(restoreState(undefined), defaultState());
  assert.deepEqual(restoreState({ v: 2, metric: 'macroF1' }), defaultState(), 'another version: defaults');
  const s = restoreState({ v: 1, metric: 'macroF1', costAxis: 'labeled', joint: true, pair: ['prompt', 'finetune'], selection: ['/r/a', 7], table: { mode: 'runs', sort: { column: 'seed', dir: 'down' } }, budget: { maxLabeled: '100', evil: 'x' } });
  assert.equal(s.metric, 'macroF1');
  assert.equal(s.costAxis, 'inferFlopsPerExample', 'labeled is the data axis, not a compute axis');
  assert.deepEqual([s.joint, s.pair, s.selection, s.table.mode, s.table.sort], [true, ['prompt', 'finetune'], ['/r/a'], 'runs', { column: 'method', dir: 'asc' }]);
  assert.deepEqual(s.budget, { maxLatencyMs: '', maxInferFlops: '', maxLabeled: '100', maxTrainSeconds: '' });
});
