// The model a run starts from. Normally a Hugging Face folder (a local path, the cache, or a download); for the
// embedded default experiment, which must run on a machine that has never seen the Hub, a compact BERT that cannot
// be had is replaced by a randomly initialised model of exactly its shape, with the bert-base-uncased vocabulary
// shipped in the repository. Such a model has learned nothing before training, so every number it produces carries
// a notice saying so and how to fetch the real weights: the workflow is demonstrated, the methods are not compared.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isUserError } from './errors';
import { readCheckpointFolder, readConfig, locateCheckpoint } from './checkpoint/folder';
import type { ProgressCallback } from './hub/download';
import { parseHubRef } from './hub/hub-id';
import { resolveModel, type ResolveOptions } from './hub/resolve';
import type { BaseModel } from './methods/types';
import { parseBertConfig, type BertConfig } from './model/config';
import { loadTokenizer } from './tokenizer';

export interface LoadBaseModelOptions {
  /** Fall back to a random model of the same shape when a compact BERT from the Hub cannot be had. */
  allowRandomInit?: boolean;
  onProgress?: ProgressCallback;
  /** Skip reading the weights (config and tokenizer only), e.g. for estimates. */
  withoutWeights?: boolean;
  /** Passed to resolveModel (offline, cache folder, environment); tests use it to simulate a machine. */
  resolve?: Omit<ResolveOptions, 'onProgress'>;
  /** How the model is named in reports; defaults to `source`. */
  name?: string;
  /** Told why the real model could not be had when the random fallback is taken (for the log). */
  onRandomInit?: (repoId: string, reason: string) => void;
}

/** The compact BERTs of Turc et al. 2019 ("Well-Read Students Learn Better"), as the Hub names them. */
const COMPACT_BERT = /^google\/bert_uncased_L-(\d+)_H-(\d+)_A-(\d+)$/;
const COMPACT_LAYERS = [2, 4, 6, 8, 10, 12];
const COMPACT_HIDDEN = [128, 256, 512, 768];

/** The config.json of a compact BERT, or undefined when `repoId` is not one of the 24. */
export function compactBertConfig(repoId: string): Record<string, unknown> | undefined {
  const m = COMPACT_BERT.exec(repoId);
  if (!m) return undefined;
  const [layers, hidden, heads] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!COMPACT_LAYERS.includes(layers) || !COMPACT_HIDDEN.includes(hidden) || heads !== hidden / 64) return undefined;
  // As published on the Hub for every model of the family.
  return {
    architectures: ['BertForMaskedLM'],
    attention_probs_dropout_prob: 0.1,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: hidden,
    initializer_range: 0.02,
    intermediate_size: 4 * hidden,
    max_position_embeddings: 512,
    model_type: 'bert',
    num_attention_heads: heads,
    num_hidden_layers: layers,
    type_vocab_size: 2,
    vocab_size: 30522,
  };
}

/** The command that puts a Hub model on this machine. */
export function fetchCommand(repoId: string): string {
  return `huggingface-cli download ${repoId}`;
}

/** The notice of a run whose models (student and, for distillation, teacher) include random-init ones. */
export function randomInitNotice(repoIds: readonly string[]): string {
  const ids = [...new Set(repoIds)];
  const fetch = ids.map((id) => `\`${fetchCommand(id)}\``).join(' and ');
  return (
    `RANDOM WEIGHTS, NOT PRE-TRAINED: ${ids.join(' and ')} could not be loaded and ${ids.length > 1 ? 'were' : 'was'} replaced by a random model of the same shape, ` +
    `so these numbers demonstrate the workflow, not the methods. For real results run ${fetch}, then run again.`
  );
}

/** The bert-base-uncased vocabulary shipped with Adapt Lab (data/vocab), found from the source tree or a bundle. */
export function bundledVocabDir(): string {
  const rel = path.join('data', 'vocab', 'bert-base-uncased');
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, rel, 'vocab.txt'))) return path.join(dir, rel);
  }
  throw new Error(`the bundled vocabulary ${rel} was not found above ${__dirname}; the installation is incomplete`);
}

export async function loadBaseModel(source: string, opts: LoadBaseModelOptions = {}): Promise<BaseModel> {
  const name = opts.name ?? source;
  let dir: string;
  try {
    ({ dir } = await resolveModel(source, { ...opts.resolve, onProgress: opts.onProgress }));
  } catch (e) {
    const repoId = parseHubRef(source.trim())?.repoId;
    const shape = repoId === undefined ? undefined : compactBertConfig(repoId);
    // Only "cannot be had" falls back (offline, not cached, no connection: all UserErrors of resolveModel); a model
    // that is present but broken is an error to fix, never silently replaced.
    if (!opts.allowRandomInit || !isUserError(e) || shape === undefined || repoId === undefined) throw e;
    opts.onRandomInit?.(repoId, e.format());
    return randomInitModel(name, repoId, shape);
  }
  const config = await readBertConfig(dir);
  const tokenizer = await loadTokenizer(dir);
  if (opts.withoutWeights) return { name, config, tokenizer, source: dir };
  const checkpoint = await readCheckpointFolder(dir);
  return { name, config, tokenizer, weights: checkpoint.tensors, source: dir };
}

async function readBertConfig(dir: string): Promise<BertConfig> {
  const { configPath } = await locateCheckpoint(dir);
  return parseBertConfig(await readConfig(configPath), configPath);
}

async function randomInitModel(name: string, repoId: string, configJson: Record<string, unknown>): Promise<BaseModel> {
  const vocabDir = bundledVocabDir();
  return {
    name,
    config: parseBertConfig(configJson, `${repoId} (random initialisation)`),
    tokenizer: await loadTokenizer(vocabDir),
    source: vocabDir,
    notice: randomInitNotice([repoId]),
  };
}
