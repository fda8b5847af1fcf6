// Shared by the model tests: the transformers fixture, the backends to check on, and the comparison rule.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BackendPreference } from '../../../src/engine/backend/select';
import { readSafetensors } from '../../../src/engine/checkpoint/safetensors';
import type { BertBatch } from '../../../src/engine/model/bert';
import { type BertConfig, parseBertConfig } from '../../../src/engine/model/config';
import type { TensorMap } from '../../../src/engine/tensors';
import { fixtureDir } from '../../lib/shared';
export { fixtureDir };


/** cpu and wasm always; native TensorFlow too where @tensorflow/tfjs-node is installed. */
export function availableBackends(): BackendPreference[] {
  const backends: BackendPreference[] = ['cpu', 'wasm'];
  try {
    require.resolve('@tensorflow/tfjs-node');
    backends.push('node');
  } catch {
    // optional dependency, absent here
  }
  return backends;
}

/**
 * "Relative" difference of a tensor against its reference: max|a − b| over the tensor divided by max|b| (or by
 * 1e-30 when the reference is all zeros). One scale per tensor, so near-zero entries are not judged alone.
 */
export function relativeDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, 'element counts differ');
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / Math.max(scale, 1e-30);
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  const r = relativeDiff(actual, expected);
  assert.ok(r <= tolerance, `${what}: relative difference ${r.toExponential(2)} exceeds ${tolerance}`);
}

export interface Fixture {
  expected: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- expected.json, read field by field
  full: TensorMap; // expected.safetensors
  mlm: { config: BertConfig; tensors: TensorMap };
  seqcls: { config: BertConfig; tensors: TensorMap };
}

let cached: Promise<Fixture> | undefined;
export function loadFixture(): Promise<Fixture> {
  cached ??= (async () => {
    const json = (file: string): unknown => JSON.parse(readFileSync(path.join(fixtureDir, file), 'utf8'));
    return {
      expected: json('expected.json'),
      full: (await readSafetensors(path.join(fixtureDir, 'expected.safetensors'))).tensors,
      mlm: {
        config: parseBertConfig(json('config.json'), 'config.json'),
        tensors: (await readSafetensors(path.join(fixtureDir, 'model.safetensors'))).tensors,
      },
      seqcls: {
        config: parseBertConfig(json('seqcls/config.json'), 'seqcls/config.json'),
        tensors: (await readSafetensors(path.join(fixtureDir, 'seqcls', 'model.safetensors'))).tensors,
      },
    };
  })();
  return cached;
}

/** A batch from the fixture's id lists: one row (number[]) or several (number[][]). */
export function batchOf(ids: number[] | number[][], types: number[] | number[][], mask: number[] | number[][]): BertBatch {
  const rows = (x: number[] | number[][]): number[][] => (Array.isArray(x[0]) ? (x as number[][]) : [x as number[]]);
  const t = (x: number[] | number[][]): tf.Tensor2D => tf.tensor2d(rows(x), undefined, 'int32');
  return { inputIds: t(ids), tokenTypeIds: t(types), attentionMask: t(mask) };
}

export function range(n: number): tf.Tensor1D {
  return tf.range(0, n, 1, 'int32') as tf.Tensor1D;
}
