// Shared pieces of the methods tests: the fixture tokenizer (the real 30,522-id BERT vocabulary) with tiny
// randomly initialised BERTs, a reporter that records what it is told, a toy sentiment task, and a template.
import path from 'node:path';
import { initBackend } from '../../../src/engine/backend/select';
import type { Example } from '../../../src/engine/data/example';
import { DEFAULT_TRAINING, type CommonOptions } from '../../../src/engine/experiment/training';
import { parseBertConfig, type BertConfig } from '../../../src/engine/model/config';
import { parseTemplate, type PromptTemplate } from '../../../src/engine/prompt/template';
import type { TrainingReporter } from '../../../src/engine/methods/types';
import { loadTokenizer, type Tokenizer } from '../../../src/engine/tokenizer';
import { Rng } from '../../../src/engine/rng';
import { fixtureDir } from '../../lib/shared';
export { fixtureDir };

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The wasm backend (what users run), with the engine's kernel fixes; one thread from source. */
export async function startBackend(): Promise<void> {
  await initBackend('wasm');
}

let cachedTokenizer: Promise<Tokenizer> | undefined;
export function fixtureTokenizer(): Promise<Tokenizer> {
  cachedTokenizer ??= loadTokenizer(fixtureDir);
  return cachedTokenizer;
}

/** A BERT small enough to train in milliseconds per step, over the fixture's full vocabulary. */
export function tinyConfig(overrides: Record<string, unknown> = {}): BertConfig {
  return parseBertConfig({
    vocab_size: 30522, hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64,
    max_position_embeddings: 64, ...overrides,
  }, 'tiny-config.json');
}

export interface Recorded {
  steps: { step: number; totalSteps: number; loss: number; lr: number }[];
  evaluations: { step: number; split: string; accuracy: number; macroF1: number }[];
  logs: string[];
}

export function recorder(): TrainingReporter & Recorded {
  const r: Recorded = { steps: [], evaluations: [], logs: [] };
  return { ...r, step: (s) => r.steps.push(s), evaluation: (e) => r.evaluations.push(e), log: (l) => r.logs.push(l) };
}

/** Short review-like sentences whose label is carried by one cue word. */
const POSITIVE = ['good', 'great', 'fine', 'nice', 'excellent', 'wonderful', 'lovely', 'superb'];
const NEGATIVE = ['bad', 'awful', 'poor', 'terrible', 'horrible', 'boring', 'dull', 'weak'];
const SUBJECTS = ['the film', 'this movie', 'the plot', 'the acting', 'the ending', 'the music', 'the story'];

export function sentiment(n: number, seed: number): Example[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = i % 2 === 0 ? 'positive' : 'negative';
    const cues = label === 'positive' ? POSITIVE : NEGATIVE;
    const subject = SUBJECTS[rng.int(SUBJECTS.length)];
    const tail = rng.int(3) === 0 ? ' and i would say so again' : '';
    return { text: `${subject} was ${cues[rng.int(cues.length)]}${tail}`, label, line: i + 1 };
  });
}

export const LABELS = ['negative', 'positive'];

export function template(patterns: string[], verbalizer: Record<string, string | string[]>): PromptTemplate {
  return parseTemplate(JSON.stringify({ patterns, verbalizer }, null, 2), 'test.prompt.json');
}

/** Quick training settings: a few steps, no warm-up, no dev evaluation unless asked. */
export function quick<T extends CommonOptions>(base: T, overrides: Partial<T> = {}): T {
  const out = { ...base, learningRate: 1e-3, batchSize: 8, warmupRatio: 0, maxLength: 32, evalEverySteps: 1000, earlyStoppingPatience: 0, ...overrides } as T;
  if (overrides.epochs !== undefined) delete out.maxSteps;
  if (overrides.maxSteps !== undefined) delete out.epochs;
  return out;
}

export { DEFAULT_TRAINING };
