// What a trained classifier costs to use, measured on this machine right after training: FLOPs per example
// (counted from shapes, so comparable across machines), latency at batch 1 and throughput at batch 32 (wall clock,
// so only comparable on one machine and backend, which is recorded with them), and the process's peak memory.
// The measurement is kept small — a few dozen predictions — so that a grid of small models does not spend more
// time measuring than training.
import type { RunCost } from '../runs/record';
import type { Predictor, TextInput } from '../methods/types';
import type { ParamCount } from './flops';

export interface MeasureOptions {
  /** Predictions timed one at a time for latency, after `warmup` untimed ones (default 30 and 3). */
  latencyRuns?: number;
  warmup?: number;
  /** Batch size for throughput (default 32) and how many such batches are timed after one untimed (default 2). */
  throughputBatch?: number;
  throughputBatches?: number;
}

export interface MeasureInput {
  predictor: Predictor;
  /** The test inputs: their mean length sets the FLOPs, and the first ones are timed. */
  inputs: readonly TextInput[];
  /** Parameters of one model of the kind the method trains (with its heads); null when unknown. */
  params: ParamCount | null;
  /** Training FLOPs, including inference done for training (teacher soft labels, PET's pattern weights). */
  trainFlops: number | null;
  trainSeconds: number | null;
  backend: string;
}

export async function measureCosts(input: MeasureInput, opts: MeasureOptions = {}): Promise<RunCost> {
  const { predictor, inputs } = input;
  if (inputs.length === 0) throw new Error('measureCosts: no inputs to measure on');
  const latencyRuns = opts.latencyRuns ?? 30;
  const warmup = opts.warmup ?? 3;
  const batch = opts.throughputBatch ?? 32;
  const batches = opts.throughputBatches ?? 2;
  const pick = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => inputs[(offset + i) % inputs.length]);

  const meanLength = inputs.reduce((a, x) => a + predictor.inputLength(x), 0) / inputs.length;
  const inferFlopsPerExample = predictor.inferFlops(Math.round(meanLength));

  for (const x of pick(warmup)) await predictor.predict([x], { batchSize: 1 });
  const latencies: number[] = [];
  for (const x of pick(latencyRuns, warmup)) {
    const t0 = performance.now();
    await predictor.predict([x], { batchSize: 1 });
    latencies.push(performance.now() - t0);
  }

  await predictor.predict(pick(batch), { batchSize: batch });
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) await predictor.predict(pick(batch, b * batch), { batchSize: batch });
  const throughputPerS = (batch * batches) / ((performance.now() - t0) / 1000);

  return {
    params: input.params?.total ?? null,
    nonEmbeddingParams: input.params?.nonEmbedding ?? null,
    trainFlops: input.trainFlops,
    inferFlopsPerExample,
    latencyMsP50: percentile(latencies, 50),
    latencyMsP95: percentile(latencies, 95),
    throughputPerS,
    trainSeconds: input.trainSeconds,
    peakMemoryMB: peakMemoryMB(),
    backend: input.backend,
  };
}

/**
 * The process's peak resident set size (maxRSS) so far, in MiB. It is not the run's own footprint: it includes
 * the runtime, TF.js and its backend, and whatever earlier runs of the same process held at their peak. Node
 * reports maxRSS in KiB on every platform.
 */
export function peakMemoryMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Nearest-rank percentile (the smallest value with at least p% of the values at or below it). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
