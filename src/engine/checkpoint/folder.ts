// A Hugging Face checkpoint folder: config.json plus weights in one of the four layouts transformers writes.
// The preference order is transformers' own (safetensors before pickles, single file before sharded), so a
// folder that holds both a .bin and a .safetensors loads the same weights here as it does in Python.

import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { TensorMap } from '../tensors';
import { writeFileAtomic } from '../fs/atomic';
import { readTextFile } from './files';
import { parseJson } from '../json/located';
import { readSafetensors, writeSafetensors } from './safetensors';
import { readShardedSafetensors, readShardedTorchBin } from './sharded';
import { readTorchBin } from './torch-bin';

export type WeightsLayout = 'safetensors' | 'safetensors-sharded' | 'torch-bin' | 'torch-bin-sharded';

/** Weights file names in order of preference. */
export const WEIGHTS_FILES: readonly [string, WeightsLayout][] = [
  ['model.safetensors', 'safetensors'],
  ['model.safetensors.index.json', 'safetensors-sharded'],
  ['pytorch_model.bin', 'torch-bin'],
  ['pytorch_model.bin.index.json', 'torch-bin-sharded'],
];

/** Weights that exist in the wild but that this engine cannot read, named so the error can say what was found. */
const FOREIGN_WEIGHTS = ['tf_model.h5', 'flax_model.msgpack', 'model.onnx', 'rust_model.ot'];
const SAVE_FIX = 'Save the model with `model.save_pretrained(dir)` (and its tokenizer with `tokenizer.save_pretrained(dir)`), or download the full model folder from the Hugging Face Hub.';

export interface CheckpointLocation {
  configPath: string;
  weightsPath: string;
  layout: WeightsLayout;
}

export interface CheckpointFolder {
  configPath: string;
  /** Parsed config.json (a JSON object; its fields are checked by the model layer). */
  config: unknown;
  tensors: TensorMap;
  /** Files the weights were read from (for sharded layouts: the index, then every shard). */
  weightsFiles: string[];
}

/** Finds config.json and the preferred weights file without reading them. */
export async function locateCheckpoint(dir: string): Promise<CheckpointLocation> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) throw new UserError('folder not found', { file: dir }, `Check the path. ${SAVE_FIX}`);
  if (!stat.isDirectory()) throw new UserError('is a file, not a checkpoint folder', { file: dir }, 'Point to the folder that holds config.json and the weights.');
  const present = new Set(await fs.readdir(dir));
  const configPath = join(dir, 'config.json');
  if (!present.has('config.json')) throw new UserError('has no config.json', { file: dir }, SAVE_FIX);
  const found = WEIGHTS_FILES.find(([name]) => present.has(name));
  if (!found) {
    const foreign = FOREIGN_WEIGHTS.filter((name) => present.has(name));
    const seen = foreign.length > 0 ? ` (found ${foreign.join(', ')}, which this tool cannot read)` : '';
    throw new UserError(`has no weights: looked for ${WEIGHTS_FILES.map(([n]) => n).join(', ')}${seen}`, { file: dir }, SAVE_FIX);
  }
  return { configPath, weightsPath: join(dir, found[0]), layout: found[1] };
}

/** Reads config.json as a JSON object, reporting syntax errors with line and column. */
export async function readConfig(configPath: string): Promise<Record<string, unknown>> {
  const config = parseJson(await readTextFile(configPath), configPath, { fix: 'Fix the JSON syntax at that place (a text editor with JSON support shows it).' });
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new UserError('is not a JSON object', { file: configPath }, SAVE_FIX);
  }
  return config as Record<string, unknown>;
}

export async function readCheckpointFolder(dir: string): Promise<CheckpointFolder> {
  const { configPath, weightsPath, layout } = await locateCheckpoint(dir);
  const config = await readConfig(configPath);
  switch (layout) {
    case 'safetensors':
      return { configPath, config, tensors: (await readSafetensors(weightsPath)).tensors, weightsFiles: [weightsPath] };
    case 'torch-bin':
      return { configPath, config, tensors: await readTorchBin(weightsPath), weightsFiles: [weightsPath] };
    case 'safetensors-sharded':
    case 'torch-bin-sharded': {
      const read = layout === 'safetensors-sharded' ? readShardedSafetensors : readShardedTorchBin;
      const { tensors, files } = await read(weightsPath);
      return { configPath, config, tensors, weightsFiles: files };
    }
  }
}

/**
 * Writes `config.json` (2-space JSON, trailing newline, as transformers writes it) and `model.safetensors`, each
 * atomically, creating the folder if needed. Weights go first: a crash in between leaves the old config with new
 * weights of the same architecture rather than a config that describes weights which were never written.
 */
export async function writeCheckpointFolder(dir: string, checkpoint: { config: object; tensors: TensorMap }): Promise<{ configPath: string; weightsPath: string }> {
  await fs.mkdir(dir, { recursive: true });
  const weightsPath = join(dir, 'model.safetensors');
  const configPath = join(dir, 'config.json');
  await writeSafetensors(weightsPath, checkpoint.tensors);
  const text = JSON.stringify(checkpoint.config, null, 2) + '\n';
  await writeFileAtomic(configPath, text);
  return { configPath, weightsPath };
}
