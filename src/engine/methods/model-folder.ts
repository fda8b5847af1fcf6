// One trained model as a Hugging Face folder: config.json (with the architecture transformers should build and,
// for a classifier, the class names), model.safetensors and the tokenizer files — what `from_pretrained(dir)`
// loads — and the way back.
import { readCheckpointFolder, writeCheckpointFolder } from '../checkpoint/folder';
import { UserError } from '../errors';
import type { Bert } from '../model/bert';
import { parseBertConfig, toConfigJson } from '../model/config';
import type { BertHeads } from '../model/layout';
import { createFromWeights, exportWeights } from '../model/weights';
import { loadTokenizer, type Tokenizer } from '../tokenizer';

/** `labels`: a classifier's class names, written as transformers' id2label/label2id. */
export async function writeModelFolder(dir: string, model: Bert, tokenizer: Tokenizer, labels?: string[]): Promise<void> {
  const classifier = model.heads.classifier;
  const config = {
    ...model.config,
    architectures: [classifier ? 'BertForSequenceClassification' : 'BertForMaskedLM'],
    // A masked-LM folder must not carry class names inherited from the checkpoint it started from.
    id2label: classifier ? labels : undefined,
  };
  await writeCheckpointFolder(dir, { config: toConfigJson(config), tensors: exportWeights(model) });
  await tokenizer.save(dir);
}

/**
 * Reads a folder written by {@link writeModelFolder}. Every parameter of the requested heads must be in it:
 * a predictor restored with a freshly initialised head would predict noise without saying so.
 */
export async function readModelFolder(dir: string, heads: BertHeads): Promise<{ model: Bert; tokenizer: Tokenizer }> {
  const folder = await readCheckpointFolder(dir);
  const config = parseBertConfig(folder.config, folder.configPath);
  const tokenizer = await loadTokenizer(dir);
  const { model, report } = createFromWeights(config, heads, folder.tensors, folder.weightsFiles[0], 0);
  if (report.missing.length > 0) {
    model.dispose();
    throw new UserError(`the saved model lacks ${report.missing.join(', ')}`, { file: folder.weightsFiles[0], field: report.missing[0] },
      'Point at a folder saved by Adapt Lab (its run folder\'s model/), or re-run the training that produced it.');
  }
  return { model, tokenizer };
}
