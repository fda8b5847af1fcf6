// Zero-shot prompting jobs for the prompt-template editor: the class probabilities a template gives on a few rows
// (each pattern's and the ensemble's), and its accuracy on a labeled file. Both use the engine's own prompting
// path — runMethod with zeroShot, i.e. the pre-trained masked-LM head as it is — so what the editor previews is
// exactly what a zero-shot cell of a grid would compute.
import { initBackend } from '../backend/select';
import { readDataset } from '../data/dataset';
import type { Example } from '../data/example';
import { checkKnownLabels } from '../data/labels';
import { UserError } from '../errors';
import { DEFAULT_TRAINING } from '../experiment/training';
import { softmaxRow } from '../methods/evaluation';
import type { PromptPredictor } from '../methods/prompt-predictor';
import { runMethod } from '../methods/run-method';
import { CancelledError, type TrainingReporter } from '../methods/types';
import { loadBaseModel } from '../pretrained';
import { checkTemplateFields, loadTemplate, type PromptTemplate } from '../prompt/template';
import { classificationMetrics } from '../runs/metrics';
import type { JobContext } from './jobs';
import type { DataSource, JobRequest, JobResult, PreviewRow } from './protocol';

/** Rows per predict call: small enough to report progress and see a cancel often. */
const CHUNK = 64;

export async function previewTemplate(job: Extract<JobRequest, { kind: 'preview' }>, ctx: JobContext): Promise<JobResult> {
  const { template, predictor, backend, notice } = await zeroShotPredictor(job.templateFile, job.model, job.data, job.maxLength, ctx);
  try {
    const rows = (await readRows(job.data, false)).slice(0, job.rows);
    const perPattern: Float32Array[][] = [];
    for (const [p, pattern] of predictor.patterns.entries()) {
      ctx.progress(p, predictor.patterns.length + 1, `pattern ${p + 1} of ${predictor.patterns.length}`);
      checkAborted(ctx.signal);
      perPattern.push((await pattern.logits(rows, CHUNK)).rows.map(softmaxRow));
    }
    checkAborted(ctx.signal);
    const ensemble = await predictor.predict(rows);
    const out: PreviewRow[] = rows.map((r, i) => strip({
      line: r.line, text: r.text, textPair: r.textPair, label: r.label,
      probs: Array.from(ensemble[i]),
      patternProbs: perPattern.map((p) => Array.from(p[i])),
    }));
    return strip({ kind: 'preview', backend, model: job.model, labels: [...predictor.labels], patterns: [...template.patterns], rows: out, notice });
  } finally {
    predictor.dispose();
  }
}

export async function zeroShotAccuracy(job: Extract<JobRequest, { kind: 'zero-shot-accuracy' }>, ctx: JobContext): Promise<JobResult> {
  if (job.data.labelField === undefined) {
    throw new UserError('no label field is configured for the data', { file: job.data.file }, 'Accuracy needs labeled rows: set the experiment\'s dataset.labelField.');
  }
  const { predictor, backend, notice } = await zeroShotPredictor(job.templateFile, job.model, job.data, job.maxLength, ctx);
  try {
    const rows = await readRows(job.data, true);
    checkKnownLabels(rows, predictor.labels, job.data.file);
    const predicted: string[] = [];
    for (let start = 0; start < rows.length; start += CHUNK) {
      ctx.progress(start, rows.length, `${start} of ${rows.length} rows`);
      checkAborted(ctx.signal);
      const probs = await predictor.predict(rows.slice(start, start + CHUNK));
      for (const p of probs) predicted.push(predictor.labels[argmax(p)]);
    }
    const metrics = classificationMetrics(rows.map((r) => r.label!), predicted, predictor.labels);
    return strip({ kind: 'zero-shot-accuracy', backend, model: job.model, labels: [...predictor.labels], count: rows.length, accuracy: metrics.accuracy, macroF1: metrics.macroF1, notice });
  } finally {
    predictor.dispose();
  }
}

interface ZeroShot {
  template: PromptTemplate;
  predictor: PromptPredictor;
  backend: string;
  notice?: string;
}

async function zeroShotPredictor(templateFile: string, model: string, data: DataSource, maxLength: number, ctx: JobContext): Promise<ZeroShot> {
  const template = await loadTemplate(templateFile);
  checkTemplateFields(template, data.textPairField !== undefined, data.file);
  const backend = await initBackend();
  ctx.log('info', `backend: ${backend.name}, ${backend.threads} thread(s)`);
  ctx.progress(0, 1, `loading ${model}`);
  // No random-init fallback: a zero-shot prediction from random weights would be noise presented as a result.
  const base = await loadBaseModel(model, {
    onProgress: ({ file, loadedBytes }) => ctx.log('info', `downloading ${model} ${file}: ${(loadedBytes / 1e6).toFixed(1)} MB`),
  });
  checkAborted(ctx.signal);
  const reporter: TrainingReporter = { step: () => {}, evaluation: () => {}, log: (line) => ctx.log('info', line) };
  const labels = Object.keys(template.verbalizer);
  const output = await runMethod({
    method: 'prompt', zeroShot: true, model: base, labels, template, train: [], pool: [], seed: 1, reporter, signal: ctx.signal,
    training: { ...DEFAULT_TRAINING.prompt, maxLength },
  });
  return { template, predictor: output.predictor as PromptPredictor, backend: backend.name, notice: base.notice };
}

async function readRows(data: DataSource, labeled: boolean): Promise<Example[]> {
  const read = await readDataset(data.file, { textField: data.textField, textPairField: data.textPairField, labelField: data.labelField, labeled });
  return read.rows;
}

function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError();
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
