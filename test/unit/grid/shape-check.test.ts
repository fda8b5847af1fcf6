// Weights whose shapes disagree with config.json are refused before any cell trains, from the weight files'
// headers alone: a grid over such a model stops with one error naming the file, the tensor, both shapes and the
// fix, and leaves the runs folder empty. The header reader is checked on every weights layout, including a
// pytorch_model.bin with ZIP64 records and deflate, and shown to read a few kilobytes, not the tensors.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { readSafetensors, writeSafetensors } from '../../../src/engine/checkpoint/safetensors';
import { UserError } from '../../../src/engine/errors';
import { runExperiment } from '../../../src/engine/grid';
import { parseBertConfig } from '../../../src/engine/model/config';
import { Rng } from '../../../src/engine/rng';
import { checkCheckpointShapes } from '../../../src/engine/model/stored-shapes';
import type { TensorMap } from '../../../src/engine/tensors';
import { bytesOf, contiguousStride, writeTorchBin, type TorchTensor } from '../checkpoint/torch-writer';
import { experimentJson, fixtureDir, L_A, makeWorld, QUICK_MEASURE, writeTinyModel } from './helpers';

const WRONG = 'bert.encoder.layer.0.intermediate.dense.weight';
/** Hidden 32, intermediate 64: torch stores the Linear weight [out, in]. */
const EXPECTED = [64, 32];
const FOUND = [63, 32];
const TINY_CONFIG = parseBertConfig({
  model_type: 'bert', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64,
  max_position_embeddings: 64, vocab_size: 30522, type_vocab_size: 2,
}, 'tiny');

/** The tensors of `dir`'s model.safetensors, with WRONG one row short. */
async function withWrongTensor(dir: string): Promise<TensorMap> {
  const { tensors } = await readSafetensors(path.join(dir, 'model.safetensors'));
  const t = tensors.get(WRONG)!;
  assert.deepEqual(t.shape, EXPECTED, 'the tiny model is what this test assumes');
  tensors.set(WRONG, { dtype: 'float32', shape: FOUND, data: t.data.slice(0, FOUND[0] * FOUND[1]) });
  return tensors;
}

/** Counts the bytes read through FileHandle.read (every checkpoint reader reads through one) while `fn` runs. */
async function bytesReadBy(fn: () => Promise<unknown>): Promise<number> {
  const handle = await open(path.join(fixtureDir, 'config.json'), 'r');
  const proto = Object.getPrototypeOf(handle) as { read: (...args: unknown[]) => Promise<{ bytesRead: number }> };
  await handle.close();
  const original = proto.read;
  let total = 0;
  const spy = mock.method(proto, 'read', async function (this: unknown, ...args: unknown[]) {
    const r = await original.apply(this, args);
    total += r.bytesRead;
    return r;
  });
  try {
    await fn().catch(() => undefined);
  } finally {
    spy.mock.restore();
  }
  return total;
}

function shapeError(e: unknown, file: string): true {
  assert.ok(e instanceof UserError, String(e));
  assert.equal(e.place.file, file);
  assert.equal(e.place.field, WRONG);
  assert.equal(e.message, `${WRONG} has shape [${FOUND.join(', ')}] but config.json implies [${EXPECTED.join(', ')}]`);
  assert.match(e.fix, /use the config\.json saved with these weights/);
  return true;
}

test('a grid over a model with one mis-shaped tensor stops before any run is created, naming file, tensor, shapes and fix', async () => {
  const w = await makeWorld(experimentJson({ models: [L_A], methods: ['finetune', 'prompt'], trainSizes: [8] }));
  try {
    const weights = path.join(w.dir, 'tiny-a', 'model.safetensors');
    await writeSafetensors(weights, await withWrongTensor(path.join(w.dir, 'tiny-a')));
    const events: string[] = [];
    await assert.rejects(runExperiment(w.file, { measure: QUICK_MEASURE, onEvent: (e) => events.push(e.type) }), (e) => shapeError(e, weights));
    assert.deepEqual(readdirSync(w.runsDir), [], 'no run folder, no lock: nothing was started');
    assert.ok(!events.includes('grid-start') && !events.includes('cell-start'), events.join());
  } finally {
    w.dispose();
  }
});

test('the check reads headers only: a few kilobytes of a multi-megabyte checkpoint', async () => {
  const w = await makeWorld(experimentJson({ models: [L_A], methods: ['finetune'], trainSizes: [8] }));
  try {
    const dir = path.join(w.dir, 'tiny-a');
    const size = statSync(path.join(dir, 'model.safetensors')).size;
    const good = await bytesReadBy(() => checkCheckpointShapes(dir, TINY_CONFIG));
    assert.ok(good > 0 && good < 64 * 1024 && size > 1e6, `read ${good} of ${size} bytes`);

    rmSync(path.join(dir, 'model.safetensors'));
    writeTorchBin(path.join(dir, 'pytorch_model.bin'), torchTensors(await withWrongTensor(await tinyModel(w.dir))));
    const bin = statSync(path.join(dir, 'pytorch_model.bin')).size;
    const read = await bytesReadBy(() => checkCheckpointShapes(dir, TINY_CONFIG));
    assert.ok(read > 0 && read < 128 * 1024 && bin > 1e6, `read ${read} of ${bin} bytes`);
  } finally {
    w.dispose();
  }
});

test('pytorch_model.bin (plain, ZIP64, deflated) and sharded safetensors: the file holding the tensor is named', async () => {
  const w = await makeWorld(experimentJson({ models: [L_A], methods: ['finetune'], trainSizes: [8] }));
  try {
    const wrong = await withWrongTensor(await tinyModel(w.dir));
    const dir = path.join(w.dir, 'tiny-a');
    rmSync(path.join(dir, 'model.safetensors'));
    const bin = path.join(dir, 'pytorch_model.bin');
    for (const options of [{}, { zip64: true }, { deflate: true }, { zip64: true, deflate: true }]) {
      writeTorchBin(bin, torchTensors(wrong), options);
      await assert.rejects(checkCheckpointShapes(dir, TINY_CONFIG), (e) => shapeError(e, bin), JSON.stringify(options));
    }
    writeTorchBin(bin, torchTensors((await readSafetensors(path.join(await tinyModel(w.dir), 'model.safetensors'))).tensors), { zip64: true });
    await checkCheckpointShapes(dir, TINY_CONFIG);

    rmSync(bin);
    const names = [...wrong.keys()];
    const firstHalf = new Map(names.slice(0, 4).map((n) => [n, wrong.get(n)!]));
    const secondHalf = new Map(names.slice(4).map((n) => [n, wrong.get(n)!]));
    assert.ok(secondHalf.has(WRONG));
    const shards = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
    await writeSafetensors(path.join(dir, shards[0]), firstHalf);
    await writeSafetensors(path.join(dir, shards[1]), secondHalf);
    const weightMap = Object.fromEntries(names.map((n, i) => [n, shards[i < 4 ? 0 : 1]]));
    writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    await assert.rejects(checkCheckpointShapes(dir, TINY_CONFIG), (e) => shapeError(e, path.join(dir, shards[1])));
  } finally {
    w.dispose();
  }
});

test('weights that fit their config pass; a config that disagrees with its weights is refused the same way', async () => {
  await checkCheckpointShapes(fixtureDir, parseBertConfig(JSON.parse(readFileSync(path.join(fixtureDir, 'config.json'), 'utf8')), 'fixture'));
  const w = await makeWorld(experimentJson({ models: [L_A], methods: ['finetune'], trainSizes: [8] }));
  try {
    const dir = path.join(w.dir, 'tiny-a');
    await checkCheckpointShapes(dir, TINY_CONFIG);
    const bigger = parseBertConfig({ ...rawConfig(TINY_CONFIG), intermediate_size: 65 }, 'tiny');
    await assert.rejects(checkCheckpointShapes(dir, bigger), (e: unknown) =>
      e instanceof UserError && /intermediate\.dense\.weight has shape \[64, 32\] but config\.json implies \[65, 32\]/.test(e.message));
    const deeper = parseBertConfig({ ...rawConfig(TINY_CONFIG), num_hidden_layers: 2 }, 'tiny');
    await assert.rejects(checkCheckpointShapes(dir, deeper), (e: unknown) =>
      e instanceof UserError && /lacks encoder weights the config requires: bert\.encoder\.layer\.1\./.test(e.message));
  } finally {
    w.dispose();
  }
});

test('a damaged pytorch_model.bin never makes the header check throw anything but a UserError', async () => {
  const w = await makeWorld(experimentJson({ models: [L_A], methods: ['finetune'], trainSizes: [8] }));
  try {
    const tensors = (await readSafetensors(path.join(await tinyModel(w.dir), 'model.safetensors'))).tensors;
    const dir = path.join(w.dir, 'tiny-a');
    rmSync(path.join(dir, 'model.safetensors'));
    const bin = path.join(dir, 'pytorch_model.bin');
    const rng = new Rng(20240612);
    for (const options of [{}, { zip64: true, deflate: true }]) {
      writeTorchBin(bin, torchTensors(tensors), options);
      const good = readFileSync(bin);
      // The parts the header reader looks at: data.pkl near the start, the directory and end records at the end.
      const regions = [[0, 2048], [good.length - 2048, good.length], [good.length - 128, good.length]];
      for (let i = 0; i < 200; i++) {
        const bytes = Buffer.from(good);
        for (let flips = 1 + rng.int(3); flips > 0; flips--) {
          const [from, to] = regions[rng.int(regions.length)];
          bytes[from + rng.int(to - from)] = rng.int(256);
        }
        writeFileSync(bin, rng.int(8) === 0 ? bytes.subarray(0, bytes.length - 1 - rng.int(4096)) : bytes);
        await checkCheckpointShapes(dir, TINY_CONFIG).catch((e: unknown) => {
          assert.ok(e instanceof UserError, `case ${i} of ${JSON.stringify(options)}: ${(e as Error)?.stack ?? String(e)}`);
        });
      }
    }
  } finally {
    w.dispose();
  }
});

/** A fresh tiny model folder (seed 1, like tiny-a) beside the world's, for its tensors. */
async function tinyModel(worldDir: string): Promise<string> {
  const dir = path.join(worldDir, 'scratch-model');
  mkdirSync(dir, { recursive: true });
  await writeTinyModel(dir, 1);
  return dir;
}

function torchTensors(tensors: TensorMap): TorchTensor[] {
  return [...tensors].map(([name, t], i) => ({
    name, storage: { key: String(i), type: 'FloatStorage', data: bytesOf(t.data) }, offset: 0, size: t.shape, stride: contiguousStride(t.shape),
  }));
}

function rawConfig(c: typeof TINY_CONFIG): Record<string, unknown> {
  return {
    model_type: 'bert', hidden_size: c.hiddenSize, num_hidden_layers: c.numHiddenLayers, num_attention_heads: c.numAttentionHeads,
    intermediate_size: c.intermediateSize, max_position_embeddings: c.maxPositionEmbeddings, vocab_size: c.vocabSize, type_vocab_size: c.typeVocabSize,
  };
}
