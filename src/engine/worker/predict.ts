// Predictions of finished runs' saved models on rows the editor sends — the active-learning helper: the labeling
// editor ranks unlabeled rows by the helper's uncertainty, or by how much a prompted and a fine-tuned run disagree.
import { initBackend } from '../backend/select';
import { loadPredictor } from '../methods/predictor';
import { CancelledError } from '../methods/types';
import type { JobContext } from './jobs';
import type { JobRequest, JobResult } from './protocol';

const CHUNK = 64;

export async function predictRows(job: Extract<JobRequest, { kind: 'predict' }>, ctx: JobContext): Promise<JobResult> {
  const backend = await initBackend();
  ctx.log('info', `backend: ${backend.name}, ${backend.threads} thread(s)`);
  const total = job.modelDirs.length * job.rows.length;
  const models: Extract<JobResult, { kind: 'predict' }>['models'] = [];
  for (const [m, dir] of job.modelDirs.entries()) {
    const predictor = await loadPredictor(dir);
    try {
      const probs: number[][] = [];
      for (let start = 0; start < job.rows.length; start += CHUNK) {
        ctx.progress(m * job.rows.length + start, total, `model ${m + 1} of ${job.modelDirs.length}: ${start} of ${job.rows.length} rows`);
        if (ctx.signal.aborted) throw new CancelledError();
        for (const p of await predictor.predict(job.rows.slice(start, start + CHUNK))) probs.push(Array.from(p));
      }
      models.push({ dir, labels: [...predictor.labels], probs });
    } finally {
      predictor.dispose();
    }
  }
  return { kind: 'predict', backend: backend.name, models };
}
