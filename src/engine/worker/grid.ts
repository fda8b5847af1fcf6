// Grid jobs: running an experiment (its events are forwarded to the editor as they happen) and estimating one
// (the grid runner's dry run). The result sent back is the small summary the editor needs; the runs themselves are
// in the run store, which the editor reads directly.
import { runExperiment } from '../grid';
import type { JobContext } from './jobs';
import type { JobRequest, JobResult } from './protocol';

export async function runGrid(job: Extract<JobRequest, { kind: 'run' }>, ctx: JobContext): Promise<JobResult> {
  const result = await runExperiment(job.experimentFile, { runsDir: job.runsDir, only: job.only, signal: ctx.signal, onEvent: ctx.emit });
  return {
    kind: 'run',
    runsDir: result.runsDir,
    cells: result.cells.map((c) => (c.reason === undefined ? { cellId: c.cellId, runId: c.runId, status: c.status } : { ...c })),
    cancelled: result.cancelled,
    failed: result.failed,
  };
}

export async function estimateGrid(job: Extract<JobRequest, { kind: 'estimate' }>, ctx: JobContext): Promise<JobResult> {
  ctx.progress(0, 1, 'reading the experiment and measuring this machine’s training speed');
  const result = await runExperiment(job.experimentFile, { runsDir: job.runsDir, dryRun: true, signal: ctx.signal, onEvent: ctx.emit });
  const dry = result.dryRun!;
  ctx.progress(1, 1, 'done');
  return {
    kind: 'estimate',
    runsDir: result.runsDir,
    backend: result.backend.name,
    gflops: dry.gflops,
    how: dry.how,
    estimates: dry.estimates.map((e) => ({ cellId: e.cellId, runId: e.runId, action: e.action, reason: e.reason, trainFlops: e.trainFlops, evalFlops: e.evalFlops, seconds: e.seconds })),
  };
}
