// The teacher's soft labels for distillation, computed once per teacher and input set and cached next to the
// teacher's run: <teacher run>/soft-labels/<sha256 of the inputs>.json. The cache holds log-probabilities, which
// are the teacher's logits up to a per-row shift that softmax ignores, so any temperature can be applied to them.
// Students of the same teacher on the same data (other student models, other temperatures) then skip the
// teacher's inference. The FLOPs of that inference are stored with the labels and counted for every student,
// hit or miss: labeling the pool is part of what distillation costs, whichever run happened to pay for it.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataHash } from '../data/hash';
import { writeFileAtomicSync } from '../fs/atomic';
import { checkCancelled } from './cancel';
import type { Predictor, TextInput, TrainingReporter } from './types';

export interface SoftLabels {
  /** Per input, the teacher's log-probabilities in label order. */
  logProbs: Float32Array[];
  /** Forward FLOPs of the teacher's inference over the inputs. */
  flops: number;
  /** Whether they came from the cache (no teacher inference ran). */
  cached: boolean;
  file: string;
}

const VERSION = 1;
/** Inputs per predict call: the cancellation check between chunks keeps a 10,000-example pool interruptible. */
const CHUNK = 512;

export async function teacherSoftLabels(args: {
  teacher: Predictor;
  runDir: string;
  inputs: readonly TextInput[];
  batchSize: number;
  reporter: TrainingReporter;
  signal?: AbortSignal;
}): Promise<SoftLabels> {
  const { teacher, inputs } = args;
  const dir = join(args.runDir, 'soft-labels');
  const file = join(dir, `${dataHash(inputs.map((x) => (x.textPair === undefined ? { text: x.text } : { text: x.text, textPair: x.textPair })))}.json`);
  const hit = readCache(file, teacher.labels, inputs.length, args.reporter);
  if (hit) return { ...hit, cached: true, file };

  const logProbs: Float32Array[] = [];
  let flops = 0;
  for (let start = 0; start < inputs.length; start += CHUNK) {
    await checkCancelled(args.signal);
    const chunk = inputs.slice(start, start + CHUNK);
    const probs = await teacher.predict(chunk, { batchSize: args.batchSize });
    // A probability that underflowed to 0 gets the smallest double's log (−744): finite, so JSON can hold it.
    for (const p of probs) logProbs.push(Float32Array.from(p, (x) => Math.log(Math.max(x, Number.MIN_VALUE))));
    flops += batchedInferFlops(teacher, chunk, args.batchSize);
  }
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(file, JSON.stringify({ version: VERSION, labels: teacher.labels, count: inputs.length, flops, logProbs: logProbs.map((r) => Array.from(r)) }));
  return { logProbs, flops, cached: false, file };
}

/**
 * The forward FLOPs of predicting `inputs` in batches of `batchSize`, batched as predictors batch (train/batching's
 * evalBatches: by decreasing length, each batch padded to its longest input).
 */
export function batchedInferFlops(predictor: Predictor, inputs: readonly TextInput[], batchSize: number): number {
  const lengths = inputs.map((x) => predictor.inputLength(x)).sort((a, b) => b - a);
  let flops = 0;
  for (let i = 0; i < lengths.length; i += batchSize) flops += Math.min(batchSize, lengths.length - i) * predictor.inferFlops(lengths[i]);
  return flops;
}

/** The cached labels, or undefined when absent or unusable (then they are computed again and rewritten). */
function readCache(file: string, labels: readonly string[], count: number, reporter: TrainingReporter): { logProbs: Float32Array[]; flops: number } | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const rows = o.logProbs;
    const ok = o.version === VERSION && Array.isArray(o.labels) && o.labels.length === labels.length && o.labels.every((l, i) => l === labels[i]) &&
      o.count === count && typeof o.flops === 'number' && Array.isArray(rows) && rows.length === count &&
      rows.every((r) => Array.isArray(r) && r.length === labels.length && r.every((x) => typeof x === 'number' && Number.isFinite(x)));
    if (ok) return { logProbs: (rows as number[][]).map((r) => Float32Array.from(r)), flops: o.flops as number };
  } catch {
    // unreadable or not JSON: recomputed below
  }
  reporter.log(`the cached soft labels ${file} do not fit this teacher and data; labeling again`);
  return undefined;
}
