// Truncation as transformers' slow tokenizers do it (truncate_sequences, right side, no stride), with one
// deliberate difference: where transformers only logs an error and returns a sequence longer than
// max_length (maxLength too small for the special tokens, or only_first/only_second when the other
// sequence is the long one), we throw, because an over-long sequence would silently break the model later.

import { UserError } from '../errors';
import type { Truncation } from './types';

/**
 * Shortens `first` / `second` (token pieces without special tokens) so that together with `specials` special
 * tokens they fit in `maxLength`. `second` is undefined for a single sequence.
 */
export function truncate<T>(
  first: T[],
  second: T[] | undefined,
  specials: number,
  maxLength: number,
  strategy: Truncation,
): [T[], T[] | undefined] {
  const excess = first.length + (second?.length ?? 0) + specials - maxLength;
  if (strategy === false || excess <= 0) return [first, second];

  const cannot = (why: string) =>
    new UserError(
      `cannot truncate to maxLength ${maxLength} with strategy ${strategy}: ${why}`,
      { field: 'maxLength' },
      `Raise maxLength (it must leave room for ${specials} special tokens) or use truncation 'longest_first'.`,
    );

  if (strategy === 'only_first' || (strategy === 'longest_first' && second === undefined)) {
    if (first.length <= excess) throw cannot('the first sequence is too short to remove enough tokens from it');
    return [first.slice(0, first.length - excess), second];
  }
  if (strategy === 'only_second') {
    if (second === undefined) throw cannot('there is no second sequence');
    if (second.length <= excess) throw cannot('the second sequence is too short to remove enough tokens from it');
    return [first, second.slice(0, second.length - excess)];
  }
  // longest_first on a pair: one token at a time from whichever is longer, from the second on ties. This
  // differs from halving the budget when the total to remove is odd, so it is done literally.
  let n1 = first.length;
  let n2 = second!.length;
  for (let i = 0; i < excess; i++) {
    if (n1 > n2) n1--;
    else if (n2 > 0) n2--;
  }
  if (n1 + n2 + specials > maxLength) throw cannot(`a pair needs at least ${specials} positions for special tokens`);
  return [first.slice(0, n1), second!.slice(0, n2)];
}
