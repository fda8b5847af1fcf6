import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readSafetensors, writeSafetensors } from '../../../src/engine/checkpoint/safetensors';
import { readShardIndex, readShardedSafetensors, readShardedTorchBin } from '../../../src/engine/checkpoint/sharded';
import { TensorMap } from '../../../src/engine/tensors';
import { fixtureDir, scratch, userErrorFrom } from './paths';
import { TorchTensor, bytesOf, writeTorchBin } from './torch-writer';

const tmp = scratch();
after(tmp.dispose);
let whole: TensorMap;
const SHARDS = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];

function index(dir: string, weightMap: Record<string, string>, name = 'model.safetensors.index.json'): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ metadata: { total_size: 8352744 }, weight_map: weightMap }, null, 2));
  return file;
}

/** Splits the fixture into two shards (embeddings in the first, everything else in the second). */
async function split(dir: string): Promise<Record<string, string>> {
  mkdirSync(dir, { recursive: true });
  const first: TensorMap = new Map();
  const second: TensorMap = new Map();
  const map: Record<string, string> = {};
  for (const [name, t] of whole) {
    const inFirst = name.startsWith('bert.embeddings.');
    (inFirst ? first : second).set(name, t);
    map[name] = SHARDS[inFirst ? 0 : 1];
  }
  await writeSafetensors(join(dir, SHARDS[0]), first);
  await writeSafetensors(join(dir, SHARDS[1]), second);
  return map;
}

before(async () => {
  whole = (await readSafetensors(join(fixtureDir, 'model.safetensors'))).tensors;
});

test('two safetensors shards + index read back equal to the single file', async () => {
  const dir = join(tmp.dir, 'ok');
  const map = await split(dir);
  const file = index(dir, map);
  const { tensors, metadata, files } = await readShardedSafetensors(file);
  assert.deepEqual(metadata, { total_size: 8352744 });
  assert.deepEqual(files, [file, join(dir, SHARDS[0]), join(dir, SHARDS[1])]);
  assert.deepEqual([...tensors.keys()], Object.keys(map));
  assert.equal(tensors.size, whole.size);
  for (const [name, t] of whole) {
    const r = tensors.get(name)!;
    assert.deepEqual(r.shape, t.shape, name);
    assert.deepEqual(r.data, t.data, name);
  }
  const idx = await readShardIndex(file);
  assert.equal(idx.weightMap.get('bert.embeddings.word_embeddings.weight'), join(dir, SHARDS[0]));
});

test('index and shards that disagree are UserErrors', async () => {
  const dir = join(tmp.dir, 'bad');
  const map = await split(dir);
  const cases: [string, Record<string, string>, RegExp, string?][] = [
    ['tensor in the wrong shard', { ...map, 'cls.predictions.bias': SHARDS[0] }, /is in this shard but the index puts it in .*00001-of-00002/, 'cls.predictions.bias'],
    ['mapped tensor absent', { ...map, 'extra.weight': SHARDS[0] }, /is not in .*00001-of-00002.safetensors, where the index says it is/, 'extra.weight'],
    ['shard tensor not in index', Object.fromEntries(Object.entries(map).filter(([n]) => n !== 'cls.predictions.bias')), /is in this shard but not in the index/, 'cls.predictions.bias'],
    ['missing shard', { ...map, 'cls.predictions.bias': 'model-00003-of-00003.safetensors' }, /lists shard .*00003-of-00003.safetensors, which is missing/],
    ['path in shard name', { ...map, 'cls.predictions.bias': '../../etc/passwd' }, /"..\/..\/etc\/passwd" is not a plain file name/, 'weight_map.cls.predictions.bias'],
    ['non-string shard', { ...map, 'cls.predictions.bias': 3 as unknown as string }, /shard 3 is not a plain file name/, 'weight_map.cls.predictions.bias'],
  ];
  for (const [label, weightMap, message, field] of cases) {
    const err = await userErrorFrom(() => readShardedSafetensors(index(dir, weightMap)));
    assert.match(err.message, message, label);
    assert.equal(err.place.field, field, label);
  }
  const noMap = join(dir, 'nomap.index.json');
  writeFileSync(noMap, '{"metadata": {}}');
  assert.match((await userErrorFrom(() => readShardedSafetensors(noMap))).message, /no "weight_map" object/);
  const broken = join(dir, 'broken.index.json');
  writeFileSync(broken, '{\n  "weight_map": {\n    "a": "b",\n  }\n}\n');
  const err = await userErrorFrom(() => readShardedSafetensors(broken));
  assert.equal(err.place.line, 4);
  assert.match(err.message, /line 4, column 3/);
});

test('pytorch_model.bin shards + index read back', async () => {
  const dir = join(tmp.dir, 'bin');
  mkdirSync(dir);
  const storage = (key: string, values: number[]) => ({ key, type: 'FloatStorage' as const, data: bytesOf(Float32Array.from(values)) });
  const a: TorchTensor = { name: 'a.weight', storage: storage('0', [1, 2, 3, 4]), offset: 0, size: [2, 2], stride: [1, 2] };
  const b: TorchTensor = { name: 'b.bias', storage: storage('0', [5, 6]), offset: 0, size: [2], stride: [1] };
  writeTorchBin(join(dir, 'pytorch_model-00001-of-00002.bin'), [a]);
  writeTorchBin(join(dir, 'pytorch_model-00002-of-00002.bin'), [b]);
  const file = index(dir, { 'a.weight': 'pytorch_model-00001-of-00002.bin', 'b.bias': 'pytorch_model-00002-of-00002.bin' }, 'pytorch_model.bin.index.json');
  const { tensors, files } = await readShardedTorchBin(file);
  assert.equal(files.length, 3);
  assert.deepEqual([...tensors.get('a.weight')!.data], [1, 3, 2, 4]);
  assert.deepEqual([...tensors.get('b.bias')!.data], [5, 6]);
});
