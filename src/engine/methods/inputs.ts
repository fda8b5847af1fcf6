// Turning examples into what the models read: classifier inputs are the tokenizer's own encoding ([CLS] text
// [SEP] pair [SEP], longest-first truncation, as transformers' run_glue prepares them); gold labels become class
// indices in the run's label order.
import type { Example } from '../data/example';
import { UserError } from '../errors';
import type { Encoding, Tokenizer } from '../tokenizer';
import type { TokenizedExample } from '../train/batching';
import type { TextInput } from './types';

export function classifierEncoder(tokenizer: Tokenizer, maxLength: number): (input: TextInput) => Encoding {
  return (input) => tokenizer.encode(input.text, input.textPair, { maxLength, truncation: 'longest_first' });
}

/** The class index of each example's gold label; an example without one, or with an unknown one, is the user's to fix. */
export function labelIndices(examples: readonly Example[], labels: readonly string[], split: string): number[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  return examples.map((e) => {
    const i = e.label === undefined ? undefined : index.get(e.label);
    if (i === undefined) {
      throw new UserError(
        e.label === undefined ? `a ${split} example has no label` : `the ${split} label ${JSON.stringify(e.label)} is not one of the task's labels (${labels.join(', ')})`,
        { line: e.line, field: 'label' },
        `Give every ${split} example one of the labels ${labels.map((l) => JSON.stringify(l)).join(', ')}.`,
      );
    }
    return i;
  });
}

/** A dev set encoded for a classifier's evaluations, with its gold indices; undefined when there is none. */
export function encodeDevSet(dev: readonly Example[] | undefined, encode: (x: Example) => TokenizedExample, labels: readonly string[]): { encoded: TokenizedExample[]; gold: number[] } | undefined {
  return dev && dev.length > 0 ? { encoded: dev.map(encode), gold: labelIndices(dev, labels, 'dev') } : undefined;
}

/** Encoded examples with their class indices, as training batches carry them. */
export function withLabels<T extends TokenizedExample>(encoded: readonly T[], labels: readonly number[]): (T & { label: number })[] {
  return encoded.map((e, i) => ({ ...e, label: labels[i] }));
}
