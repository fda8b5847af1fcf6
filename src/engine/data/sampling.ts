// Labeled training sets of a given total size, drawn the way PET draws them: stratified by label and balanced
// where the data allows. Each class is permuted once with the seed, and examples are then taken in rounds, one
// per class per round, so that
//   - classes get equal shares (±1), and a class with too few examples gives all it has while the others fill
//     the rest — deterministic for a seed;
//   - sizes are nested: for one seed, the 10-example set is a prefix of the 32-example set, which is a prefix of
//     the 100-example set, so a learning curve measures more data, not different data.
// The order in which classes take their turn within a round is itself shuffled with the seed, so the classes
// that get the extra example when the size is not divisible are not always the same ones.
import { UserError } from '../errors';
import { Rng } from '../rng';
import type { Example } from './example';
import { compareLabels } from './labels';

export type TrainSize = number | 'all';

/**
 * The first `size` examples of the seed's stratified order (see `stratifiedOrder`). `file` is named in errors.
 * Every row must have a label.
 */
export function sampleTrain(rows: readonly Example[], size: TrainSize, seed: number, file: string): Example[] {
  if (size !== 'all' && (!Number.isInteger(size) || size < 0)) {
    throw new UserError(`train size ${size} is not a whole number ≥ 0`, { file, field: 'trainSizes' }, 'Use counts such as 10, 32, 100, or "all".');
  }
  if (size !== 'all' && size > rows.length) {
    throw new UserError(
      `train size ${size} is larger than the ${rows.length} labeled examples available`,
      { file, field: 'trainSizes' },
      `Use sizes up to ${rows.length}, or "all".`,
    );
  }
  const order = stratifiedOrder(rows, seed);
  return size === 'all' ? order : order.slice(0, size);
}

/** All rows in the seed's round-robin order over per-class permutations; every prefix is a balanced sample. */
export function stratifiedOrder(rows: readonly Example[], seed: number): Example[] {
  const byLabel = new Map<string, Example[]>();
  for (const row of rows) {
    if (row.label === undefined) throw new Error(`sampleTrain: the row on line ${row.line} has no label`);
    const group = byLabel.get(row.label);
    if (group) group.push(row);
    else byLabel.set(row.label, [row]);
  }
  const rng = new Rng(seed);
  // Sorted labels, so that the draw does not depend on which class happens to come first in the file.
  const classes = [...byLabel.keys()].sort(compareLabels).map((label) => rng.shuffle(byLabel.get(label)!));
  const order: Example[] = [];
  for (let round = 0; order.length < rows.length; round++) {
    const turn = rng.shuffle(classes.filter((c) => round < c.length));
    for (const c of turn) order.push(c[round]);
  }
  return order;
}

/** Parses one train size as written in a config or on the command line: a whole number or "all". */
export function parseTrainSize(value: unknown, place: { file?: string; field?: string } = {}): TrainSize {
  if (value === 'all') return 'all';
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
  throw new UserError(`train size ${JSON.stringify(value)} is not a whole number ≥ 0 or "all"`, { field: 'trainSizes', ...place }, 'Use counts such as 10, 32, 100, or "all".');
}
