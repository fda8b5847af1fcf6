// Hugging Face checkpoint tensors ↔ our parameters. Names are the same (BertModel checkpoints lack the `bert.`
// prefix; old TF-converted ones call LayerNorm's parameters gamma/beta); torch Linear weights are [out, in] and
// ours [in, out]; the MLM decoder weight is the word-embedding matrix and is neither read nor written.
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../errors';
import { transposeInto } from '../backend/transpose';
import type { HostTensor, TensorMap } from '../tensors';
import { Bert } from './bert';
import type { BertConfig } from './config';
import { type BertHeads, type ParamSpec, parameterSpecs } from './layout';

export interface LoadReport {
  /** Parameters the checkpoint lacks; they keep their initial values (transformers' "newly initialized"). */
  missing: string[];
  /** Checkpoint tensors the model has no use for (e.g. another task's head), by their name in the file. */
  unexpected: string[];
}

/** Tensors that are not parameters: registered buffers, and the decoder weight tied to the word embeddings. */
const IGNORED = [/(^|\.)position_ids$/, /^cls\.predictions\.decoder\.weight$/];
/** Older transformers also stored the decoder's bias, which is the same tensor as cls.predictions.bias. */
const DECODER_BIAS = 'cls.predictions.decoder.bias';

/** The name a checkpoint tensor has in BertFor* models. */
function canonicalName(name: string): string {
  let n = name.replace(/\.LayerNorm\.gamma$/, '.LayerNorm.weight').replace(/\.LayerNorm\.beta$/, '.LayerNorm.bias');
  if (/^(embeddings|encoder|pooler)\./.test(n)) n = `bert.${n}`;
  return n;
}

const storedShape = (spec: ParamSpec): number[] => (spec.linear ? [spec.shape[1], spec.shape[0]] : spec.shape);
const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/**
 * Copies a checkpoint's tensors into the model. Every shape is checked before anything is assigned, so a
 * mismatch leaves the model untouched. Missing encoder tensors are an error (the weights are not this
 * config's BERT); missing head tensors are reported and left at their initial values.
 */
export function loadWeights(model: Bert, tensors: TensorMap, sourceFile: string): LoadReport {
  const { found, report } = matchTensors(model.config, model.heads, tensors, sourceFile);
  for (const [spec, tensor] of found) {
    tf.tidy(() => {
      const value = tf.tensor(tensor.data, tensor.shape, 'float32');
      model.params.get(spec.name)!.assign(spec.linear ? tf.transpose(value) : value);
    });
  }
  return report;
}

/**
 * A model built directly from a checkpoint: the same checks and report as loadWeights, but only the parameters
 * the checkpoint lacks are drawn at random (from `seed`), and the others are allocated once, already loaded.
 */
export function createFromWeights(config: BertConfig, heads: BertHeads, tensors: TensorMap, sourceFile: string, seed: number): { model: Bert; report: LoadReport } {
  const { found, report } = matchTensors(config, heads, tensors, sourceFile);
  const values = new Map<string, Float32Array>();
  for (const [spec, tensor] of found) {
    const data = tensor.data as Float32Array;
    if (!spec.linear) {
      values.set(spec.name, data);
      continue;
    }
    const ours = new Float32Array(data.length);
    transposeInto(data, ours, tensor.shape, [1, 0]);
    values.set(spec.name, ours);
  }
  return { model: Bert.create(config, { heads, seed, values }), report };
}

/** A tensor as a checkpoint's header describes it: enough to check it against a config without reading its data. */
export type StoredTensor = Pick<HostTensor, 'dtype' | 'shape'>;

/**
 * The checks of loading — names, dtypes, shapes, the encoder complete — on tensors known only from their headers,
 * so a checkpoint that disagrees with its config.json is refused before anything is read or trained. `fileOf`
 * names the file a tensor is stored in (a shard of a sharded checkpoint); errors name `sourceFile` otherwise.
 */
export function checkStoredTensors(
  config: BertConfig, heads: BertHeads, tensors: ReadonlyMap<string, StoredTensor>, sourceFile: string, fileOf?: (tensor: string) => string | undefined,
): LoadReport {
  return matchTensors(config, heads, tensors, sourceFile, fileOf).report;
}

/** Pairs each parameter with its checkpoint tensor, checking names, dtypes and shapes; throws UserErrors. */
function matchTensors<T extends StoredTensor>(
  config: BertConfig, heads: BertHeads, tensors: ReadonlyMap<string, T>, sourceFile: string, fileOf?: (tensor: string) => string | undefined,
): { found: [ParamSpec, T][]; report: LoadReport } {
  const at = (source: string) => ({ file: fileOf?.(source) ?? sourceFile, field: source });
  const byName = new Map<string, { source: string; tensor: T }>();
  for (const [source, tensor] of tensors) {
    if (IGNORED.some((re) => re.test(source))) continue;
    const name = canonicalName(source);
    if (byName.has(name)) {
      throw new UserError(`the checkpoint holds ${name} twice (as ${byName.get(name)!.source} and ${source})`,
        at(source), 'Use a checkpoint saved by transformers.');
    }
    byName.set(name, { source, tensor });
  }
  const decoderBias = byName.get(DECODER_BIAS);
  if (decoderBias) {
    byName.delete(DECODER_BIAS);
    if (!byName.has('cls.predictions.bias')) byName.set('cls.predictions.bias', decoderBias);
  }

  const specs = parameterSpecs(config, heads);
  const known = new Set(specs.map((s) => s.name));
  const unexpected = [...byName].filter(([name]) => !known.has(name)).map(([, { source }]) => source);
  const missing: string[] = [];
  const found: [ParamSpec, T][] = [];
  for (const spec of specs) {
    const entry = byName.get(spec.name);
    if (!entry) {
      missing.push(spec.name);
      continue;
    }
    const { source, tensor } = entry;
    const expected = storedShape(spec);
    if (tensor.dtype !== 'float32') {
      throw new UserError(`${source} holds ${tensor.dtype} values, not floating point weights`, at(source),
        'Use the checkpoint saved with this model.');
    }
    if (tensor.shape.length !== expected.length || tensor.shape.some((d, i) => d !== expected[i])) {
      throw new UserError(`${source} has shape ${shapeText(tensor.shape)} but config.json implies ${shapeText(expected)}`,
        at(source),
        'The weights and config.json belong to different models: use the config.json saved with these weights.');
    }
    found.push([spec, tensor]);
  }
  const missingEncoder = specs.filter((s) => s.part === 'encoder' && missing.includes(s.name)).map((s) => s.name);
  if (missingEncoder.length > 0) {
    const shown = missingEncoder.slice(0, 3).join(', ') + (missingEncoder.length > 3 ? `, and ${missingEncoder.length - 3} more` : '');
    throw new UserError(`the checkpoint lacks encoder weights the config requires: ${shown}`, { file: sourceFile, field: missingEncoder[0] },
      'Check num_hidden_layers in config.json, or use the complete checkpoint (BertModel, BertForMaskedLM or BertForSequenceClassification).');
  }
  return { found, report: { missing, unexpected } };
}

/**
 * The model's parameters as a checkpoint would store them: Hugging Face names and torch layout, without the tied
 * decoder weight (as transformers saves tied weights), ready for a safetensors writer.
 */
export function exportWeights(model: Bert): TensorMap {
  const out: TensorMap = new Map();
  for (const spec of parameterSpecs(model.config, model.heads)) {
    const variable = model.params.get(spec.name)!;
    // Read outside tf.tidy: tidy walks whatever its callback returns looking for tensors, and a returned
    // 7.8M-element array took 15 s to walk.
    const view = spec.linear ? tf.transpose(variable) : variable;
    const data = Float32Array.from(view.dataSync() as Float32Array);
    if (view !== variable) view.dispose();
    out.set(spec.name, { dtype: 'float32', shape: storedShape(spec), data });
  }
  return out;
}
