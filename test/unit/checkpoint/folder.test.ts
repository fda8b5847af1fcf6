import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { locateCheckpoint, readCheckpointFolder, writeCheckpointFolder } from '../../../src/engine/checkpoint/folder';
import { writeSafetensors } from '../../../src/engine/checkpoint/safetensors';
import { TensorMap } from '../../../src/engine/tensors';
import { fixtureDir, scratch, userErrorFrom } from './paths';
import { bytesOf, writeTorchBin } from './torch-writer';

const tmp = scratch();
after(tmp.dispose);
const expected = JSON.parse(readFileSync(join(fixtureDir, 'expected.json'), 'utf8'));

function folder(name: string, files: Record<string, string | Uint8Array> = {}): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

test('reads the fixture folder: config.json parsed, model.safetensors loaded', async () => {
  const ckpt = await readCheckpointFolder(fixtureDir);
  assert.equal(ckpt.configPath, join(fixtureDir, 'config.json'));
  assert.deepEqual(ckpt.config, JSON.parse(readFileSync(join(fixtureDir, 'config.json'), 'utf8')));
  assert.deepEqual(ckpt.weightsFiles, [join(fixtureDir, 'model.safetensors')]);
  assert.deepEqual(Object.fromEntries([...ckpt.tensors].map(([n, t]) => [n, t.shape])), expected.files['model.safetensors'].tensors);
  const seqcls = await readCheckpointFolder(join(fixtureDir, 'seqcls'));
  assert.deepEqual(seqcls.tensors.get('classifier.weight')!.shape, [3, 64]);
});

test('prefers model.safetensors over pytorch_model.bin, and reads a folder with only the .bin', async () => {
  const dir = folder('both', { 'config.json': '{"model_type": "bert"}' });
  const tensors: TensorMap = new Map([['w', { dtype: 'float32', shape: [2], data: Float32Array.from([1, 2]) }]]);
  await writeSafetensors(join(dir, 'model.safetensors'), tensors);
  const storage = { key: '0', type: 'FloatStorage' as const, data: bytesOf(Float32Array.from([7, 8])) };
  writeTorchBin(join(dir, 'pytorch_model.bin'), [{ name: 'w', storage, offset: 0, size: [2], stride: [1] }]);
  const both = await readCheckpointFolder(dir);
  assert.deepEqual([...both.tensors.get('w')!.data], [1, 2]);
  assert.deepEqual(both.weightsFiles, [join(dir, 'model.safetensors')]);

  const binOnly = folder('bin-only', { 'config.json': '{}' });
  copyFileSync(join(dir, 'pytorch_model.bin'), join(binOnly, 'pytorch_model.bin'));
  const fromBin = await readCheckpointFolder(binOnly);
  assert.deepEqual([...fromBin.tensors.get('w')!.data], [7, 8]);
  assert.equal((await locateCheckpoint(binOnly)).layout, 'torch-bin');

  const sharded = folder('sharded', { 'config.json': '{}', 'model.safetensors.index.json': '{"weight_map": {"w": "part.safetensors"}}' });
  await writeSafetensors(join(sharded, 'part.safetensors'), tensors);
  const fromShards = await readCheckpointFolder(sharded);
  assert.deepEqual(fromShards.weightsFiles, [join(sharded, 'model.safetensors.index.json'), join(sharded, 'part.safetensors')]);
});

test('missing folder, config or weights: UserErrors that say what was looked for and what to do', async () => {
  const gone = await userErrorFrom(() => readCheckpointFolder(join(tmp.dir, 'nowhere')));
  assert.match(gone.message, /folder not found/);
  const noConfig = await userErrorFrom(() => readCheckpointFolder(folder('no-config', { 'model.safetensors': '' })));
  assert.match(noConfig.message, /has no config\.json/);
  assert.match(noConfig.fix, /save_pretrained\(dir\)/);
  const noWeights = await userErrorFrom(() => readCheckpointFolder(folder('no-weights', { 'config.json': '{}', 'tf_model.h5': 'x' })));
  assert.equal(
    noWeights.message,
    'has no weights: looked for model.safetensors, model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json (found tf_model.h5, which this tool cannot read)',
  );
  assert.equal(noWeights.place.file, join(tmp.dir, 'no-weights'));
  const file = await userErrorFrom(() => readCheckpointFolder(join(fixtureDir, 'config.json')));
  assert.match(file.message, /is a file, not a checkpoint folder/);
});

test('config.json syntax errors report line and column', async () => {
  const dir = folder('bad-config', { 'config.json': '{\n  "hidden_size": 64,\n  "num_layers": 2,,\n}\n', 'model.safetensors': '' });
  const err = await userErrorFrom(() => readCheckpointFolder(dir));
  assert.equal(err.place.file, join(dir, 'config.json'));
  assert.equal(err.place.line, 3);
  assert.match(err.message, /line 3, column 19: expected a double-quoted property name, found ','/);
  const notObject = folder('array-config', { 'config.json': '[1]', 'model.safetensors': '' });
  assert.match((await userErrorFrom(() => readCheckpointFolder(notObject))).message, /is not a JSON object/);
});

test('writeCheckpointFolder writes pretty config.json and model.safetensors atomically, creating the folder', async () => {
  const dir = join(tmp.dir, 'out', 'nested', 'ckpt');
  const tensors: TensorMap = new Map([
    ['b', { dtype: 'float32', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }],
    ['a', { dtype: 'int32', shape: [3], data: Int32Array.from([5, 6, 7]) }],
  ]);
  const config = { model_type: 'bert', hidden_size: 64, id2label: { '0': 'neg', '1': 'pos' } };
  const paths = await writeCheckpointFolder(dir, { config, tensors });
  assert.deepEqual(paths, { configPath: join(dir, 'config.json'), weightsPath: join(dir, 'model.safetensors') });
  assert.equal(
    readFileSync(join(dir, 'config.json'), 'utf8'),
    '{\n  "model_type": "bert",\n  "hidden_size": 64,\n  "id2label": {\n    "0": "neg",\n    "1": "pos"\n  }\n}\n',
  );
  assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'model.safetensors']);
  const back = await readCheckpointFolder(dir);
  assert.deepEqual(back.config, config);
  assert.deepEqual([...back.tensors.keys()], ['b', 'a']);
  assert.deepEqual([...back.tensors.get('a')!.data], [5, 6, 7]);
  assert.deepEqual(back.tensors.get('b')!.shape, [2, 2]);
  // Writing again over an existing checkpoint replaces it.
  await writeCheckpointFolder(dir, { config: { ...config, hidden_size: 32 }, tensors });
  assert.equal(((await readCheckpointFolder(dir)).config as { hidden_size: number }).hidden_size, 32);
});
