// The unlabeled examples for PET's auxiliary MLM loss, drawn a batch at a time in a seeded order that is
// reshuffled after each pass over the pool; the indices drawn are remembered, as the data cost counts them.
import type { UnlabeledExample } from '../data/pool';
import { Rng } from '../rng';

export class UnlabeledStream {
  private readonly rng: Rng;
  private order: number[] = [];
  private next = 0;

  constructor(
    private readonly pool: readonly UnlabeledExample[],
    seed: number,
    /** Receives every pool index drawn. */
    private readonly seen: Set<number>,
  ) {
    this.rng = new Rng(seed);
  }

  /** The next `n` examples (fewer only when the pool is smaller than n). */
  take(n: number): UnlabeledExample[] {
    const out: UnlabeledExample[] = [];
    const want = Math.min(n, this.pool.length);
    while (out.length < want) {
      if (this.next === this.order.length) {
        this.order = this.rng.shuffle(this.pool.map((_, i) => i));
        this.next = 0;
      }
      const i = this.order[this.next++];
      this.seen.add(i);
      out.push(this.pool[i]);
    }
    return out;
  }
}
