// Whether a checkpoint folder's weights fit its config.json, known from the weight files' headers alone: the JSON
// header of each safetensors file, and for pytorch_model.bin the archive's directory and its data.pkl (which holds
// every tensor's size), never the storages. A grid checks each model this way before any cell trains, so a
// mismatched checkpoint costs seconds and no memory, instead of failing the first cell that loads it — or every
// cell, one after another. The checks are loading's own (weights.ts), so both always agree.
import { inflateRawSync } from 'node:zlib';
import { locateCheckpoint } from '../checkpoint/folder';
import { hostDType } from '../checkpoint/dtypes';
import { openInput, readRange } from '../checkpoint/files';
import { PyDict, PyGlobal, PyOpaque, PyTuple, TensorRecipe, unpickle, type PyValue } from '../checkpoint/pickle';
import { readSafetensorsHeader } from '../checkpoint/safetensors';
import { readShardIndex } from '../checkpoint/sharded';
import type { BertConfig } from './config';
import { checkStoredTensors, type StoredTensor } from './weights';

/**
 * Throws the UserError loading would throw — naming the weights file, the tensor, the stored and the expected
 * shape, and the fix — when a tensor of the checkpoint in `dir` disagrees with `config`, or the encoder is
 * incomplete. Tensors of a pytorch_model.bin that cannot be listed without reading it whole are left to loading.
 */
export async function checkCheckpointShapes(dir: string, config: BertConfig): Promise<void> {
  const { weightsPath, layout } = await locateCheckpoint(dir);
  const stored = new Map<string, StoredTensor>();
  const fileOf = new Map<string, string>();
  const add = (file: string, tensors: Iterable<[string, StoredTensor]>) => {
    for (const [name, tensor] of tensors) {
      stored.set(name, tensor);
      fileOf.set(name, file);
    }
  };
  const read = async (file: string, kind: 'safetensors' | 'torch-bin'): Promise<boolean> => {
    const tensors = kind === 'safetensors' ? await safetensorsShapes(file) : await torchBinShapes(file);
    if (tensors === undefined) return false;
    add(file, tensors);
    return true;
  };
  switch (layout) {
    case 'safetensors':
    case 'torch-bin':
      if (!(await read(weightsPath, layout))) return;
      break;
    case 'safetensors-sharded':
    case 'torch-bin-sharded':
      for (const shard of (await readShardIndex(weightsPath)).shards) {
        if (!(await read(shard, layout === 'safetensors-sharded' ? 'safetensors' : 'torch-bin'))) return;
      }
      break;
  }
  // Every head whose shape the config fixes is checked; a classifier's class count is the checkpoint's own
  // business (a method replaces a classifier of another task), so only its hidden size is held to the config.
  const classifier = stored.get('classifier.weight');
  const numLabels = classifier?.shape.length === 2 ? Math.max(1, classifier.shape[0]) : 2;
  checkStoredTensors(config, { mlm: true, classifier: { numLabels } }, stored, weightsPath, (t) => fileOf.get(t));
}

async function safetensorsShapes(file: string): Promise<[string, StoredTensor][]> {
  const header = await readSafetensorsHeader(file);
  return header.entries.map((e) => [e.name, { dtype: hostDType(e.dtype), shape: e.shape }]);
}

/** Tensor names and sizes from a torch.save archive's data.pkl; undefined when its layout is not the usual one. */
async function torchBinShapes(file: string): Promise<[string, StoredTensor][] | undefined> {
  const pkl = await readDataPkl(file);
  if (pkl === undefined) return undefined;
  // Storages are not loaded: each persistent id stays opaque, keeping only its storage type for the dtype.
  const root = unpickle(pkl, { file, persistentLoad: (pid) => new PyOpaque(pid) });
  if (!(root instanceof PyDict)) return undefined;
  const out: [string, StoredTensor][] = [];
  for (const [name, value] of root.map) {
    if (typeof name !== 'string' || !(value instanceof TensorRecipe)) return undefined;
    out.push([name, { dtype: isFloat(value) ? 'float32' : 'int32', shape: value.size }]);
  }
  return out;
}

/** A v3 tensor names its dtype (`torch.float16`); a v2 one has its storage's type (`torch.HalfStorage`). */
function isFloat(recipe: TensorRecipe): boolean {
  if (recipe.dtype) return /^(float|half|double|bfloat)/.test(recipe.dtype.name);
  const pid: PyValue = recipe.storage instanceof PyOpaque ? (recipe.storage.value as PyValue) : null;
  const type = pid instanceof PyTuple ? pid.items[1] : undefined;
  return type instanceof PyGlobal && /^(Float|Half|BFloat16|Double)Storage$/.test(type.name);
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
/** data.pkl of a BERT is tens of kilobytes; anything near this is not a state dict worth listing up front. */
const MAX_PICKLE_BYTES = 64 << 20;

/**
 * The `<prefix>/data.pkl` entry of a ZIP archive, read through the end record and central directory with a few
 * small reads. Anything unexpected gives undefined: the full reader (zip.ts) validates the archive and reports
 * damage in detail when the model is loaded.
 */
async function readDataPkl(file: string): Promise<Uint8Array | undefined> {
  const { handle, size } = await openInput(file);
  const read = async (position: number, length: number): Promise<Buffer | undefined> =>
    position >= 0 && length >= 0 && position + length <= size ? Buffer.from(await readRange(handle, position, length)) : undefined;
  try {
    const tailLength = Math.min(size, 22 + 0xffff + 20);
    const tail = await read(size - tailLength, tailLength);
    if (tail === undefined || tailLength < 22) return undefined;
    let eocd = -1;
    for (let p = tail.length - 22; p >= 0 && eocd < 0; p--) {
      if (tail.readUInt32LE(p) === SIG_EOCD && p + 22 + tail.readUInt16LE(p + 20) === tail.length) eocd = p;
    }
    if (eocd < 0) return undefined;
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === SIG_ZIP64_LOCATOR) {
      const record = await read(Number(tail.readBigUInt64LE(eocd - 20 + 8)), 56);
      if (record === undefined || record.readUInt32LE(0) !== SIG_ZIP64_EOCD) return undefined;
      cdSize = Number(record.readBigUInt64LE(40));
      cdOffset = Number(record.readBigUInt64LE(48));
    }
    const cd = await read(cdOffset, cdSize);
    if (cd === undefined) return undefined;
    for (let p = 0; p + 46 <= cd.length && cd.readUInt32LE(p) === SIG_CENTRAL; ) {
      const [nameLength, extraLength, commentLength] = [cd.readUInt16LE(p + 28), cd.readUInt16LE(p + 30), cd.readUInt16LE(p + 32)];
      const next = p + 46 + nameLength + extraLength + commentLength;
      if (next > cd.length) return undefined;
      if (/^[^/]+\/data\.pkl$/.test(cd.toString('utf8', p + 46, p + 46 + nameLength))) {
        const method = cd.readUInt16LE(p + 10);
        let compressed = cd.readUInt32LE(p + 20);
        let uncompressed = cd.readUInt32LE(p + 24);
        let local = cd.readUInt32LE(p + 42);
        // ZIP64: a field that reads 0xFFFFFFFF is in the 0x0001 extra field instead, in this fixed order.
        const extraEnd = p + 46 + nameLength + extraLength;
        for (let q = p + 46 + nameLength; q + 4 <= extraEnd; q += 4 + cd.readUInt16LE(q + 2)) {
          const fieldEnd = q + 4 + cd.readUInt16LE(q + 2);
          if (fieldEnd > extraEnd) return undefined;
          if (cd.readUInt16LE(q) !== 1) continue;
          let r = q + 4;
          const take = (): number => {
            if (r + 8 > fieldEnd) return NaN;
            r += 8;
            return Number(cd.readBigUInt64LE(r - 8));
          };
          if (uncompressed === 0xffffffff) uncompressed = take();
          if (compressed === 0xffffffff) compressed = take();
          if (local === 0xffffffff) local = take();
        }
        if (!(uncompressed <= MAX_PICKLE_BYTES) || !(compressed <= MAX_PICKLE_BYTES)) return undefined;
        const header = await read(local, 30);
        if (header === undefined || header.readUInt32LE(0) !== SIG_LOCAL) return undefined;
        const data = await read(local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28), compressed);
        if (data === undefined) return undefined;
        if (method === 0) return data;
        if (method !== 8) return undefined;
        try {
          return inflateRawSync(data, { maxOutputLength: Math.max(1, uncompressed) });
        } catch {
          return undefined;
        }
      }
      p = next;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
