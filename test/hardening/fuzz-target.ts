// One reader under fuzzing, in its own process so that a hang or a runaway allocation can be stopped from outside:
// `node --import tsx test/hardening/fuzz-target.ts <reader> <seed> <count> <tmpdir>`. Writes one JSON line before
// each case ({"start": i, "what": ...}) and one after it ({"done": i, "outcome": "ok" | "user" | "crash", ...}),
// then a summary line. test/unit/hardening/fuzz.test.ts runs it and judges the lines.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildHeader, readSafetensors } from '../../src/engine/checkpoint/safetensors';
import { readTorchBin } from '../../src/engine/checkpoint/torch-bin';
import { readDataset } from '../../src/engine/data/dataset';
import { isUserError } from '../../src/engine/errors';
import { Rng } from '../../src/engine/rng';
import { numel, type TensorMap } from '../../src/engine/tensors';
import { bytesOf, contiguousStride, stateDictPickle, torchArchive, type TorchStorage, type TorchTensor } from '../unit/checkpoint/torch-writer';
import { mutate } from './mutate';

export const READERS = ['safetensors', 'torch-bin', 'pickle', 'csv', 'tsv', 'jsonl', 'json'] as const;
export type ReaderName = (typeof READERS)[number];

interface Target {
  /** The valid file every case starts from. */
  valid: Uint8Array;
  /** The file name the reader sees (its extension picks the data format). */
  name: string;
  /** What a case writes to disk, from the mutated bytes (the pickle target wraps them in an archive). */
  wrap?: (mutated: Uint8Array) => Uint8Array;
  read(file: string): Promise<unknown>;
}

// Small tensors of every stored dtype the readers convert, so that mutations of a dtype or shape reach each decoder.
function safetensorsSample(): Uint8Array {
  const tensors: TensorMap = new Map([
    ['a.weight', { dtype: 'float32', shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i / 4 - 1) }],
    ['a.bias', { dtype: 'float32', shape: [4], data: Float32Array.from([0.5, -0.5, 2, 3]) }],
    ['ids', { dtype: 'int32', shape: [2, 3], data: Int32Array.from([0, 1, 2, 3, 4, 5]) }],
  ]);
  const header = JSON.parse(Buffer.from(buildHeader(tensors, { format: 'pt' })).toString('utf8').trim()) as Record<string, { data_offsets: number[] }>;
  // Append tensors in other dtypes by hand (the writer only writes F32 and I32).
  const extra: [string, string, number[], Uint8Array][] = [
    ['half', 'F16', [4], bytesOf(Uint16Array.from([0x3c00, 0xbc00, 0x7c00, 0x0001]))],
    ['bf16', 'BF16', [2], bytesOf(Uint16Array.from([0x4040, 0xbf80]))],
    ['long', 'I64', [3], bytesOf(BigInt64Array.from([1n, -2n, 3n]))],
    ['flags', 'BOOL', [3], Uint8Array.from([1, 0, 1])],
    ['f64', 'F64', [1], bytesOf(Float64Array.from([0.25]))],
  ];
  let offset = Math.max(...Object.values(header).map((e) => e.data_offsets?.[1] ?? 0));
  const data: Uint8Array[] = [...tensors.values()].map((t) => bytesOf(t.data));
  for (const [name, dtype, shape, bytes] of extra) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] } as never;
    offset += bytes.length;
    data.push(bytes);
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, ...data]);
}

// A state dict with a Parameter, a transposed view, an offset view, tied storages and several storage types.
function torchSample(): { pickle: Uint8Array; storages: TorchStorage[] } {
  const f: TorchStorage = { key: '0', type: 'FloatStorage', data: bytesOf(Float32Array.from({ length: 12 }, (_, i) => i - 6)) };
  const l: TorchStorage = { key: '1', type: 'LongStorage', data: bytesOf(BigInt64Array.from([0n, 1n, 2n, 3n])) };
  const h: TorchStorage = { key: '2', type: 'HalfStorage', data: bytesOf(Uint16Array.from([0x3c00, 0xc000])) };
  const tensors: TorchTensor[] = [
    { name: 'w', storage: f, offset: 0, size: [3, 4], stride: contiguousStride([3, 4]), parameter: true },
    { name: 'w_t', storage: f, offset: 0, size: [4, 3], stride: [1, 4] },
    { name: 'tail', storage: f, offset: 8, size: [4], stride: [1] },
    { name: 'position_ids', storage: l, offset: 0, size: [1, 4], stride: [4, 1] },
    { name: 'half', storage: h, offset: 0, size: [2], stride: [1] },
  ];
  return { pickle: stateDictPickle(tensors), storages: [f, l, h] };
}

const CSV = 'text,label\n"Free entry, win now",spam\n"She said ""hi""\nthen left",ham\nplain row,ham\ncafé au lait ☕,ham\n';
const JSONL = '{"text": "Free entry, win now", "label": "spam"}\n{"text": "She said \\"hi\\"\\nthen left", "label": "ham"}\n\n{"text": "café ☕", "label": 1}\n';
const JSON_ARRAY = '[\n  {"text": "Free entry", "label": "spam"},\n  {"text": "See you", "label": "ham", "extra": [1, 2, {"a": null}]}\n]\n';

function target(reader: ReaderName): Target {
  const fields = { textField: 'text', labelField: 'label' };
  switch (reader) {
    case 'safetensors':
      return { valid: safetensorsSample(), name: 'model.safetensors', read: (f) => readSafetensors(f).then(({ tensors }) => checkTensors(tensors)) };
    case 'torch-bin': {
      const { pickle, storages } = torchSample();
      return { valid: torchArchive(pickle, storages), name: 'pytorch_model.bin', read: (f) => readTorchBin(f).then(checkTensors) };
    }
    case 'pickle': {
      // Mutations of data.pkl alone, re-archived with correct CRCs, so that they reach the unpickler.
      const { pickle, storages } = torchSample();
      return { valid: pickle, name: 'pytorch_model.bin', wrap: (p) => torchArchive(p, storages), read: (f) => readTorchBin(f).then(checkTensors) };
    }
    case 'csv':
      return { valid: Buffer.from(CSV), name: 'data.csv', read: (f) => readDataset(f, fields) };
    case 'tsv':
      return { valid: Buffer.from(CSV.replace(/,(?=[a-z]+\n)/g, '\t')), name: 'data.tsv', read: (f) => readDataset(f, fields) };
    case 'jsonl':
      return { valid: Buffer.from(JSONL), name: 'data.jsonl', read: (f) => readDataset(f, fields) };
    case 'json':
      return { valid: Buffer.from(JSON_ARRAY), name: 'data.json', read: (f) => readDataset(f, fields) };
  }
}

/** A result that parses must be consistent: every tensor holds exactly as many values as its shape says. */
function checkTensors(tensors: TensorMap): TensorMap {
  for (const [name, t] of tensors) {
    if (t.data.length !== numel(t.shape)) throw new Error(`tensor ${name}: ${t.data.length} values for shape [${t.shape.join(', ')}]`);
  }
  return tensors;
}

async function main(): Promise<void> {
  const [reader, seedText, countText, dir] = process.argv.slice(2);
  if (!(READERS as readonly string[]).includes(reader)) throw new Error(`unknown reader ${reader}`);
  const seed = Number(seedText);
  const count = Number(countText);
  const t = target(reader as ReaderName);
  const rng = new Rng(seed);
  const file = path.join(dir, t.name);
  const emit = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
  let peakArrayBuffers = 0;
  const outcomes = { ok: 0, user: 0, crash: 0 };
  for (let i = 0; i < count; i++) {
    const m = mutate(t.valid, rng);
    emit({ start: i, what: m.what, size: m.bytes.length });
    writeFileSync(file, t.wrap ? t.wrap(m.bytes) : m.bytes);
    const t0 = performance.now();
    let outcome: keyof typeof outcomes = 'ok';
    let error: string | undefined;
    try {
      const result = await t.read(file);
      // Measured while the result is alive: what a case keeps, against what its input could justify.
      peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
      void result;
    } catch (e) {
      if (isUserError(e)) {
        outcome = 'user';
        error = e.format();
      } else {
        outcome = 'crash';
        error = (e as Error)?.stack ?? String(e);
      }
    }
    outcomes[outcome]++;
    emit({ done: i, outcome, ms: Math.round(performance.now() - t0), ...(error !== undefined && outcome === 'crash' ? { error } : {}) });
  }
  emit({ summary: outcomes, peakArrayBuffers, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
}

// Run only as a script: the test imports READERS from here.
if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  });
}
