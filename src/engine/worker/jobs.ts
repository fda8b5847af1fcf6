// Dispatches one job request to its handler. Every handler reports through the same three callbacks (grid events,
// log lines, progress) and honours the abort signal, so the message loop in main.ts stays the same for all jobs.
import type { GridEventSink } from '../grid/events';
import { estimateGrid, runGrid } from './grid';
import { predictRows } from './predict';
import { previewTemplate, zeroShotAccuracy } from './zero-shot';
import type { JobRequest, JobResult } from './protocol';

export interface JobContext {
  signal: AbortSignal;
  emit: GridEventSink;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  progress(done: number, total: number, message: string): void;
}

export function runJob(job: JobRequest, ctx: JobContext): Promise<JobResult> {
  switch (job.kind) {
    case 'run':
      return runGrid(job, ctx);
    case 'estimate':
      return estimateGrid(job, ctx);
    case 'preview':
      return previewTemplate(job, ctx);
    case 'zero-shot-accuracy':
      return zeroShotAccuracy(job, ctx);
    case 'predict':
      return predictRows(job, ctx);
  }
}
