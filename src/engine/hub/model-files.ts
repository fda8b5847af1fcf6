// Which files make a usable BERT-family model, as transformers saves it: the config, one form of the weights
// (transformers' own preference order), and the tokenizer files that exist for that model.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors';

export const CONFIG_FILE = 'config.json';
export const SAFETENSORS_FILE = 'model.safetensors';
export const SAFETENSORS_INDEX_FILE = 'model.safetensors.index.json';
export const PYTORCH_FILE = 'pytorch_model.bin';
/** Weight files in the order transformers prefers them; a model needs one. */
export const WEIGHT_FILES = [SAFETENSORS_FILE, SAFETENSORS_INDEX_FILE, PYTORCH_FILE];
/** Fetched whenever the repo has them; which ones a tokenizer needs depends on the model. */
export const TOKENIZER_FILES = ['vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json', 'tokenizer.json'];

const WEIGHTS_WANTED = `one of ${WEIGHT_FILES.join(', ')}`;

/** The shard files a `model.safetensors.index.json` names in its `weight_map`, each once, in first-use order. */
export function shardNames(indexText: string, indexFile: string): string[] {
  let weightMap: unknown;
  try {
    weightMap = (JSON.parse(indexText) as { weight_map?: unknown }).weight_map;
  } catch (e) {
    throw new UserError(`invalid JSON (${(e as Error).message})`, { file: indexFile }, 'Re-download or re-save the model.');
  }
  if (typeof weightMap !== 'object' || weightMap === null) {
    throw new UserError('has no `weight_map` object', { file: indexFile, field: 'weight_map' }, 'Re-save the model with save_pretrained.');
  }
  const shards = [...new Set(Object.values(weightMap))];
  for (const shard of shards) {
    // Shard names are joined onto the snapshot folder: a plain file name only, never a path that could escape it.
    if (typeof shard !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(shard)) {
      throw new UserError(`shard name ${JSON.stringify(shard)} is not a plain file name`, { file: indexFile, field: 'weight_map' }, 'Re-save the model with save_pretrained.');
    }
  }
  return shards as string[];
}

export interface SnapshotCheck {
  /** Required files that are absent: `config.json`, the weights, or shards named by the index. */
  missing: string[];
  /** Tokenizer files neither present nor known to be absent from the repo (see `noExistDir`). */
  unknown: string[];
}

/**
 * What a model folder lacks. `noExistDir` is the cache's `.no_exist/<commit>` folder, whose empty files record that
 * the repo has no such file, so a model without e.g. `tokenizer.json` is complete without asking the Hub again.
 */
export async function checkModelFolder(dir: string, noExistDir?: string): Promise<SnapshotCheck> {
  const missing: string[] = [];
  if (!(await exists(join(dir, CONFIG_FILE)))) missing.push(CONFIG_FILE);
  const weights = await firstExisting(dir, WEIGHT_FILES);
  if (weights === undefined) missing.push(WEIGHTS_WANTED);
  if (weights === SAFETENSORS_INDEX_FILE) {
    const indexFile = join(dir, SAFETENSORS_INDEX_FILE);
    for (const shard of shardNames(await readFile(indexFile, 'utf8'), indexFile)) {
      if (!(await exists(join(dir, shard)))) missing.push(shard);
    }
  }
  const unknown: string[] = [];
  for (const file of TOKENIZER_FILES) {
    const known = (await exists(join(dir, file))) || (noExistDir !== undefined && (await exists(join(noExistDir, file))));
    if (!known) unknown.push(file);
  }
  return { missing, unknown };
}

async function firstExisting(dir: string, files: string[]): Promise<string | undefined> {
  for (const file of files) if (await exists(join(dir, file))) return file;
  return undefined;
}

/** True when the path exists, following symlinks: a snapshot link to a deleted blob counts as absent. */
export async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
