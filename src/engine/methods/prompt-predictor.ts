// A PET ensemble as a Predictor. As PET's merge_logits does, the pattern models' CLASS LOGITS are averaged
// (uniformly, or weighted by each pattern's train-set accuracy before training: PET's `wmean`), and the
// probabilities are the softmax of that average — not an average of probabilities.
import { join } from 'node:path';
import type { Tokenizer } from '../tokenizer';
import { DEFAULT_PREDICT_BATCH } from './classifier-predictor';
import { softmaxRow } from './evaluation';
import { writeManifest } from './manifest';
import { writeModelFolder } from './model-folder';
import type { PatternModel, Verbalizer } from './pattern-model';
import type { Predictor, TextInput } from './types';

export class PromptPredictor implements Predictor {
  readonly labels: string[];
  /** Weights normalised to sum to 1. */
  readonly weights: number[];
  /** Per pattern: the tokens it adds to an input's own (specials, pattern words, [MASK]). */
  private readonly added: number[];

  constructor(
    /** Owned: disposed with the predictor. */
    readonly patterns: PatternModel[],
    weights: number[],
    readonly verbalizer: Verbalizer,
    readonly tokenizer: Tokenizer,
    readonly maxLength: number,
    readonly zeroShot: boolean,
  ) {
    if (patterns.length === 0 || weights.length !== patterns.length) throw new Error('PromptPredictor: one weight per pattern model needed');
    const total = weights.reduce((a, b) => a + b, 0);
    // All-zero weights (every pattern scored 0 before training) fall back to a uniform ensemble, as a mean would.
    this.weights = total > 0 ? weights.map((w) => w / total) : weights.map(() => 1 / weights.length);
    this.labels = [...verbalizer.labels];
    this.added = patterns.map((p) => p.fill({ text: '', textPair: '' }).inputIds.length);
  }

  async predict(inputs: readonly TextInput[], opts: { batchSize?: number } = {}): Promise<Float32Array[]> {
    return (await this.classLogits(inputs, opts.batchSize ?? DEFAULT_PREDICT_BATCH)).rows.map(softmaxRow);
  }

  /** The ensemble's class logits (weighted mean over patterns) and the forward FLOPs spent. */
  async classLogits(inputs: readonly TextInput[], batchSize: number): Promise<{ rows: Float64Array[]; flops: number }> {
    const rows = inputs.map(() => new Float64Array(this.labels.length));
    let flops = 0;
    for (let p = 0; p < this.patterns.length; p++) {
      const out = await this.patterns[p].logits(inputs, batchSize);
      flops += out.flops;
      out.rows.forEach((r, i) => r.forEach((x, c) => (rows[i][c] += this.weights[p] * x)));
    }
    return { rows, flops };
  }

  /**
   * `tokens` is {@link inputLength}: the longest of the pattern inputs. Each pattern's input is that minus the
   * difference in added tokens (exact unless truncation cut the text), and every pattern model runs once.
   */
  inferFlops(tokens: number): number {
    const longest = Math.max(...this.added);
    return this.patterns.reduce((sum, p, i) => sum + p.forwardFlops(1, Math.max(1, Math.min(this.maxLength, tokens - longest + this.added[i]))), 0);
  }

  inputLength(input: TextInput): number {
    return Math.max(...this.patterns.map((p) => p.fill(input).inputIds.length));
  }

  async save(dir: string): Promise<void> {
    const entries = this.patterns.map((p, i) => ({ pattern: p.pattern, folder: `pattern-${i}`, weight: this.weights[i] }));
    for (let i = 0; i < entries.length; i++) await writeModelFolder(join(dir, entries[i].folder), this.patterns[i].model, this.tokenizer);
    await writeManifest(dir, {
      method: 'prompt',
      labels: this.labels,
      maxLength: this.maxLength,
      zeroShot: this.zeroShot,
      verbalizer: { words: this.verbalizer.words, tokenIds: this.verbalizer.tokenIds },
      patterns: entries,
    });
  }

  dispose(): void {
    for (const p of this.patterns) p.dispose();
  }
}
