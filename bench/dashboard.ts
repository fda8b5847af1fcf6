// `node --import tsx bench/dashboard.ts [runs]`: how long the dashboard takes to show 5,000 runs, step by step —
// the extension turning run records into summaries and posting them, the webview validating the message, the
// aggregation (groups over seeds, curves, crossovers, three Pareto frontiers), the runs table and its CSV, the
// chart options, and ECharts drawing each chart (server-side SVG rendering, the same renderer the webview uses).
// Also one paired significance test at SST-2's test size. Prints times; asserts nothing (they depend on the machine).
import { performance } from 'node:perf_hooks';
import { prepareDashboard } from '../src/engine/analysis/dashboard';
import { compareConfigurations, type SeedPredictions } from '../src/engine/analysis/significance';
import type { RunRecord } from '../src/engine/runs/record';
import { Rng } from '../src/engine/rng';
import { toSummary } from '../src/extension/dashboard/summaries';
import { costChart } from '../webview/dashboard/charts/cost-chart';
import { renderSvg } from '../webview/dashboard/charts/echarts';
import { labelsChart } from '../webview/dashboard/charts/labels-chart';
import { PAPER_THEME } from '../webview/dashboard/charts/theme';
import { checkHostMessage } from '../webview/dashboard/protocol';
import { defaultState } from '../webview/dashboard/state';
import { buildTable, toCsv } from '../webview/dashboard/table';

const MODELS: Array<[string, number, number]> = [
  ['google/bert_uncased_L-2_H-128_A-2', 4.4e6, 1.1e8],
  ['google/bert_uncased_L-4_H-256_A-4', 11e6, 4.5e8],
  ['google/bert_uncased_L-4_H-512_A-8', 29e6, 1.6e9],
  ['google/bert_uncased_L-8_H-512_A-8', 41e6, 3.3e9],
  ['bert-base-uncased', 110e6, 2.2e10],
];
const SIZES: Array<number | 'all'> = [0, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 'all'];
const FULL = 6920;

/** An SST-2-like grid: every method × model × size, distillation from the largest model into the others. */
export function syntheticRuns(target: number): RunRecord[] {
  const rng = new Rng(42);
  const cells: Array<{ method: RunRecord['method']; model: number; size: number | 'all'; teacher?: 'finetune' | 'prompt' }> = [];
  for (let m = 0; m < MODELS.length; m++) {
    for (const size of SIZES) {
      if (size !== 0) cells.push({ method: 'finetune', model: m, size });
      cells.push({ method: 'prompt', model: m, size });
      if (m < MODELS.length - 1 && size !== 0) for (const t of ['finetune', 'prompt'] as const) cells.push({ method: 'distill', model: m, size, teacher: t });
    }
  }
  const runs: RunRecord[] = [];
  for (let seed = 1; runs.length < target; seed++) {
    for (const c of cells) {
      if (runs.length >= target) break;
      const [model, params, flops] = MODELS[c.model];
      const n = c.size === 'all' ? FULL : c.size;
      const base = c.method === 'prompt' ? 0.62 : c.method === 'distill' ? 0.58 : 0.5;
      const gain = (c.method === 'prompt' ? 0.04 : 0.055) * Math.log2(1 + n) / Math.log2(1 + FULL) * 6;
      const accuracy = Math.min(0.97, Math.max(0.4, base + gain + 0.03 * c.model + (rng.next() - 0.5) * 0.04));
      const status: RunRecord['status'] = rng.next() < 0.01 ? 'failed' : 'done';
      const id = `${c.method}__m${c.model}__n${c.size}__s${seed}${c.teacher ? `__from-${c.teacher}` : ''}__abcd1234`;
      runs.push({
        id, cellId: id, experiment: 'sst2-grid', method: c.method, model, trainSize: c.size, seed, training: { learningRate: 1e-5, batchSize: 16 },
        ...(c.teacher ? { teacher: { runId: `t-${seed}`, method: c.teacher, model: MODELS[MODELS.length - 1][0] } } : {}),
        status, attempt: 1,
        ...(status === 'done' ? {
          metrics: { accuracy, macroF1: accuracy - 0.01, perClass: {}, confusion: { labels: ['negative', 'positive'], matrix: [[400, 28], [30, 414]] } },
          cost: {
            params, nonEmbeddingParams: params * 0.3, trainFlops: n === 0 ? 0 : n * flops * 3 * 10, inferFlopsPerExample: flops,
            latencyMsP50: flops / 5e8, latencyMsP95: flops / 3e8, throughputPerS: 5e10 / flops, trainSeconds: n === 0 ? 0 : n * flops / 2e9, peakMemoryMB: params / 1e5, backend: 'wasm',
          },
          data: { labeled: n, unlabeled: c.method === 'distill' ? 10_000 : 0 },
        } : { error: 'worker died' }),
        createdAt: '2024-01-01T00:00:00.000Z', updatedAt: `2024-01-01T00:${String(seed % 60).padStart(2, '0')}:00.000Z`,
      });
    }
  }
  return runs;
}

function time<T>(label: string, f: () => T, repeats = 5): T {
  let result: T;
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    result = f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(58)} ${times[Math.floor(times.length / 2)].toFixed(1).padStart(8)} ms  (min ${times[0].toFixed(1)}, ${repeats} runs)`);
  return result!;
}

function main(): void {
  const target = Number(process.argv[2] ?? 5000);
  const records = syntheticRuns(target);
  console.log(`Dashboard benchmark: ${records.length} runs (${records.filter((r) => r.status === 'done').length} done), Node ${process.version}\n`);

  const summaries = time('extension: run records → summaries', () => records.map((r) => toSummary(r, `/ws/.adapt-lab/runs/${r.id}`)));
  const json = time('extension → webview: JSON of the runs message', () => JSON.stringify({ type: 'runs', runs: summaries, problems: [], folders: ['/ws/.adapt-lab/runs'] }));
  console.log(`${'  message size'.padEnd(58)} ${(json.length / 1e6).toFixed(2).padStart(8)} MB`);
  const parsed = time('webview: parse the message', () => JSON.parse(json) as unknown);
  time('webview: validate the message (every field)', () => checkHostMessage(parsed));

  const opts = { metric: 'accuracy' as const, costAxis: 'inferFlopsPerExample' as const };
  const model = time('analysis: groups, curves, crossovers, 3 Pareto frontiers', () => prepareDashboard(summaries, opts));
  console.log(`${'  groups / curves / cost points'.padEnd(58)} ${`${model.rows.length} / ${model.curves.length} / ${model.cost.points.length}`.padStart(8)}`);
  time('analysis: the same with the cost axis switched', () => prepareDashboard(summaries, { ...opts, costAxis: 'latencyMsP50' }));
  const state = defaultState();
  const grouped = time('table: grouped rows (mean ± std), sorted', () => buildTable(summaries, state.table));
  time('table: one row per run, sorted by accuracy', () => buildTable(summaries, { ...state.table, mode: 'runs', sort: { column: 'accuracy', dir: 'desc' } }));
  time('table: CSV of the grouped table', () => toCsv(grouped.csvColumns, grouped.rows.map((r) => r.csv)));

  const selected = new Set(model.rows.slice(0, 3).map((r) => r.key));
  const labels = (theme = PAPER_THEME, width = 1200) => labelsChart({ model, metricLabel: 'accuracy', selectedKeys: selected, notSupported: [] }, theme, width);
  const cost = (dimension: 'compute' | 'data') => (theme = PAPER_THEME, width = 600) => costChart({ model, dimension, joint: false, metricLabel: 'accuracy', selectedKeys: selected }, theme, width);
  time('charts: option of accuracy vs labels', () => labels());
  time('charts: options of accuracy vs compute and vs labels', () => [cost('compute')(), cost('data')()]);
  const svg = time('charts: ECharts draws accuracy vs labels (SVG)', () => renderSvg(labels, PAPER_THEME, 1200), 3);
  time('charts: ECharts draws both cost charts (SVG)', () => [renderSvg(cost('compute'), PAPER_THEME, 600), renderSvg(cost('data'), PAPER_THEME, 600)], 3);
  console.log(`${'  labels chart SVG size'.padEnd(58)} ${(svg.length / 1e3).toFixed(0).padStart(8)} kB`);

  // One significance test as the extension runs it: 872 test examples (SST-2's dev set), 27 seeds a side.
  const rng = new Rng(7);
  const side = (p: number, runId: string): SeedPredictions[] => Array.from({ length: 27 }, (_, s) => ({
    seed: s + 1, runId: `${runId}${s}`,
    predictions: Array.from({ length: 872 }, (_, index) => ({ index, label: 'positive', predicted: rng.next() < p ? 'positive' : 'negative' })),
  }));
  const a = side(0.85, 'a');
  const b = side(0.83, 'b');
  time('significance: McNemar per seed + pooled + 1000-resample bootstrap', () => compareConfigurations(a, b, { resamples: 1000 }), 3);
}

main();
