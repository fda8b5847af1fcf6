// A template's zero-shot preview as Markdown: per row, the text, its gold label when known, the ensemble's class
// probabilities and each pattern's. Also the zero-shot accuracy summary.
import type { JobResult } from '../../engine/worker/protocol';
import { md, percent, table, truncate } from './markdown';

export function previewReport(templateName: string, dataName: string, r: Extract<JobResult, { kind: 'preview' }>): string {
  const argmax = (p: number[]) => p.indexOf(Math.max(...p));
  const head = ['line', 'text', 'gold', 'predicted', ...r.labels.map((l) => `P(${md(l)})`), ...r.patterns.map((_, i) => `pattern ${i + 1}`)];
  const rows = r.rows.map((row) => [
    String(row.line),
    md(truncate(row.text + (row.textPair !== undefined ? ` ‖ ${row.textPair}` : ''), 120)),
    row.label !== undefined ? md(row.label) : '–',
    md(r.labels[argmax(row.probs)]),
    ...row.probs.map(percent),
    ...row.patternProbs.map((p) => `${md(r.labels[argmax(p)])} ${percent(Math.max(...p))}`),
  ]);
  const known = r.rows.filter((row) => row.label !== undefined);
  const correct = known.filter((row) => r.labels[argmax(row.probs)] === row.label).length;
  return [
    `# Zero-shot preview: ${md(templateName)}`,
    '',
    `Model **${md(r.model)}** (backend ${md(r.backend)}), ${r.rows.length} row(s) of ${md(dataName)}, no training: each pattern's masked-LM prediction over the verbalizer words, and their ensemble (mean logits).`,
    ...(r.notice ? ['', `> ${md(r.notice)}`] : []),
    '',
    table(head, rows, ['r', 'l', 'l', 'l', ...r.labels.map(() => 'r' as const), ...r.patterns.map(() => 'l' as const)]),
    '',
    known.length > 0 ? `${correct} of ${known.length} correct on these rows.` : '',
    '',
    '**Patterns:**',
    '',
    ...r.patterns.map((p, i) => `${i + 1}. \`${p.replace(/`/g, "'")}\``),
    '',
  ].join('\n');
}

export function accuracyReport(templateName: string, dataName: string, r: Extract<JobResult, { kind: 'zero-shot-accuracy' }>): string {
  return [
    `# Zero-shot accuracy: ${md(templateName)}`,
    '',
    `On **${md(dataName)}** (${r.count} labeled rows), model **${md(r.model)}** (backend ${md(r.backend)}), without training:`,
    '',
    table(['accuracy', 'macro-F1', 'labels'], [[percent(r.accuracy), percent(r.macroF1), r.labels.map(md).join(', ')]], ['r', 'r', 'l']),
    ...(r.notice ? ['', `> ${md(r.notice)}`] : []),
    '',
  ].join('\n');
}
