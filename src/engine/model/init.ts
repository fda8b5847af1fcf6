// Hugging Face's BertPreTrainedModel._init_weights, drawn from our seeded Rng on the host: the same seed gives
// the same weights on every backend and platform (TF.js's own random ops differ between backends).
import { Rng } from '../rng';
import type { BertConfig } from './config';
import { type ParamSpec, WORD_EMBEDDINGS } from './layout';

/**
 * Initial values for one parameter: normal(0, initializer_range) weights, zero biases, LayerNorm gain 1.
 * Each parameter draws from its own stream, derived from the seed and its name, so adding or removing a head
 * leaves every other parameter's initial value unchanged.
 */
export function initialValues(spec: ParamSpec, config: BertConfig, seed: number): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  if (spec.init === 'ones') out.fill(1);
  if (spec.init !== 'normal') return out;
  fillNormal(out, config.initializerRange, new Rng(streamSeed(seed, spec.name)));
  // nn.Embedding(padding_idx=pad_token_id) starts with the padding row at zero.
  if (spec.name === WORD_EMBEDDINGS && config.padTokenId !== null) {
    const h = spec.shape[1];
    out.fill(0, config.padTokenId * h, (config.padTokenId + 1) * h);
  }
  return out;
}

/** FNV-1a over the name, mixed with the seed: a 32-bit seed per (seed, parameter). */
function streamSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ Math.trunc(seed)) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Box–Muller: two independent N(0, std²) values per pair of uniforms. */
function fillNormal(out: Float32Array, std: number, rng: Rng): void {
  for (let i = 0; i < out.length; i += 2) {
    const u = 1 - rng.next(); // in (0, 1]: log(u) is finite
    const v = rng.next();
    const r = std * Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
}
