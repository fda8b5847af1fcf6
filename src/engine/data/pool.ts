// The unlabeled pool that distillation (and PET's soft labeling) reads: the training rows that were not drawn as
// labeled examples, with their labels removed so that no later stage can use them by mistake, and/or the rows of a
// separate unlabeled file. An optional cap draws a seeded subset, kept in source order.
import { UserError } from '../errors';
import { Rng } from '../rng';
import type { Example } from './example';

export type UnlabeledExample = Omit<Example, 'label'>;

export interface PoolSources {
  /** All training rows; those in `labeled` are left out. */
  train?: readonly Example[];
  /** The labeled sample drawn from `train` (compared by identity, as returned by sampleTrain). */
  labeled?: readonly Example[];
  /** Rows of an unlabeled file (any labels they carry are dropped too). */
  unlabeled?: readonly Example[];
}

export interface PoolOptions {
  /** At most this many examples; absent means all. */
  cap?: number;
  seed: number;
}

export function buildPool(sources: PoolSources, opts: PoolOptions): UnlabeledExample[] {
  const taken = new Set<Example>(sources.labeled ?? []);
  const all = [...(sources.train ?? []).filter((row) => !taken.has(row)), ...(sources.unlabeled ?? [])].map(hideLabel);
  if (opts.cap !== undefined && (!Number.isInteger(opts.cap) || opts.cap < 0)) {
    throw new UserError(`pool size ${opts.cap} is not a whole number ≥ 0`, { field: 'poolSize' }, 'Give the unlabeled pool size as a count, e.g. 10000, or leave it out to use everything.');
  }
  if (opts.cap === undefined || opts.cap >= all.length) return all;
  const chosen = new Rng(opts.seed)
    .shuffle(all.map((_, i) => i))
    .slice(0, opts.cap)
    .sort((a, b) => a - b);
  return chosen.map((i) => all[i]);
}

function hideLabel(row: Example): UnlabeledExample {
  return row.textPair === undefined ? { text: row.text, line: row.line } : { text: row.text, textPair: row.textPair, line: row.line };
}
