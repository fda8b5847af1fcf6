// A tiny world for grid tests: random BERTs small enough to train in milliseconds (1 layer, hidden 32, the real
// bert-base-uncased vocabulary so verbalizer words are single tokens), 30 training and 20 test messages of the SMS
// spam data, a two-pattern template, and an experiment over all four method kinds.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCheckpointFolder } from '../../../src/engine/checkpoint/folder';
import { readSafetensors } from '../../../src/engine/checkpoint/safetensors';
import { parseBertConfig } from '../../../src/engine/model/config';
import { initialValues } from '../../../src/engine/model/init';
import { parameterSpecs } from '../../../src/engine/model/layout';
import type { TensorMap } from '../../../src/engine/tensors';
import { bytesOf, contiguousStride, writeTorchBin, type TorchTensor } from '../checkpoint/torch-writer';
import { fixtureDir } from '../../lib/shared';
export { fixtureDir };

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Writes a BertForMaskedLM folder with random weights (seeded) and the fixture's tokenizer files. */
export async function writeTinyModel(dir: string, seed: number, opts: { hidden?: number; layers?: number } = {}): Promise<void> {
  const hidden = opts.hidden ?? 32;
  const configJson = {
    architectures: ['BertForMaskedLM'], model_type: 'bert', hidden_size: hidden, num_hidden_layers: opts.layers ?? 1, num_attention_heads: 2,
    intermediate_size: 2 * hidden, max_position_embeddings: 64, vocab_size: 30522, type_vocab_size: 2,
  };
  const config = parseBertConfig(configJson, 'tiny');
  const tensors: TensorMap = new Map();
  for (const spec of parameterSpecs(config, { mlm: true })) {
    const data = initialValues(spec, config, seed);
    tensors.set(spec.name, { dtype: 'float32', shape: spec.linear ? [spec.shape[1], spec.shape[0]] : spec.shape, data });
  }
  await writeCheckpointFolder(dir, { config: configJson, tensors });
  for (const f of ['vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']) copyFileSync(path.join(fixtureDir, f), path.join(dir, f));
}

/**
 * Replaces a model folder's model.safetensors by a pytorch_model.bin of the same tensors that only loading finds
 * damaged: its data.pkl (all a header check reads) is sound, but storage 0 is one element shorter than it says.
 */
export async function writeDamagedTorchBin(dir: string): Promise<void> {
  const { tensors } = await readSafetensors(path.join(dir, 'model.safetensors'));
  const torch: TorchTensor[] = [...tensors].map(([name, t], i) => {
    const data = bytesOf(t.data);
    const numel = t.data.length + (i === 0 ? 1 : 0);
    return { name, storage: { key: String(i), type: 'FloatStorage', data, numel }, offset: 0, size: t.shape, stride: contiguousStride(t.shape) };
  });
  rmSync(path.join(dir, 'model.safetensors'));
  writeTorchBin(path.join(dir, 'pytorch_model.bin'), torch);
}

/** The first `ham` and `spam` rows of the shipped SMS spam file, as JSONL text. */
function smsRows(file: string, ham: number, spam: number): string {
  const lines = readFileSync(path.join(repoRoot, 'data', 'sms_spam', file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const pick = (label: string, n: number) => lines.filter((l) => JSON.parse(l).label === label).slice(0, n);
  return [...pick('ham', ham), ...pick('spam', spam)].join('\n') + '\n';
}

export const L_A = './tiny-a';
export const L_B = './tiny-b';

/** The default test experiment: 8 cells (finetune ×2, prompt ×4 with zero-shot, distill from finetune and from prompt). */
export function experimentJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const short = { maxSteps: 3, batchSize: 4, maxLength: 32, evalEverySteps: 50 };
  return {
    name: 'grid-test',
    dataset: { train: 'train.jsonl', test: 'test.jsonl' },
    prompt: 'spam.prompt.json',
    models: [L_A, L_B],
    trainSizes: [0, 8],
    seeds: [1],
    methods: [
      'finetune',
      'prompt',
      { distill: { teacher: { method: 'finetune', model: L_B }, student: { model: L_A } } },
      { distill: { teacher: { method: 'prompt', model: L_B }, student: { model: L_A } } },
    ],
    training: { finetune: short, prompt: { ...short, ensemble: 'trainAccuracy' }, distill: { ...short, unlabeledCap: 12 } },
    ...overrides,
  };
}

export interface World {
  dir: string;
  file: string;
  runsDir: string;
  writeExperiment(obj: Record<string, unknown>): void;
  dispose(): void;
}

/** A temp folder with two tiny models, the data, the template and the experiment file. */
export async function makeWorld(experiment: Record<string, unknown> = experimentJson()): Promise<World> {
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-lab-grid-'));
  await writeTinyModel(path.join(dir, 'tiny-a'), 1);
  await writeTinyModel(path.join(dir, 'tiny-b'), 2);
  writeFileSync(path.join(dir, 'train.jsonl'), smsRows('train.jsonl', 20, 10));
  writeFileSync(path.join(dir, 'test.jsonl'), smsRows('test.jsonl', 14, 6));
  writeFileSync(path.join(dir, 'spam.prompt.json'), JSON.stringify({
    patterns: ['{text} This message is [MASK].', '[MASK] message: {text}'],
    verbalizer: { ham: 'normal', spam: 'junk' },
  }));
  const file = path.join(dir, 'test.experiment.json');
  const world: World = {
    dir,
    file,
    runsDir: path.join(dir, '.adapt-lab', 'runs'),
    writeExperiment: (obj) => writeFileSync(file, JSON.stringify(obj, null, 2) + '\n'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
  world.writeExperiment(experiment);
  mkdirSync(world.runsDir, { recursive: true });
  return world;
}

/** Small cost measurements: the grid tests check that costs are recorded, not how fast a tiny model is. */
export const QUICK_MEASURE = { latencyRuns: 3, warmup: 1, throughputBatch: 4, throughputBatches: 1 };
