// The corpus inputs that are awkward to commit as bytes: files with NUL bytes, invalid UTF-8 or UTF-16, a 200 MB
// line (never committed: written into the test's temp folder and deleted with it), and checkpoint folders damaged
// in one precise way each. Every generator is deterministic, so a case means the same bytes on every machine.
import { closeSync, mkdirSync, openSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { buildHeader } from '../../src/engine/checkpoint/safetensors';
import { parseBertConfig } from '../../src/engine/model/config';
import { initialValues } from '../../src/engine/model/init';
import { parameterSpecs } from '../../src/engine/model/layout';
import type { TensorMap } from '../../src/engine/tensors';
import { PickleWriter, bytesOf, contiguousStride, stateDictPickle, torchArchive, type TorchTensor } from '../unit/checkpoint/torch-writer';

// ---------------------------------------------------------------------------------------------------------------
// Data files

const CSV_GOOD = 'text,label\nFree entry now,spam\nSee you at lunch,ham\n';

/** 200 MB: far more than any sane row. Written in 1 MiB pieces, so the test itself never holds it. */
const LARGE_BYTES = 200 * 2 ** 20;

/** `before`, then LARGE_BYTES of `fill` repeated, then `after`. */
function writeLarge(file: string, before: string, fill: string, after: string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, before);
    const piece = Buffer.alloc(2 ** 20, fill);
    for (let done = 0; done < LARGE_BYTES; done += piece.length) writeSync(fd, piece);
    writeSync(fd, after);
  } finally {
    closeSync(fd);
  }
}

type FileGenerator = (file: string) => void;

/** Data (and other text) files by name, which ends in the file's extension: `gen:<name>` in cases.json. */
export const FILE_GENERATORS: Record<string, FileGenerator> = {
  // A NUL byte in the middle of line 3, as a binary file renamed .csv would have.
  'nul-byte.csv': (f) => writeFileSync(f, 'text,label\nFree entry now,spam\nSee you\0 at lunch,ham\n'),
  'nul-byte.tsv': (f) => writeFileSync(f, 'text\tlabel\nFree entry now\tspam\n\0\0\0\tham\n'),
  'nul-byte.jsonl': (f) => writeFileSync(f, '{"text": "Free entry now", "label": "spam"}\n{"text": "See you\0", "label": "ham"}\n'),
  // What Excel's "Unicode Text" and Windows editors save: UTF-16 with a byte-order mark (every ASCII char gets a NUL).
  'utf16le-bom.csv': (f) => writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV_GOOD, 'utf16le')])),
  'utf16be-bom.csv': (f) => writeFileSync(f, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CSV_GOOD, 'utf16le').swap16()])),
  'utf16le-bom.jsonl': (f) =>
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"text": "Free entry now", "label": "spam"}\n', 'utf16le')])),
  // Latin-1 exports: "café" with é as the single byte 0xE9.
  'latin1.csv': (f) => writeFileSync(f, Buffer.concat([Buffer.from('text,label\nFree entry now,spam\nMeet at the caf'), Buffer.from([0xe9]), Buffer.from(',ham\n')])),
  'latin1.tsv': (f) => writeFileSync(f, Buffer.concat([Buffer.from('text\tlabel\nFree entry now\tspam\nNa\xefve', 'latin1'), Buffer.from('\tham\n')])),
  'latin1.jsonl': (f) =>
    writeFileSync(f, Buffer.concat([Buffer.from('{"text": "Free entry now", "label": "spam"}\n{"text": "Caf'), Buffer.from([0xe9]), Buffer.from('", "label": "ham"}\n')])),
  // A multi-byte sequence cut short (the first two bytes of "€") at the end of a line.
  'truncated-utf8.csv': (f) => writeFileSync(f, Buffer.concat([Buffer.from('text,label\nFree entry now,spam\nPrice 5'), Buffer.from([0xe2, 0x82]), Buffer.from(',ham\n')])),
  // An overlong encoding of "/" (0xC0 0xAF), which decoders must reject.
  'overlong-utf8.jsonl': (f) =>
    writeFileSync(f, Buffer.concat([Buffer.from('{"text": "Free entry now", "label": "spam"}\n{"text": "a'), Buffer.from([0xc0, 0xaf]), Buffer.from('b", "label": "ham"}\n')])),
  // The unlabeled pool of a distillation is read the same way.
  'unlabeled-latin1.jsonl': (f) => writeFileSync(f, Buffer.concat([Buffer.from('{"text": "Ol'), Buffer.from([0xe9]), Buffer.from('"}\n')])),
  // A 200 MB line: a runaway export, or a binary file with no line breaks.
  'huge-line.csv': (f) => writeLarge(f, 'text,label\nFree entry now,spam\n', 'a', ',ham\n'),
  'huge-line.jsonl': (f) => writeLarge(f, '{"text": "Free entry now", "label": "spam"}\n{"text": "', 'a', '", "label": "ham"}\n'),
  // A quoted CSV field that never closes, spanning the 200 MB that follow: a record may span lines, but not forever.
  'huge-quoted-field.csv': (f) => writeLarge(f, 'text,label\n"Free entry now\n', `${'a'.repeat(1023)}\n`, '",spam\n'),
  // A .json data file is parsed whole, so its size is capped; a sparse file has the size without the disk space.
  'huge.json': (f) => {
    writeFileSync(f, '[{"text": "Free entry now", "label": "spam"},\n');
    truncateSync(f, 300 * 2 ** 20);
  },
  // A folder where a data file should be.
  'folder.jsonl': (f) => mkdirSync(f),
  // Experiment and template files saved as UTF-16.
  'utf16le.experiment.json': (f) => writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"name": "x"}\n', 'utf16le')])),
  'utf16le.prompt.json': (f) =>
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"patterns": ["{text} It was [MASK]."], "verbalizer": {"ham": "normal", "spam": "junk"}}\n', 'utf16le')])),
};

// ---------------------------------------------------------------------------------------------------------------
// Checkpoint folders

/** A tiny BERT (vocabulary of 40 tokens, hidden 8): small enough to write dozens of damaged copies quickly. */
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...'the a is it was good bad great junk normal free entry now see you at lunch message this spam ham win prize call text me today cash claim'.split(' ')];
const TINY_CONFIG = {
  architectures: ['BertForMaskedLM'], model_type: 'bert', vocab_size: VOCAB.length, hidden_size: 8, num_hidden_layers: 1,
  num_attention_heads: 2, intermediate_size: 16, max_position_embeddings: 32, type_vocab_size: 2,
};

function tinyTensors(config: Record<string, unknown> = TINY_CONFIG): TensorMap {
  const parsed = parseBertConfig(config, 'tiny');
  const tensors: TensorMap = new Map();
  for (const spec of parameterSpecs(parsed, { mlm: true })) {
    tensors.set(spec.name, { dtype: 'float32', shape: spec.linear ? [spec.shape[1], spec.shape[0]] : spec.shape, data: initialValues(spec, parsed, 7) });
  }
  return tensors;
}

function writeTokenizer(dir: string): void {
  writeFileSync(path.join(dir, 'vocab.txt'), VOCAB.join('\n') + '\n');
  writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true, model_max_length: 32 }) + '\n');
}

function writeConfig(dir: string, config: unknown): void {
  writeFileSync(path.join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config, null, 2) + '\n');
}

/** A folder with config.json, the tokenizer and `weights` as model.safetensors. */
function safetensorsFolder(dir: string, weights: Uint8Array, config: unknown = TINY_CONFIG): void {
  mkdirSync(dir, { recursive: true });
  writeConfig(dir, config);
  writeTokenizer(dir);
  writeFileSync(path.join(dir, 'model.safetensors'), weights);
}

/** safetensors bytes from a header object (as JSON) and a data region. */
function safetensorsBytes(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, data]);
}

/** The tiny model's safetensors bytes, built in memory (the same layout writeSafetensors uses). */
function goodSafetensors(tensors: TensorMap = tinyTensors()): Buffer {
  const header = buildHeader(tensors, { format: 'pt' });
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.byteLength));
  // buildHeader's order: float32 tensors first, then by name as UTF-8 bytes.
  const rank = (t: { dtype: string }) => (t.dtype === 'float32' ? 0 : 1);
  const order = [...tensors.entries()].sort(([an, a], [bn, b]) => rank(a) - rank(b) || Buffer.compare(Buffer.from(an), Buffer.from(bn)));
  return Buffer.concat([length, header, ...order.map(([, t]) => Buffer.from(bytesOf(t.data)))]);
}

/** Two float tensors of 4 elements each, with the offsets given (for offset-table cases). */
function twoTensorHeader(a: [number, number], b: [number, number], dtypeB = 'F32', shapeB: unknown = [4]): unknown {
  return {
    __metadata__: { format: 'pt' },
    'bert.embeddings.LayerNorm.weight': { dtype: 'F32', shape: [4], data_offsets: a },
    'bert.embeddings.LayerNorm.bias': { dtype: dtypeB, shape: shapeB, data_offsets: b },
  };
}

/** A state dict of the tiny model's tensors, as torch.save would write it, with `pickle` replacing data.pkl when given. */
function torchBinBytes(pickle?: Uint8Array, tweak?: (t: TorchTensor[]) => void): Uint8Array {
  const tensors: TorchTensor[] = [...tinyTensors()].map(([name, t], i) => ({
    name, storage: { key: String(i), type: 'FloatStorage', data: bytesOf(t.data) }, offset: 0, size: t.shape, stride: contiguousStride(t.shape),
  }));
  tweak?.(tensors);
  return torchArchive(pickle ?? stateDictPickle(tensors), tensors.map((t) => t.storage));
}

function torchBinFolder(dir: string, bytes: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  writeConfig(dir, TINY_CONFIG);
  writeTokenizer(dir);
  writeFileSync(path.join(dir, 'pytorch_model.bin'), bytes);
}

/** A pickle that, loaded by torch.load, would call `module.name(arg)` (e.g. os.system("touch marker")). */
function callingPickle(module: string, name: string, arg: string, stackGlobal = false): Uint8Array {
  const p = new PickleWriter().proto(stackGlobal ? 4 : 2);
  if (stackGlobal) {
    // STACK_GLOBAL takes its names from the stack (protocol 4), a second route to the same import.
    const s = (v: string) => p.byte(0x8c, Buffer.byteLength(v), ...Buffer.from(v));
    s(module);
    s(name);
    p.byte(0x93);
  } else {
    p.global(module, name);
  }
  return p.str(arg).tuple(1).reduce().stop().bytes();
}

export interface ModelContext {
  /** A file the hostile pickles try to create; the test asserts that it never exists. */
  marker: string;
}

type ModelGenerator = (dir: string, ctx: ModelContext) => void;

const f32 = (n: number) => new Uint8Array(new Float32Array(n).buffer);

/** Checkpoint folders by name: `"model": "<name>"` in cases.json. */
export const MODEL_GENERATORS: Record<string, ModelGenerator> = {
  // safetensors structure
  'st-shorter-than-length-field': (d) => safetensorsFolder(d, Uint8Array.from([0x10, 0, 0, 0, 0])),
  'st-empty-file': (d) => safetensorsFolder(d, new Uint8Array(0)),
  'st-truncated-header': (d) => safetensorsFolder(d, goodSafetensors().subarray(0, 40)),
  'st-header-length-past-eof': (d) => {
    const b = goodSafetensors();
    b.writeBigUInt64LE(BigInt(b.length), 0);
    safetensorsFolder(d, b);
  },
  'st-header-length-absurd': (d) => {
    const b = goodSafetensors();
    b.writeBigUInt64LE(2n ** 62n, 0);
    safetensorsFolder(d, b);
  },
  'st-header-not-json': (d) => safetensorsFolder(d, safetensorsBytes('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]', f32(1))),
  'st-header-not-object': (d) => safetensorsFolder(d, safetensorsBytes([1, 2, 3])),
  'st-header-invalid-utf8': (d) => {
    const b = safetensorsBytes('{"\u00e9": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', f32(1));
    b[10] = 0xff;
    safetensorsFolder(d, b);
  },
  'st-offsets-overlap': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [8, 24]), f32(6))),
  'st-offsets-out-of-range': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [16, 32]), f32(6))),
  'st-offsets-reversed': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [32, 16]), f32(8))),
  'st-offsets-negative': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [-16, 0]), f32(8))),
  'st-offsets-gap': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [20, 36]), f32(9))),
  'st-trailing-bytes': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [16, 32]), f32(10))),
  'st-unknown-dtype': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [16, 20], 'F8_E4M3'), f32(5))),
  'st-dtype-not-string': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [16, 32], 7 as unknown as string), f32(8))),
  'st-shape-disagrees-with-offsets': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [16, 32], 'F32', [5]), f32(8))),
  'st-shape-negative': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [16, 32], 'F32', [-4]), f32(8))),
  'st-shape-huge': (d) => safetensorsFolder(d, safetensorsBytes(twoTensorHeader([0, 16], [16, 32], 'F32', [2 ** 40, 2 ** 40]), f32(8))),
  'st-metadata-not-strings': (d) =>
    safetensorsFolder(d, safetensorsBytes({ __metadata__: { format: 1 }, x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(1))),
  'st-truncated-data': (d) => {
    const b = goodSafetensors();
    safetensorsFolder(d, b.subarray(0, b.length - 100));
  },
  // The weights and config.json disagree (only `forward`, which builds the model, can tell).
  'ckpt-shapes-disagree-with-config': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, hidden_size: 16, intermediate_size: 32 }),
  'ckpt-fewer-layers-than-config': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, num_hidden_layers: 2 }),
  'ckpt-int-weights': (d) => {
    const t = tinyTensors();
    const ln = t.get('bert.embeddings.LayerNorm.weight')!;
    t.set('bert.embeddings.LayerNorm.weight', { dtype: 'int32', shape: ln.shape, data: new Int32Array(ln.data.length) });
    safetensorsFolder(d, goodSafetensors(t));
  },
  // config.json: absurd or invalid sizes, refused from the config before anything is allocated
  'config-absurd-hidden': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, hidden_size: 10_000_000, num_attention_heads: 2 }),
  'config-absurd-vocab-and-hidden': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, vocab_size: 1_999_999, hidden_size: 16_384, num_attention_heads: 16 }),
  'config-absurd-layers': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, num_hidden_layers: 1_000_000 }),
  'config-negative-size': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, intermediate_size: -16 }),
  'config-fractional-size': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, hidden_size: 8.5 }),
  'config-size-as-string': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, hidden_size: '8' }),
  'config-heads-do-not-divide': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, num_attention_heads: 3 }),
  'config-not-bert': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, model_type: 'gpt2' }),
  'config-invalid-json': (d) => safetensorsFolder(d, goodSafetensors(), '{"model_type": "bert", "hidden_size": 8,}\n'),
  'config-not-object': (d) => safetensorsFolder(d, goodSafetensors(), '[1, 2]\n'),
  'config-unknown-activation': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, hidden_act: 'swish' }),
  'config-bad-id2label': (d) => safetensorsFolder(d, goodSafetensors(), { ...TINY_CONFIG, id2label: { '0': 'ham', '5': 'spam' } }),
  'folder-without-config': (d) => {
    safetensorsFolder(d, goodSafetensors());
    renameSync(path.join(d, 'config.json'), path.join(d, 'config.json.bak'));
  },
  'folder-with-foreign-weights': (d) => {
    mkdirSync(d, { recursive: true });
    writeConfig(d, TINY_CONFIG);
    writeTokenizer(d);
    writeFileSync(path.join(d, 'tf_model.h5'), Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'));
  },
  // pytorch_model.bin: globals outside the tensor-rebuild allow-list are refused, never called
  'bin-os-system': (d, { marker }) => torchBinFolder(d, torchArchive(callingPickle('os', 'system', `touch ${marker}`), [])),
  'bin-posix-system-stack-global': (d, { marker }) => torchBinFolder(d, torchArchive(callingPickle('posix', 'system', `touch ${marker}`, true), [])),
  'bin-builtins-eval': (d, { marker }) => torchBinFolder(d, torchArchive(callingPickle('builtins', 'eval', `open(${JSON.stringify(marker)}, "w")`), [])),
  'bin-subprocess-popen': (d, { marker }) => torchBinFolder(d, torchArchive(callingPickle('subprocess', 'Popen', `touch ${marker}`), [])),
  // The payload hidden inside an otherwise valid state dict: the first tensor's rebuild function is os.system.
  'bin-system-inside-state-dict': (d, { marker }) => {
    const p = new PickleWriter().proto(2);
    p.global('collections', 'OrderedDict').byte(0x29).reduce().put().mark();
    p.str('bert.embeddings.word_embeddings.weight').global('os', 'system').str(`touch ${marker}`).tuple(1).reduce();
    torchBinFolder(d, torchArchive(p.setitems().stop().bytes(), []));
  },
  'bin-legacy-format': (d) => torchBinFolder(d, Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e])),
  'bin-not-a-zip': (d) => torchBinFolder(d, Buffer.from('<html>404 Not Found</html>\n')),
  'bin-truncated': (d) => torchBinFolder(d, torchBinBytes().subarray(0, 3000)),
  'bin-tensor-past-storage': (d) =>
    torchBinFolder(d, torchBinBytes(undefined, (t) => {
      t[0] = { ...t[0], offset: 5 };
    })),
  // A 1-element storage viewed with stride 0 as 2^31 elements: materialised, 8 GiB from a file of a few KiB.
  'bin-stride-zero-huge': (d) =>
    torchBinFolder(d, torchBinBytes(undefined, (t) => {
      t[0] = { ...t[0], size: [2 ** 31], stride: [0] };
    })),
  'bin-storage-size-wrong': (d) =>
    torchBinFolder(d, torchBinBytes(undefined, (t) => {
      t[1] = { ...t[1], storage: { ...t[1].storage, numel: 999 } };
    })),
  'bin-crc-mismatch': (d) => {
    const b = Buffer.from(torchBinBytes());
    // Flip a byte of data.pkl (the first entry, after its 64-byte-aligned local header): only its CRC can tell.
    b[b.indexOf('archive/data.pkl') + 100] ^= 0x01;
    torchBinFolder(d, b);
  },
  // Sharded checkpoints
  'sharded-missing-shard': (d) => {
    mkdirSync(d, { recursive: true });
    writeConfig(d, TINY_CONFIG);
    writeTokenizer(d);
    const weightMap = Object.fromEntries([...tinyTensors().keys()].map((n) => [n, 'model-00001-of-00002.safetensors']));
    writeFileSync(path.join(d, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }, null, 2));
  },
  'sharded-path-escape': (d) => {
    mkdirSync(d, { recursive: true });
    writeConfig(d, TINY_CONFIG);
    writeTokenizer(d);
    writeFileSync(path.join(d, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { 'bert.embeddings.word_embeddings.weight': '../../../etc/passwd' } }, null, 2));
  },
  'sharded-index-invalid-json': (d) => {
    mkdirSync(d, { recursive: true });
    writeConfig(d, TINY_CONFIG);
    writeTokenizer(d);
    writeFileSync(path.join(d, 'model.safetensors.index.json'), '{"weight_map": {"a": "b.safetensors"');
  },
  // Tokenizer files (forward reads them first)
  'tokenizer-missing': (d) => {
    mkdirSync(d, { recursive: true });
    writeConfig(d, TINY_CONFIG);
    writeFileSync(path.join(d, 'model.safetensors'), goodSafetensors());
  },
  'tokenizer-config-invalid-json': (d) => {
    safetensorsFolder(d, goodSafetensors());
    writeFileSync(path.join(d, 'tokenizer_config.json'), '{"do_lower_case": tru}');
  },
  // A good folder, for cases where the bad part is the forward input file.
  good: (d) => safetensorsFolder(d, goodSafetensors()),
};
