// Restoring a saved predictor (a distillation teacher, or the model behind `adapt-lab predict`) from the folder
// its `save(dir)` wrote: adapt-lab.json says which kind, the Hugging Face folder(s) hold the weights.
import { join } from 'node:path';
import { UserError } from '../errors';
import { ClassifierPredictor } from './classifier-predictor';
import { MANIFEST_FILE, readManifest } from './manifest';
import { readModelFolder } from './model-folder';
import { PatternModel } from './pattern-model';
import { PromptPredictor } from './prompt-predictor';
import type { Predictor } from './types';

export { ClassifierPredictor } from './classifier-predictor';
export { PromptPredictor } from './prompt-predictor';

/** Needs a started TF.js backend (backend/select.ts). */
export async function loadPredictor(dir: string): Promise<Predictor> {
  const manifest = await readManifest(dir);
  const { labels, maxLength } = manifest;
  if (manifest.method !== 'prompt') {
    const { model, tokenizer } = await readModelFolder(dir, { mlm: false, classifier: { numLabels: labels.length } });
    return new ClassifierPredictor(model, tokenizer, labels, maxLength, manifest.method);
  }
  const verbalizer = { labels, ...manifest.verbalizer };
  const patterns: PatternModel[] = [];
  try {
    for (const entry of manifest.patterns) {
      const { model, tokenizer } = await readModelFolder(join(dir, entry.folder), { mlm: true });
      try {
        const bad = verbalizer.tokenIds.flat().find((id) => id >= model.config.vocabSize);
        if (bad !== undefined) {
          throw new UserError(`verbalizer token id ${bad} is outside the model's vocabulary (${model.config.vocabSize})`,
            { file: join(dir, MANIFEST_FILE), field: 'verbalizer.tokenIds' }, 'Re-run the prompting run that saved this model.');
        }
        patterns.push(new PatternModel(model, entry.pattern, verbalizer, tokenizer, maxLength));
      } catch (e) {
        model.dispose();
        throw e;
      }
    }
  } catch (e) {
    for (const p of patterns) p.dispose();
    throw e;
  }
  return new PromptPredictor(patterns, manifest.patterns.map((p) => p.weight), verbalizer, patterns[0].tokenizer, maxLength, manifest.zeroShot);
}
