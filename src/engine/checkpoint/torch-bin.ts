// pytorch_model.bin as torch.save (≥ 1.6) writes it: a ZIP archive holding `<prefix>/data.pkl`, a pickle of the
// state dict in which each tensor is a `_rebuild_tensor_v2(storage, offset, size, stride, …)` call and each storage
// a persistent id `('storage', torch.FloatStorage, key, location, numel)` whose bytes are `<prefix>/data/<key>`.
// The pickle goes through the restricted unpickler (nothing is executed); tensors are then cut out of their
// storages here, gathering element by element when the strides are not the plain row-major ones.

import { UserError } from '../errors';
import { TensorMap, numel } from '../tensors';
import { StoredDType, decodeElements, itemSize } from './dtypes';
import { readWholeFile } from './files';
import { PyDict, PyGlobal, PyOpaque, PyTuple, PyValue, TensorRecipe, unpickle } from './pickle';
import { ZipArchive } from './zip';

const STORAGE_DTYPES: Record<string, StoredDType> = {
  FloatStorage: 'F32', HalfStorage: 'F16', BFloat16Storage: 'BF16', DoubleStorage: 'F64', LongStorage: 'I64',
  IntStorage: 'I32', ShortStorage: 'I16', CharStorage: 'I8', ByteStorage: 'U8', BoolStorage: 'BOOL',
};
const TORCH_DTYPES: Record<string, StoredDType> = {
  float32: 'F32', float: 'F32', float16: 'F16', half: 'F16', bfloat16: 'BF16', float64: 'F64', double: 'F64',
  int64: 'I64', long: 'I64', int32: 'I32', int: 'I32', int16: 'I16', short: 'I16', int8: 'I8', uint8: 'U8', bool: 'BOOL',
};
const CONVERT_FIX =
  'Convert it to safetensors in Python (`model.save_pretrained(dir, safe_serialization=True)`) and point to that folder instead.';
const DAMAGED_FIX = 'The file is damaged or not a PyTorch state dict; download it again or convert it to safetensors.';

/** One storage as loaded from the archive. Untyped storages hold bytes until a v3 tensor gives them a dtype. */
class StorageRecord {
  constructor(
    readonly key: string,
    readonly dtype: StoredDType,
    readonly bytes: Uint8Array,
  ) {}
}

export async function readTorchBin(file: string): Promise<TensorMap> {
  const bytes = await readWholeFile(file);
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) {
    if (bytes[0] === 0x80) {
      throw new UserError(
        'is in the legacy (pre-1.6) torch.save format, which is not supported',
        { file },
        `Re-save it with torch ≥ 1.6, or better: ${CONVERT_FIX}`,
      );
    }
    throw new UserError('is not a PyTorch checkpoint (no ZIP archive inside)', { file }, DAMAGED_FIX);
  }
  const zip = new ZipArchive(bytes, file);
  const prefix = findPrefix(zip, file);
  if (zip.entries.has(`${prefix}/byteorder`)) {
    const order = Buffer.from(zip.read(`${prefix}/byteorder`)).toString('latin1');
    if (order !== 'little') throw new UserError(`stores its tensors in "${order}" byte order; only little-endian is supported`, { file }, CONVERT_FIX);
  }

  const storages = new Map<string, StorageRecord>();
  const persistentLoad = (pid: PyValue): PyValue => {
    const record = loadStorage(pid, zip, prefix, file, storages);
    storages.set(record.key, record);
    return new PyOpaque(record);
  };
  const root = unpickle(zip.read(`${prefix}/data.pkl`), { file, persistentLoad });
  if (!(root instanceof PyDict)) {
    throw new UserError('does not hold a state dict (a dict of tensor names to tensors)', { file }, 'Save `model.state_dict()`, not the model object, or convert to safetensors.');
  }

  const recipes: [string, TensorRecipe][] = [];
  const uses = new Map<StorageRecord, number>();
  for (const [name, value] of root.map) {
    if (typeof name !== 'string') throw new UserError(`has a non-string key ${String(name)} in its state dict`, { file }, DAMAGED_FIX);
    if (!(value instanceof TensorRecipe) || !(value.storage instanceof PyOpaque) || !(value.storage.value instanceof StorageRecord)) {
      throw new UserError('state dict entry is not a tensor', { file, field: name }, CONVERT_FIX);
    }
    recipes.push([name, value]);
    uses.set(value.storage.value, (uses.get(value.storage.value) ?? 0) + 1);
  }
  const tensors: TensorMap = new Map();
  for (const [name, r] of recipes) {
    const storage = (r.storage as PyOpaque).value as StorageRecord;
    const data = buildTensor(r, storage, { file, field: name });
    // Tensors that share a storage (tied weights, views) get their own copy, so changing one cannot change another.
    const own = (uses.get(storage) ?? 0) > 1 && data.buffer === storage.bytes.buffer ? data.slice() : data;
    tensors.set(name, { dtype: own instanceof Float32Array ? 'float32' : 'int32', shape: r.size, data: own });
  }
  return tensors;
}

/** The archive's one top-level folder holding data.pkl ("archive" for current torch, the file stem for 1.6). */
function findPrefix(zip: ZipArchive, file: string): string {
  const candidates = [...zip.entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (candidates.length !== 1) {
    throw new UserError(
      candidates.length === 0 ? 'has no data.pkl, so it is a ZIP file but not a torch.save checkpoint' : 'has several data.pkl files',
      { file },
      DAMAGED_FIX,
    );
  }
  return candidates[0].slice(0, -'/data.pkl'.length);
}

function loadStorage(pid: PyValue, zip: ZipArchive, prefix: string, file: string, cache: Map<string, StorageRecord>): StorageRecord {
  const items = pid instanceof PyTuple ? pid.items : [];
  const [tag, type, key, , count] = items;
  if (items.length !== 5 || tag !== 'storage' || !(type instanceof PyGlobal) || typeof key !== 'string' || typeof count !== 'number') {
    throw new UserError('data.pkl refers to a storage in a form torch.save does not write', { file }, DAMAGED_FIX);
  }
  const untyped = type.name === 'UntypedStorage';
  const dtype = untyped ? 'U8' : STORAGE_DTYPES[type.name];
  if (dtype === undefined) throw new UserError(`storage type \`${type.qualified}\` is not a tensor storage`, { file }, DAMAGED_FIX);
  const cached = cache.get(key);
  if (cached) {
    if (cached.dtype !== dtype) throw new UserError(`storage ${key} is used with two different types`, { file }, DAMAGED_FIX);
    return cached;
  }
  const entry = `${prefix}/data/${key}`;
  if (!zip.entries.has(entry)) throw new UserError(`storage ${key} is missing from the archive (no ${entry})`, { file }, DAMAGED_FIX);
  const data = zip.read(entry);
  if (!Number.isSafeInteger(count) || count < 0 || data.byteLength !== count * itemSize(dtype)) {
    throw new UserError(`storage ${key} should hold ${count} × ${dtype} but has ${data.byteLength} bytes`, { file }, DAMAGED_FIX);
  }
  return new StorageRecord(key, dtype, data);
}

function buildTensor(r: TensorRecipe, storage: StorageRecord, place: { file: string; field: string }): Float32Array | Int32Array {
  const dtype = r.dtype ? TORCH_DTYPES[r.dtype.name] : storage.dtype;
  if (dtype === undefined) throw new UserError(`dtype torch.${r.dtype?.name} is not supported`, place, CONVERT_FIX);
  const size = itemSize(dtype);
  if (storage.bytes.byteLength % size !== 0) {
    throw new UserError(`storage ${storage.key} is not a whole number of ${dtype} elements`, place, DAMAGED_FIX);
  }
  const available = storage.bytes.byteLength / size;
  const count = numel(r.size);
  if (count === 0) return decodeElements(new Uint8Array(0), dtype, 0, place);
  // The last element the view touches: strides are non-negative, so it is the one with every index at its maximum.
  const last = r.size.reduce((acc, n, d) => acc + (n - 1) * r.stride[d], r.storageOffset);
  if (!Number.isSafeInteger(last) || last >= available) {
    throw new UserError(
      `tensor of size [${r.size.join(', ')}] with strides [${r.stride.join(', ')}] at offset ${r.storageOffset} reaches past its storage of ${available} elements`,
      place,
      DAMAGED_FIX,
    );
  }
  // A view that repeats elements (stride 0, an expanded tensor) would be materialised in full: a few bytes of file
  // could ask for gigabytes. Weights are never saved that way, so more elements than the storage holds is refused.
  if (count > available) {
    throw new UserError(
      `tensor of size [${r.size.join(', ')}] with strides [${r.stride.join(', ')}] has ${count} elements, more than its storage's ${available}: it repeats elements`,
      place,
      'Save the tensor with `.contiguous()` (or `.clone()`), or convert the checkpoint to safetensors.',
    );
  }
  const span = decodeElements(storage.bytes.subarray(r.storageOffset * size, (last + 1) * size), dtype, last + 1 - r.storageOffset, place);
  if (isRowMajor(r.size, r.stride)) return span;
  return gather(span, r.size, r.stride, count);
}

/** True when the strides are the row-major ones (dimensions of size 1 may have any stride). */
function isRowMajor(size: number[], stride: number[]): boolean {
  let expected = 1;
  for (let d = size.length - 1; d >= 0; d--) {
    if (size[d] !== 1 && stride[d] !== expected) return false;
    expected *= size[d];
  }
  return true;
}

/** Copies a strided view into row-major order, stepping an index odometer (no recursion, any rank). */
function gather(span: Float32Array | Int32Array, size: number[], stride: number[], count: number): Float32Array | Int32Array {
  const out = span instanceof Float32Array ? new Float32Array(count) : new Int32Array(count);
  const index = new Array<number>(size.length).fill(0);
  let src = 0;
  for (let i = 0; i < count; i++) {
    out[i] = span[src];
    for (let d = size.length - 1; d >= 0; d--) {
      index[d]++;
      src += stride[d];
      if (index[d] < size[d]) break;
      src -= stride[d] * size[d];
      index[d] = 0;
    }
  }
  return out;
}
