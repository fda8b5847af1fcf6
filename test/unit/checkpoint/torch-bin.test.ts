import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readTorchBin } from '../../../src/engine/checkpoint/torch-bin';
import { scratch, userErrorFrom } from './paths';
import { PickleWriter, TorchStorage, TorchTensor, buildZip, bytesOf, contiguousStride, stateDictPickle, torchArchive, writeTorchBin } from './torch-writer';

const tmp = scratch();
after(tmp.dispose);

// Storage 0: 12 floats shared by three tensors (a contiguous one, a transposed view, an offset view).
const floats = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 2);
const s0: TorchStorage = { key: '0', type: 'FloatStorage', data: bytesOf(floats) };
const s1: TorchStorage = { key: '1', type: 'LongStorage', data: bytesOf(BigInt64Array.from([0n, 1n, 2n, 3n, 4n, -5n])) };
const s2: TorchStorage = { key: '2', type: 'HalfStorage', data: bytesOf(Uint16Array.from([0x3c00, 0xbc00, 0x3800, 0x7c00])) };
const s3: TorchStorage = { key: '3', type: 'BFloat16Storage', data: bytesOf(Uint16Array.from([0x4040, 0xbf80])) };
const s4: TorchStorage = { key: '4', type: 'DoubleStorage', data: bytesOf(Float64Array.from([0.25, -8])) };
const s5: TorchStorage = { key: '5', type: 'BoolStorage', data: Uint8Array.from([1, 0, 1]) };
const s6: TorchStorage = { key: '6', type: 'CharStorage', data: bytesOf(Int8Array.from([-3, 7])) };
const s7: TorchStorage = { key: '7', type: 'FloatStorage', data: bytesOf(Float32Array.from([9, 8, 7, 6, 5, 4])) };

const tensors: TorchTensor[] = [
  { name: 'dense.weight', storage: s0, offset: 0, size: [3, 4], stride: contiguousStride([3, 4]), parameter: true },
  // dense.weight.T: size [4, 3] with strides [1, 4] reads the same storage column by column.
  { name: 'dense.weight_t', storage: s0, offset: 0, size: [4, 3], stride: [1, 4] },
  { name: 'shared.offset', storage: s0, offset: 6, size: [2, 3], stride: [3, 1] },
  { name: 'position_ids', storage: s1, offset: 1, size: [1, 5], stride: [5, 1] },
  { name: 'half', storage: s2, offset: 0, size: [4], stride: [1] },
  { name: 'bf16', storage: s3, offset: 0, size: [2], stride: [1] },
  { name: 'double', storage: s4, offset: 0, size: [2], stride: [1] },
  { name: 'mask', storage: s5, offset: 0, size: [3], stride: [1] },
  { name: 'int8', storage: s6, offset: 1, size: [], stride: [] },
  // A broadcast (stride 0) view and a view that skips elements of its storage.
  { name: 'expanded', storage: s7, offset: 4, size: [3, 2], stride: [0, 1] },
  { name: 'every_other', storage: s7, offset: 1, size: [3], stride: [2] },
  { name: 'empty', storage: s7, offset: 0, size: [0, 5], stride: [5, 1] },
];

const expectedValues: Record<string, { shape: number[]; dtype: string; values: number[] }> = {
  'dense.weight': { shape: [3, 4], dtype: 'float32', values: [...floats] },
  'dense.weight_t': { shape: [4, 3], dtype: 'float32', values: [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11].map((i) => floats[i]) },
  'shared.offset': { shape: [2, 3], dtype: 'float32', values: [...floats.subarray(6, 12)] },
  position_ids: { shape: [1, 5], dtype: 'int32', values: [1, 2, 3, 4, -5] },
  half: { shape: [4], dtype: 'float32', values: [1, -1, 0.5, Infinity] },
  bf16: { shape: [2], dtype: 'float32', values: [3, -1] },
  double: { shape: [2], dtype: 'float32', values: [0.25, -8] },
  mask: { shape: [3], dtype: 'int32', values: [1, 0, 1] },
  int8: { shape: [], dtype: 'int32', values: [7] },
  expanded: { shape: [3, 2], dtype: 'float32', values: [5, 4, 5, 4, 5, 4] },
  every_other: { shape: [3], dtype: 'float32', values: [8, 6, 4] },
  empty: { shape: [0, 5], dtype: 'float32', values: [] },
};

for (const options of [{}, { zip64: true }, { deflate: true }]) {
  test(`reads a torch.save-format state dict ${JSON.stringify(options)}: views, strides, shared storage, dtypes`, async () => {
    const file = join(tmp.dir, `model-${Object.keys(options).join('-') || 'plain'}.bin`);
    writeTorchBin(file, tensors, options);
    const result = await readTorchBin(file);
    assert.deepEqual([...result.keys()], tensors.map((t) => t.name));
    for (const [name, want] of Object.entries(expectedValues)) {
      const t = result.get(name)!;
      assert.deepEqual({ shape: t.shape, dtype: t.dtype, values: [...t.data] }, want, name);
    }
    // Tensors cut from one storage do not alias each other.
    const w = result.get('dense.weight')!;
    w.data[6] = 1234;
    assert.equal(result.get('shared.offset')!.data[0], floats[6]);
  });
}

test('the archive prefix may be the file stem (torch 1.6 style)', async () => {
  const file = join(tmp.dir, 'stem.bin');
  const few = tensors.slice(0, 2);
  writeFileSync(file, torchArchive(stateDictPickle(few), few.map((t) => t.storage), { prefix: 'pytorch_model' }));
  assert.deepEqual([...(await readTorchBin(file)).keys()], ['dense.weight', 'dense.weight_t']);
});

test('_rebuild_tensor_v3 reinterprets an untyped storage with the dtype it names', async () => {
  const halves = { key: '0', type: 'ByteStorage' as const, data: bytesOf(Uint16Array.from([0x3c00, 0x4000, 0xc000, 0x3800])) };
  const p = new PickleWriter().proto(2).global('collections', 'OrderedDict').byte(0x29).reduce().put();
  p.mark().str('v3').global('torch._utils', '_rebuild_tensor_v3').mark();
  p.mark().str('storage').global('torch.storage', 'UntypedStorage').str('0').str('cpu').int(8).byte(0x74).put().persid();
  p.int(1).intTuple([3]).intTuple([1]).bool(false).global('collections', 'OrderedDict').byte(0x29).reduce().put();
  p.global('torch', 'float16').byte(0x74).put().reduce().put().setitems().stop();
  const file = join(tmp.dir, 'v3.bin');
  writeFileSync(file, torchArchive(p.bytes(), [halves]));
  const t = (await readTorchBin(file)).get('v3')!;
  assert.deepEqual([t.dtype, t.shape, [...t.data]], ['float32', [3], [2, -2, 0.5]]);
});

test('a malicious data.pkl is refused before anything runs', async () => {
  const marker = join(tmp.dir, 'pwned-by-bin');
  const pickle = new PickleWriter().proto(2).global('os', 'system').str(`touch ${marker}`).tuple(1).reduce().stop().bytes();
  const file = join(tmp.dir, 'evil.bin');
  writeFileSync(file, torchArchive(pickle, []));
  const err = await userErrorFrom(() => readTorchBin(file));
  assert.match(err.format(), /evil\.bin: refuses to load: the pickle asks for global `os\.system`, which is not a tensor-rebuild function/);
  assert.match(err.fix, /convert the checkpoint to safetensors/);
  assert.equal(existsSync(marker), false);
});

test('legacy, foreign and inconsistent files are UserErrors', async () => {
  const write = (name: string, bytes: Uint8Array) => {
    const f = join(tmp.dir, name);
    writeFileSync(f, bytes);
    return f;
  };
  const one = (t: Partial<TorchTensor>, storage: TorchStorage = s7) =>
    stateDictPickle([{ name: 'w', storage, offset: 0, size: [6], stride: [1], ...t }]);
  const legacyMagic = Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]);
  const cases: [string, string, RegExp, string?][] = [
    ['legacy', write('legacy.bin', legacyMagic), /legacy \(pre-1\.6\) torch\.save format/],
    ['not a checkpoint', write('text.bin', Buffer.from('hello world')), /not a PyTorch checkpoint/],
    ['zip without data.pkl', write('nopkl.bin', buildZip([{ name: 'model/weights', data: s7.data }])), /has no data\.pkl/],
    ['stride past storage', write('oob.bin', torchArchive(one({ size: [2, 3], stride: [3, 2] }), [s7])), /reaches past its storage of 6 elements/, 'w'],
    ['offset past storage', write('off.bin', torchArchive(one({ offset: 1 }), [s7])), /reaches past its storage/, 'w'],
    ['storage missing', write('missing.bin', torchArchive(one({}), [])), /storage 7 is missing from the archive/],
    ['storage size mismatch', write('numel.bin', torchArchive(one({}, { ...s7, numel: 7 }), [s7])), /should hold 7 × F32 but has 24 bytes/],
  ];
  for (const [label, file, message, field] of cases) {
    const err = await userErrorFrom(() => readTorchBin(file));
    assert.match(err.message, message, label);
    assert.equal(err.place.file, file, label);
    assert.equal(err.place.field, field, label);
  }
  const notDict = new PickleWriter().proto(2).byte(0x5d).stop().bytes();
  const err = await userErrorFrom(() => readTorchBin(write('list.bin', torchArchive(notDict, []))));
  assert.match(err.message, /does not hold a state dict/);
});

// Debian's python3-torch lives under /usr/bin/python3, which a pyenv or venv `python3` on PATH may hide.
const pythonWithTorch = ['python3', '/usr/bin/python3'].find(
  (p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
);

test('reads a file written by real torch.save', { skip: pythonWithTorch ? false : 'no python3 here can import torch' }, async () => {
  const file = join(tmp.dir, 'real.bin');
  const expectedFile = join(tmp.dir, 'real.json');
  const script = `
import json, sys, torch
from collections import OrderedDict
torch.manual_seed(0)
base = torch.randn(4, 6)
sd = OrderedDict()
sd['linear.weight'] = torch.nn.Parameter(torch.randn(3, 5))
sd['transposed'] = base.t()
sd['narrow'] = base[1:3, 2:5]
sd['ids'] = torch.arange(7, dtype=torch.int64).unsqueeze(0)
sd['half'] = torch.randn(5).half()
sd['bf16'] = torch.randn(5).bfloat16()
sd['flag'] = torch.tensor([True, False])
torch.save(sd, sys.argv[1])
json.dump({k: {'shape': list(v.shape), 'values': v.detach().float().flatten().tolist()} for k, v in sd.items()}, open(sys.argv[2], 'w'))
`;
  const run = spawnSync(pythonWithTorch!, ['-c', script, file, expectedFile], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const want = JSON.parse(readFileSync(expectedFile, 'utf8')) as Record<string, { shape: number[]; values: number[] }>;
  const got = await readTorchBin(file);
  assert.deepEqual([...got.keys()], Object.keys(want));
  for (const [name, w] of Object.entries(want)) {
    const t = got.get(name)!;
    assert.deepEqual(t.shape, w.shape, name);
    assert.deepEqual([...t.data], w.values.map(Math.fround), name);
  }
});
