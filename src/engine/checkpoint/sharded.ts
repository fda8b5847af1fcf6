// Sharded checkpoints: `model.safetensors.index.json` or `pytorch_model.bin.index.json`, i.e.
// {"metadata": {...}, "weight_map": {tensor name: shard file}}, with the shards beside the index. The index and
// the shards must agree exactly (every mapped tensor in its shard, every shard tensor mapped to that shard),
// because a disagreement means a partial download or a mix of two saves, which would load wrong weights silently.

import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';
import { TensorMap } from '../tensors';
import { readTextFile } from './files';
import { parseJson } from '../json/located';
import { readSafetensors } from './safetensors';
import { readTorchBin } from './torch-bin';

export interface ShardIndex {
  indexFile: string;
  metadata: Record<string, unknown>;
  /** Tensor name → shard path (joined to the index's folder). */
  weightMap: Map<string, string>;
  /** Shard paths in order of first appearance in the weight map. */
  shards: string[];
}

export interface ShardedCheckpoint {
  tensors: TensorMap;
  metadata: Record<string, unknown>;
  /** The index file, then every shard. */
  files: string[];
}

const REDOWNLOAD_FIX = 'Download the whole checkpoint folder again (all shards and the index from the same revision).';

/** Reads and validates an index file without opening its shards. */
export async function readShardIndex(indexFile: string): Promise<ShardIndex> {
  const json = parseJson(await readTextFile(indexFile), indexFile, { fix: REDOWNLOAD_FIX });
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(json) || !isObject(json.weight_map)) {
    throw new UserError('has no "weight_map" object', { file: indexFile, field: 'weight_map' }, REDOWNLOAD_FIX);
  }
  if (json.metadata !== undefined && !isObject(json.metadata)) {
    throw new UserError('"metadata" is not an object', { file: indexFile, field: 'metadata' }, REDOWNLOAD_FIX);
  }
  const folder = dirname(indexFile);
  const weightMap = new Map<string, string>();
  const shards: string[] = [];
  for (const [name, shard] of Object.entries(json.weight_map)) {
    // Shard names are plain file names beside the index; anything with a path in it could point anywhere on disk.
    if (typeof shard !== 'string' || shard === '' || shard === '.' || shard === '..' || /[/\\]/.test(shard)) {
      throw new UserError(
        `shard ${JSON.stringify(shard)} is not a plain file name in the same folder`,
        { file: indexFile, field: `weight_map.${name}` },
        REDOWNLOAD_FIX,
      );
    }
    const path = join(folder, shard);
    if (!shards.includes(path)) shards.push(path);
    weightMap.set(name, path);
  }
  return { indexFile, metadata: json.metadata ?? {}, weightMap, shards };
}

export function readShardedSafetensors(indexFile: string): Promise<ShardedCheckpoint> {
  return readSharded(indexFile, async (shard) => (await readSafetensors(shard)).tensors);
}

export function readShardedTorchBin(indexFile: string): Promise<ShardedCheckpoint> {
  return readSharded(indexFile, readTorchBin);
}

async function readSharded(indexFile: string, readShard: (file: string) => Promise<TensorMap>): Promise<ShardedCheckpoint> {
  const index = await readShardIndex(indexFile);
  const tensors: TensorMap = new Map();
  // Every shard must be there before any is read: a partial download should fail fast, not after gigabytes.
  for (const shard of index.shards) {
    const exists = await fs.stat(shard).then((s) => s.isFile(), () => false);
    if (!exists) throw new UserError(`lists shard ${shard}, which is missing`, { file: indexFile }, REDOWNLOAD_FIX);
  }
  for (const shard of index.shards) {
    for (const [name, tensor] of await readShard(shard)) {
      const mapped = index.weightMap.get(name);
      if (mapped !== shard) {
        const problem = mapped === undefined ? 'is in this shard but not in the index' : `is in this shard but the index puts it in ${mapped}`;
        throw new UserError(problem, { file: shard, field: name }, REDOWNLOAD_FIX);
      }
      tensors.set(name, tensor);
    }
  }
  for (const [name, shard] of index.weightMap) {
    if (!tensors.has(name)) throw new UserError(`is not in ${shard}, where the index says it is`, { file: indexFile, field: name }, REDOWNLOAD_FIX);
  }
  // Keep the index's order (the order the model declared its parameters), not the shard reading order.
  const ordered: TensorMap = new Map([...index.weightMap.keys()].map((name) => [name, tensors.get(name)!]));
  return { tensors: ordered, metadata: index.metadata, files: [indexFile, ...index.shards] };
}
