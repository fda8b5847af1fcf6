import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEngineering, formatReport, formatReportJson, formatStat, reportJson } from '../../../src/engine/runs/report';
import type { RunCost } from '../../../src/engine/runs/record';
import { doneRun, metricsFor } from './helpers';

const NOTICE = 'random init — demonstrates the workflow, not the methods';

function cost(trainFlops: number): RunCost {
  return {
    params: 4.4e6, nonEmbeddingParams: 4e5, trainFlops, inferFlopsPerExample: 1.15e8, latencyMsP50: 4.25,
    latencyMsP95: 9, throughputPerS: 200, trainSeconds: 30, peakMemoryMB: 512, backend: 'wasm',
  };
}

function runs(notice?: string) {
  return [
    doneRun({ method: 'prompt', model: 'bert-L2', trainSize: 32, seed: 1, metrics: metricsFor(0.8, 0.7), cost: cost(3.2e12), notice }),
    doneRun({ method: 'prompt', model: 'bert-L2', trainSize: 32, seed: 2, metrics: metricsFor(0.9, 0.8), cost: cost(3.2e12), notice }),
    doneRun({ method: 'prompt', model: 'bert-L2', trainSize: 32, seed: 3, metrics: metricsFor(1.0, 0.9), cost: cost(3.2e12), notice }),
    doneRun({ method: 'prompt', model: 'bert-L2', trainSize: 0, seed: 1, metrics: metricsFor(0.6, 0.5), cost: cost(0), notice }),
    doneRun({ method: 'finetune', model: 'bert-L2', trainSize: 32, seed: 1, metrics: metricsFor(0.7, 0.6), cost: cost(4.5e10), notice }),
    { ...doneRun({ method: 'finetune', model: 'bert-L2', trainSize: 32, seed: 2 }), status: 'failed' as const, metrics: undefined, notice },
    { ...doneRun({ method: 'finetune', model: 'bert-L2', trainSize: 32, seed: 3 }), status: 'queued' as const, metrics: undefined },
  ];
}

test('engineering notation: exponents in steps of 3, two significant digits', () => {
  assert.equal(formatEngineering(3.2e12), '3.2e12');
  assert.equal(formatEngineering(3_249_000_000_000), '3.2e12');
  assert.equal(formatEngineering(4.5e10), '45e9');
  assert.equal(formatEngineering(1.15e8), '120e6');
  assert.equal(formatEngineering(999_999), '1.0e6');
  assert.equal(formatEngineering(1000), '1.0e3');
  assert.equal(formatEngineering(512), '510');
  assert.equal(formatEngineering(0), '0');
  assert.equal(formatEngineering(null), '–');
});

test('mean ± std, and a single seed shows an unknown spread', () => {
  assert.equal(formatStat({ mean: 0.9, std: 0.1 }), '0.900 ± 0.100');
  assert.equal(formatStat({ mean: 0.7, std: null }), '0.700 ± –');
});

test('the table: one row per method × model × train size, with mean ± std over seeds and costs', () => {
  const text = formatReport(runs());
  const lines = text.trimEnd().split('\n');
  assert.match(lines[0], /^method\s+model\s+train n\s+seeds\s+accuracy\s+macro-F1\s+train FLOPs\s+infer FLOPs\/ex\s+p50 ms$/);
  const row = (prefix: RegExp) => lines.find((l) => prefix.test(l));
  assert.match(row(/^prompt\s+bert-L2\s+32\s/)!, /\s3\s+0\.900 ± 0\.100\s+0\.800 ± 0\.100\s+3\.2e12\s+120e6\s+4\.25$/);
  assert.match(row(/^prompt\s+bert-L2\s+0 \(zero-shot\)/)!, /0\.600 ± –\s+0\.500 ± –\s+0\s+120e6/);
  assert.match(row(/^finetune/)!, /\s1\s+0\.700 ± –\s+0\.600 ± –\s+45e9\s/);
  // Row order: finetune before prompt; zero-shot before 32.
  assert.ok(lines.indexOf(row(/^finetune/)!) < lines.indexOf(row(/^prompt\s+bert-L2\s+0/)!));
  assert.ok(lines.indexOf(row(/^prompt\s+bert-L2\s+0/)!) < lines.indexOf(row(/^prompt\s+bert-L2\s+32/)!));
  assert.match(text, /Not in the table: 1 failed, 1 queued\./);
  assert.doesNotMatch(text, /NOTICE|!!/);
});

test('a notice is printed above and below the table, unmissably', () => {
  const text = formatReport(runs(NOTICE));
  const lines = text.trimEnd().split('\n');
  const banner = [lines[0], lines[1], lines[2]];
  assert.match(banner[0], /^!{40,}$/);
  assert.equal(banner[1], `!! NOTICE: ${NOTICE} (all runs)`);
  assert.match(banner[2], /^!{40,}$/);
  assert.deepEqual(lines.slice(-3), banner, 'the same banner closes the report');
  // The notice counts finished runs only (the failed one carries it too but is not in the table).
  assert.deepEqual(reportJson(runs(NOTICE)).notices, [{ text: NOTICE, runs: 5, of: 5 }]);
});

test('when only some runs carry a notice, the banner says how many and their rows are marked', () => {
  const mixed = runs();
  mixed[4] = { ...mixed[4], notice: NOTICE };
  const lines = formatReport(mixed).trimEnd().split('\n');
  assert.equal(lines[1], `!! NOTICE: ${NOTICE} (1 of 5 runs)`);
  const header = lines.find((l) => /method\s+model/.test(l))!;
  assert.match(header, /^!\s+method/);
  assert.match(lines.find((l) => /finetune/.test(l))!, /^!\s+finetune/);
  assert.match(lines.find((l) => /prompt\s+bert-L2\s+32/.test(l))!, /^\s+prompt/);
});

test('distillation rows name their teacher; no finished runs says so', () => {
  const r = doneRun({ method: 'distill', model: 'bert-L2', trainSize: 32, seed: 1, teacher: { runId: 'x', method: 'prompt', model: 'bert-L4' } });
  const text = formatReport([r]);
  assert.match(text, /^method\s+teacher\s+model/m);
  assert.match(text, /^distill\s+prompt:bert-L4\s+bert-L2/m);
  assert.equal(formatReport([]), 'No finished runs yet.\n');
});

test('the JSON form carries the structured rows', () => {
  const parsed = JSON.parse(formatReportJson(runs(NOTICE)));
  assert.equal(parsed.rows.length, 3);
  const p = parsed.rows.find((r: any) => r.method === 'prompt' && r.trainSize === 32);
  assert.deepEqual(p.seeds, [1, 2, 3]);
  assert.ok(Math.abs(p.accuracy.mean - 0.9) < 1e-12 && Math.abs(p.accuracy.std - 0.1) < 1e-12);
  assert.equal(p.trainFlops, 3.2e12);
  assert.deepEqual(p.notices, [NOTICE]);
  assert.deepEqual(parsed.notIncluded, { failed: 1, queued: 1 });
});
