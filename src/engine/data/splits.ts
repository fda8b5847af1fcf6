// Train/dev/test, either from separate files (train may be several shards, read in order) or as a seeded split of
// one file. The split is stratified: each class is permuted with the seed and cut by the ratios, so every split
// keeps the class balance of the file, and every class keeps at least one training example.
import { UserError } from '../errors';
import { Rng } from '../rng';
import { readDataset, type ReadOptions } from './dataset';
import type { Example, Skipped } from './example';
import { checkKnownLabels, compareLabels, labelSet } from './labels';

export interface Splits {
  train: Example[];
  dev: Example[];
  test: Example[];
}

/** Fractions of the file for dev and test; train gets the rest. */
export interface SplitRatios {
  dev?: number;
  test?: number;
}

export type SplitSource =
  | { train: string | readonly string[]; dev?: string; test?: string }
  | { file: string; ratios: SplitRatios; seed: number };

export interface LoadedSplits extends Splits {
  /** Sorted label set of train; dev and test labels are checked against it. */
  labels: string[];
  /** Rows that were not used, per file, to be shown to the user. */
  skipped: Array<Skipped & { file: string }>;
}

export type FieldOptions = Omit<ReadOptions, 'labeled' | 'displayName'> & { labelField: string };

export async function loadSplits(source: SplitSource, fields: FieldOptions): Promise<LoadedSplits> {
  const skipped: LoadedSplits['skipped'] = [];
  const read = async (file: string): Promise<Example[]> => {
    const r = await readDataset(file, { ...fields, labeled: true });
    skipped.push(...r.skipped.map((s) => ({ ...s, file })));
    return r.rows;
  };
  if ('file' in source) {
    const splits = splitStratified(await read(source.file), source.ratios, source.seed, source.file);
    return { ...splits, labels: labelSet(splits.train, source.file, fields.labelField), skipped };
  }
  const trainFiles = typeof source.train === 'string' ? [source.train] : [...source.train];
  const train: Example[] = [];
  for (const file of trainFiles) train.push(...(await read(file)));
  const labels = labelSet(train, trainFiles.join(' + '), fields.labelField);
  const dev = source.dev === undefined ? [] : await read(source.dev);
  const test = source.test === undefined ? [] : await read(source.test);
  if (source.dev !== undefined) checkKnownLabels(dev, labels, source.dev);
  if (source.test !== undefined) checkKnownLabels(test, labels, source.test);
  return { train, dev, test, labels, skipped };
}

/** Seeded stratified split; each part keeps file order. */
export function splitStratified(rows: readonly Example[], ratios: SplitRatios, seed: number, file: string): Splits {
  const dev = ratios.dev ?? 0;
  const test = ratios.test ?? 0;
  for (const [name, r] of [['dev', dev], ['test', test]] as const) {
    if (!(r >= 0 && r < 1)) throw new UserError(`the ${name} ratio ${r} is not between 0 and 1`, { file, field: `split.${name}` }, 'Give ratios as fractions of the file, e.g. dev 0.1 and test 0.2.');
  }
  if (dev + test >= 1) throw new UserError(`dev and test ratios add up to ${dev + test}, leaving nothing to train on`, { file, field: 'split' }, 'Make dev + test less than 1, e.g. 0.1 and 0.2.');

  const indices = new Map<string, number[]>();
  rows.forEach((row, i) => {
    if (row.label === undefined) throw new Error(`splitStratified: the row on line ${row.line} has no label`);
    const group = indices.get(row.label);
    if (group) group.push(i);
    else indices.set(row.label, [i]);
  });
  const rng = new Rng(seed);
  const part = new Int8Array(rows.length); // 0 train, 1 dev, 2 test
  for (const label of [...indices.keys()].sort(compareLabels)) {
    const shuffled = rng.shuffle(indices.get(label)!);
    const n = shuffled.length;
    let nTest = Math.round(n * test);
    let nDev = Math.round(n * dev);
    // Keep at least one training example per class, or the class would be unknown to the model.
    while (nTest + nDev >= n && nTest + nDev > 0) {
      if (nDev >= nTest && nDev > 0) nDev--;
      else nTest--;
    }
    shuffled.forEach((idx, k) => (part[idx] = k < nTest ? 2 : k < nTest + nDev ? 1 : 0));
  }
  const out: Splits = { train: [], dev: [], test: [] };
  rows.forEach((row, i) => (part[i] === 0 ? out.train : part[i] === 1 ? out.dev : out.test).push(row));
  return out;
}
