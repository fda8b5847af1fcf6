// Prompting as PET does it (Schick & Schütze 2021): one model per pattern, each a pre-trained masked LM trained
// through its own MLM head to put the right verbalizer word at the [MASK] (pattern-training.ts), the models
// trained one after another and combined into an ensemble (prompt-predictor.ts). PET's ensemble weight for a
// pattern ('trainAccuracy', its `wmean`) is that pattern's accuracy on the labeled training set BEFORE training.
// Zero-shot: no training and no labels — the pre-trained MLM head as it is, patterns weighted equally.
import { UserError } from '../errors';
import { resolveVerbalizer } from '../prompt/verbalizer';
import { createModel } from './base-model';
import { checkCancelled } from './cancel';
import { DEFAULT_PREDICT_BATCH } from './classifier-predictor';
import { score } from './evaluation';
import { labelIndices } from './inputs';
import { totalSteps } from './loop';
import { trainPattern } from './pattern-training';
import { PatternModel } from './pattern-model';
import { PromptPredictor } from './prompt-predictor';
import { deriveSeed } from './seeds';
import type { MethodInput, MethodOutput } from './types';

export type PromptInput = Extract<MethodInput, { method: 'prompt' }>;

export async function runPrompt(input: PromptInput): Promise<MethodOutput> {
  const { model: base, labels, template, training, zeroShot, seed, reporter } = input;
  const tokenizer = base.tokenizer;
  const verbalizer = resolveVerbalizer(template, tokenizer, labels, template.file);
  const outside = verbalizer.tokenIds.flat().find((id) => id >= base.config.vocabSize);
  if (outside !== undefined) {
    throw new UserError(`the verbalizer's token ${outside} is beyond the model's vocabulary (vocab_size ${base.config.vocabSize})`,
      { file: template.file, field: 'verbalizer' }, 'Use a tokenizer that belongs to the model, or other verbalizer words.');
  }
  const train = zeroShot ? [] : input.train;
  const gold = labelIndices(train, labels, 'train');
  const dev = input.dev && input.dev.length > 0 ? { inputs: input.dev, gold: labelIndices(input.dev, labels, 'dev') } : undefined;
  const patternCount = template.patterns.length;
  const stepsEach = zeroShot ? 0 : totalSteps(training, Math.ceil(train.length / training.batchSize));

  const patterns: PatternModel[] = [];
  const weights: number[] = [];
  const flops = { train: 0, auxiliaryInference: 0 };
  const unlabeledSeen = new Set<number>();
  let steps = 0;
  try {
    for (let p = 0; p < patternCount; p++) {
      await checkCancelled(input.signal);
      const model = createModel(base, { mlm: true }, seed, reporter);
      try {
        patterns.push(new PatternModel(model, template.patterns[p], verbalizer, tokenizer, training.maxLength));
      } catch (e) {
        model.dispose();
        throw e;
      }
      const pattern = patterns[p];
      const name = `pattern ${p + 1}/${patternCount}`;

      // A single pattern's weight does not matter, so its train-set pass is not spent.
      if (training.ensemble === 'trainAccuracy' && train.length > 0 && patternCount > 1) {
        const { rows, flops: spent } = await pattern.logits(train, DEFAULT_PREDICT_BATCH);
        flops.auxiliaryInference += spent;
        weights.push(score(rows, gold, labels).accuracy);
        reporter.log(`${name}: train accuracy before training ${weights[p].toFixed(4)} (its ensemble weight)`);
      } else {
        weights.push(1);
      }
      if (zeroShot) continue;

      const examples = train.map((e, i) => ({ ...pattern.fill(e), label: gold[i] }));
      const r = await trainPattern({
        pattern, examples, dev, pool: input.pool, unlabeledSeen, training, seed: deriveSeed(seed, 'pattern', p), labels,
        reporter, signal: input.signal, report: { offset: p * stepsEach, total: patternCount * stepsEach }, name,
      });
      steps += r.steps;
      flops.train += r.trainFlops;
      flops.auxiliaryInference += r.evalFlops;
    }
    return {
      predictor: new PromptPredictor(patterns, weights, verbalizer, tokenizer, training.maxLength, zeroShot),
      flops,
      data: { labeled: train.length, unlabeled: unlabeledSeen.size },
      steps,
    };
  } catch (e) {
    for (const p of patterns) p.dispose();
    throw e;
  }
}
