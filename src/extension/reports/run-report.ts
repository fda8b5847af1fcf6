// One run's details as Markdown (Open Run): what it is, how it ended, its metrics with per-class scores and the
// confusion matrix, and what it cost — the same numbers the CLI's report aggregates.
import { formatEngineering } from '../../engine/runs/report';
import type { RunRecord } from '../../engine/runs/record';
import { md, percent, table } from './markdown';

export function runReport(run: RunRecord, runDir: string, hasModel: boolean): string {
  const lines: string[] = [`# Run ${md(run.id)}`, ''];
  if (run.notice) lines.push(`> ${md(run.notice)}`, '');
  const teacher = run.teacher ? `${md(run.teacher.runId)}${run.teacher.method ? ` (${run.teacher.method}${run.teacher.model ? `, ${md(run.teacher.model)}` : ''})` : ''}` : undefined;
  const facts: [string, string | undefined][] = [
    ['status', `**${run.status}**${run.error ? ` — ${md(run.error)}` : ''}`],
    ['experiment', md(run.experiment) + (run.experimentFile ? ` (${md(run.experimentFile)})` : '')],
    ['method', run.method + (run.zeroShot ? ' (zero-shot)' : '')],
    ['model', md(run.model)],
    ['teacher', teacher],
    ['train size', String(run.trainSize)],
    ['seed', String(run.seed)],
    ['attempt', String(run.attempt)],
    ['data', run.data ? `${run.data.labeled} labeled, ${run.data.unlabeled} unlabeled examples` : undefined],
    ['started', run.startedAt],
    ['finished', run.finishedAt],
    ['saved model', hasModel ? md(`${runDir}/model`) : 'not saved'],
    ['folder', md(runDir)],
  ];
  lines.push(table(['', ''], facts.filter(([, v]) => v !== undefined).map(([k, v]) => [k, v!])), '');

  const m = run.metrics;
  if (m) {
    lines.push('## Test set', '', `Accuracy **${percent(m.accuracy)}**, macro-F1 **${percent(m.macroF1)}**.`, '');
    lines.push(table(['label', 'precision', 'recall', 'F1', 'support'],
      Object.entries(m.perClass).map(([label, c]) => [md(label), percent(c.precision), percent(c.recall), percent(c.f1), String(c.support)]), ['l', 'r', 'r', 'r', 'r']), '');
    lines.push('Confusion (rows: gold, columns: predicted):', '');
    lines.push(table(['', ...m.confusion.labels.map(md)], m.confusion.matrix.map((row, i) => [md(m.confusion.labels[i]), ...row.map(String)]), ['l', ...m.confusion.labels.map(() => 'r' as const)]), '');
  }
  const c = run.cost;
  if (c) {
    const n = (x: number | null, f: (v: number) => string) => (x === null ? '–' : f(x));
    lines.push('## Cost', '');
    lines.push(table(['measure', 'value'], [
      ['parameters', n(c.params, formatEngineering)],
      ['non-embedding parameters', n(c.nonEmbeddingParams, formatEngineering)],
      ['training FLOPs', n(c.trainFlops, formatEngineering)],
      ['inference FLOPs per example', n(c.inferFlopsPerExample, formatEngineering)],
      ['latency p50 / p95', `${n(c.latencyMsP50, (v) => `${v.toFixed(1)} ms`)} / ${n(c.latencyMsP95, (v) => `${v.toFixed(1)} ms`)}`],
      ['throughput', n(c.throughputPerS, (v) => `${v.toFixed(1)} examples/s`)],
      ['training time', n(c.trainSeconds, (v) => `${v.toFixed(1)} s`)],
      ['peak memory', n(c.peakMemoryMB, (v) => `${v.toFixed(0)} MB`)],
      ['backend', md(c.backend)],
    ], ['l', 'r']), '');
  }
  lines.push('## Training options', '', '```json', JSON.stringify(run.training, null, 2), '```', '');
  if (run.versions) lines.push(`Adapt Lab ${md(run.versions.adaptLab)}, TF.js ${md(run.versions.tfjs)}, Node ${md(run.versions.node)}.`, '');
  return lines.join('\n');
}
