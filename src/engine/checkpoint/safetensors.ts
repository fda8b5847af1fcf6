// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON describing each tensor
// ({dtype, shape, data_offsets:[begin,end]} relative to the data region, plus an optional "__metadata__" map of
// strings), then the data region. Files come from the internet, so the header is validated completely (as the
// reference implementation does: every byte of the data region belongs to exactly one tensor) before any memory
// is allocated for the data, and the data is read with one read into one buffer that float32 tensors then view.

import type { FileHandle } from 'node:fs/promises';
import { UserError } from '../errors';
import { HostTensor, TensorMap, numel } from '../tensors';
import { SUPPORTED_DTYPES_TEXT, StoredDType, decodeElements, encodeElements, isStoredDType, itemSize } from './dtypes';
import { writeAll, writeFileAtomic } from '../fs/atomic';
import { openInput, readRange } from './files';

export interface SafetensorsEntry {
  name: string;
  dtype: StoredDType;
  shape: number[];
  /** Byte range inside the data region (which starts at `dataStart` in the file). */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  metadata: Record<string, string>;
  /** In header (JSON key) order. */
  entries: SafetensorsEntry[];
  /** File offset of the data region: 8 + header length. */
  dataStart: number;
  dataLength: number;
}

/** The reference implementation refuses headers over 100 MB; a real header is a few hundred bytes per tensor. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
const DAMAGED_FIX =
  'The file is damaged or was not written by a safetensors library; download it again or re-export it with `model.save_pretrained(dir)`.';

/** Reads and validates only the header: enough for listing a checkpoint without loading its weights. */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  const { handle, size } = await openInput(file);
  try {
    return await readHeader(file, handle, size);
  } finally {
    await handle.close();
  }
}

export async function readSafetensors(file: string): Promise<{ tensors: TensorMap; metadata: Record<string, string> }> {
  const { handle, size } = await openInput(file);
  try {
    const header = await readHeader(file, handle, size);
    const data = await readRange(handle, header.dataStart, header.dataLength);
    const tensors: TensorMap = new Map();
    for (const e of header.entries) {
      const bytes = data.subarray(e.begin, e.end);
      const values = decodeElements(bytes, e.dtype, numel(e.shape), { file, field: e.name });
      tensors.set(e.name, { dtype: values instanceof Float32Array ? 'float32' : 'int32', shape: e.shape, data: values });
    }
    return { tensors, metadata: header.metadata };
  } finally {
    await handle.close();
  }
}

async function readHeader(file: string, handle: FileHandle, size: number): Promise<SafetensorsHeader> {
  if (size < 8) {
    throw new UserError(`is ${size} bytes long, shorter than the 8-byte safetensors header length`, { file }, DAMAGED_FIX);
  }
  const n = Number(Buffer.from(await readRange(handle, 0, 8)).readBigUInt64LE(0));
  if (n > MAX_HEADER_BYTES) {
    throw new UserError(`safetensors header length ${n} is absurd (limit ${MAX_HEADER_BYTES} bytes)`, { file }, DAMAGED_FIX);
  }
  if (8 + n > size) {
    throw new UserError(`safetensors header length ${n} runs past the end of the ${size}-byte file`, { file }, DAMAGED_FIX);
  }
  const headerBytes = await readRange(handle, 8, n);
  return parseHeader(file, headerBytes, size - 8 - n, 8 + n);
}

/** Validates a header's JSON against a data region of `dataLength` bytes. Exported for tests and other readers. */
export function parseHeader(file: string, headerBytes: Uint8Array, dataLength: number, dataStart: number): SafetensorsHeader {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (e) {
    throw new UserError(`safetensors header is not valid UTF-8 JSON (${(e as Error).message})`, { file }, DAMAGED_FIX);
  }
  if (!isPlainObject(json)) {
    throw new UserError('safetensors header is not a JSON object', { file }, DAMAGED_FIX);
  }
  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === METADATA_KEY) {
      metadata = parseMetadata(file, value);
      continue;
    }
    entries.push(parseEntry(file, name, value, dataLength));
  }
  checkCoverage(file, entries, dataLength);
  return { metadata, entries, dataStart, dataLength };
}

function parseMetadata(file: string, value: unknown): Record<string, string> {
  if (!isPlainObject(value)) {
    throw new UserError('"__metadata__" is not an object of strings', { file, field: METADATA_KEY }, DAMAGED_FIX);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new UserError(`"__metadata__" value for "${k}" is not a string`, { file, field: METADATA_KEY }, DAMAGED_FIX);
    }
    out[k] = v;
  }
  return out;
}

function parseEntry(file: string, name: string, value: unknown, dataLength: number): SafetensorsEntry {
  const place = { file, field: name };
  if (!isPlainObject(value)) throw new UserError('header entry is not an object', place, DAMAGED_FIX);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isStoredDType(dtype)) {
    throw new UserError(
      `unsupported dtype ${JSON.stringify(dtype)}`,
      place,
      `Supported dtypes are ${SUPPORTED_DTYPES_TEXT}; convert the model in Python (e.g. \`model.float()\`) and save it again.`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new UserError(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`, place, DAMAGED_FIX);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new UserError(`data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`, place, DAMAGED_FIX);
  }
  const [begin, end] = offsets as number[];
  if (begin > end || end > dataLength) {
    throw new UserError(
      `data_offsets [${begin}, ${end}] are out of range for a data region of ${dataLength} bytes`,
      place,
      DAMAGED_FIX,
    );
  }
  // Every dimension is checked against the bytes actually present, so the product cannot silently overflow.
  const bytes = (shape as number[]).reduce((acc, d) => acc * d, itemSize(dtype));
  if (bytes !== end - begin) {
    throw new UserError(
      `shape [${shape.join(', ')}] of ${dtype} needs ${bytes} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`,
      place,
      DAMAGED_FIX,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/** Tensors must tile the data region exactly: no overlap (two tensors sharing bytes), no gaps, nothing trailing. */
function checkCoverage(file: string, entries: SafetensorsEntry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: SafetensorsEntry | undefined;
  for (const e of sorted) {
    if (e.begin < covered) {
      throw new UserError(
        `data_offsets [${e.begin}, ${e.end}] overlap those of "${previous?.name}" [${previous?.begin}, ${previous?.end}]`,
        { file, field: e.name },
        DAMAGED_FIX,
      );
    }
    if (e.begin > covered) {
      throw new UserError(`bytes ${covered}–${e.begin} of the data region belong to no tensor`, { file, field: e.name }, DAMAGED_FIX);
    }
    covered = e.end;
    previous = e;
  }
  if (covered !== dataLength) {
    throw new UserError(`the last ${dataLength - covered} bytes of the data region belong to no tensor`, { file }, DAMAGED_FIX);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The order the reference writer uses: by dtype (F32 before I32), then by name compared as UTF-8 bytes. */
function layoutOrder(tensors: TensorMap): [string, HostTensor][] {
  const rank = (t: HostTensor) => (t.dtype === 'float32' ? 0 : 1);
  return [...tensors.entries()].sort(
    ([an, a], [bn, b]) => rank(a) - rank(b) || Buffer.compare(Buffer.from(an, 'utf8'), Buffer.from(bn, 'utf8')),
  );
}

/** The header bytes for `tensors`, compact JSON padded with spaces to a multiple of 8 (data then starts aligned). */
export function buildHeader(tensors: TensorMap, metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { [METADATA_KEY]: metadata };
  let offset = 0;
  for (const [name, t] of layoutOrder(tensors)) {
    if (name === METADATA_KEY) throw new Error(`a tensor cannot be named ${METADATA_KEY}`);
    if (t.data.length !== numel(t.shape)) {
      throw new Error(`tensor ${name}: ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    }
    const expected = t.dtype === 'float32' ? Float32Array : Int32Array;
    if (!(t.data instanceof expected)) throw new Error(`tensor ${name}: dtype ${t.dtype} but data is ${t.data.constructor.name}`);
    const bytes = t.data.byteLength;
    header[name] = { dtype: t.dtype === 'float32' ? 'F32' : 'I32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Buffer.alloc(Math.ceil(json.length / 8) * 8, 0x20);
  json.copy(padded);
  return padded;
}

/**
 * Writes `tensors` as float32/int32 safetensors, atomically. `metadata` defaults to {"format":"pt"}, which
 * transformers requires before it will load the file into torch; given metadata is added after that key.
 */
export async function writeSafetensors(file: string, tensors: TensorMap, metadata: Record<string, string> = {}): Promise<void> {
  const header = buildHeader(tensors, { format: 'pt', ...metadata });
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.byteLength));
  await writeFileAtomic(file, async (handle) => {
    await writeAll(handle, length);
    await writeAll(handle, header);
    // One tensor at a time: never a second, whole-model-sized buffer.
    for (const [, t] of layoutOrder(tensors)) await writeAll(handle, encodeElements(t.data));
  });
}
