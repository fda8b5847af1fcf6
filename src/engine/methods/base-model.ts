// A run's model: the BaseModel's config with the heads the method needs, initialised from the run's seed and
// then overwritten by the pre-trained weights when there are any. Heads the checkpoint lacks (a new classifier;
// a pooler when it came from BertForMaskedLM) keep their fresh initialisation, as transformers' from_pretrained
// leaves them, and the run's log says so.
import { Bert } from '../model/bert';
import type { BertHeads } from '../model/layout';
import { createFromWeights } from '../model/weights';
import type { BaseModel, TrainingReporter } from './types';

export function createModel(base: BaseModel, heads: BertHeads, seed: number, reporter: TrainingReporter): Bert {
  if (!base.weights) return Bert.create(base.config, { heads, seed });
  const { model, report } = createFromWeights(base.config, heads, base.weights, base.source ?? base.name, seed);
  const { missing } = report;
  if (missing.length > 0) reporter.log(`newly initialised, not in ${base.name}: ${missing.join(', ')}`);
  if (heads.mlm && missing.some((name) => name.startsWith('cls.predictions.'))) {
    reporter.log(`warning: ${base.name} has no masked-LM head, so prompting starts from a random one and its zero-shot predictions are noise`);
  }
  return model;
}
