// The cost estimate of an experiment (the grid runner's dry run) as Markdown: one row per cell with its action,
// training FLOPs and expected time on this machine, and the totals of what would run.
import { formatEngineering } from '../../engine/runs/report';
import type { JobResult } from '../../engine/worker/protocol';
import { formatDuration } from '../jobs/grid-progress';
import { md, table } from './markdown';

export function estimateReport(experimentName: string, r: Extract<JobResult, { kind: 'estimate' }>): string {
  const toRun = r.estimates.filter((e) => e.action === 'run');
  const flops = toRun.reduce((a, e) => a + e.trainFlops, 0);
  const evalFlops = toRun.reduce((a, e) => a + e.evalFlops, 0);
  const seconds = toRun.reduce((a, e) => a + e.seconds, 0);
  const rows = r.estimates.map((e) => [
    md(e.cellId),
    e.action === 'run' ? 'run' : `skip (${md(e.reason)})`,
    formatEngineering(e.trainFlops),
    formatEngineering(e.evalFlops),
    e.action === 'run' ? formatDuration(e.seconds) : '–',
  ]);
  return [
    `# Cost estimate: ${md(experimentName)}`,
    '',
    `**To run: ${toRun.length} of ${r.estimates.length} cell(s), ${formatEngineering(flops)} training FLOPs + ${formatEngineering(evalFlops)} evaluation FLOPs, about ${formatDuration(seconds)} on this machine** (backend ${md(r.backend)}, ${r.gflops.toFixed(1)} GFLOP/s measured).`,
    '',
    table(['cell', 'action', 'train FLOPs', 'test-set FLOPs', 'est. time'], rows, ['l', 'l', 'r', 'r', 'r']),
    '',
    `Time: ${md(r.how)}.`,
    '',
    'FLOPs are counted at the mean token length of the training data; each batch is padded to its longest example, so slightly more is run. Runs are kept in ' + md(r.runsDir) + '.',
    '',
  ].join('\n');
}
