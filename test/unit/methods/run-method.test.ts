import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ClassifierPredictor } from '../../../src/engine/methods/classifier-predictor';
import { PromptPredictor } from '../../../src/engine/methods/prompt-predictor';
import { runMethod } from '../../../src/engine/methods/run-method';
import type { BaseModel } from '../../../src/engine/methods/types';
import { DEFAULT_TRAINING, fixtureTokenizer, LABELS, quick, recorder, sentiment, startBackend, template, tinyConfig } from './helpers';

let base: BaseModel;
before(async () => {
  await startBackend();
  base = { name: 'tiny', config: tinyConfig(), tokenizer: await fixtureTokenizer() };
});

test('runMethod dispatches on the method, and a fine-tune → distill chain leaves no tensor behind', async () => {
  const start = tf.memory().numTensors;
  const common = { model: base, labels: LABELS, train: sentiment(16, 1), pool: sentiment(16, 2).map(({ text, line }) => ({ text, line })), seed: 1, reporter: recorder() };
  const ft = await runMethod({ ...common, method: 'finetune', training: quick(DEFAULT_TRAINING.finetune, { maxSteps: 2 }) });
  assert.ok(ft.predictor instanceof ClassifierPredictor);
  const zs = await runMethod({ ...common, method: 'prompt', zeroShot: true, template: template(['{text} it was [MASK].'], { negative: 'bad', positive: 'good' }), training: quick(DEFAULT_TRAINING.prompt) });
  assert.ok(zs.predictor instanceof PromptPredictor);
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-lab-run-method-'));
  const kd = await runMethod({ ...common, method: 'distill', teacher: { predictor: zs.predictor, runDir: dir, labeled: 0 }, training: quick(DEFAULT_TRAINING.distill, { maxSteps: 2 }) });
  assert.ok(kd.predictor instanceof ClassifierPredictor);
  assert.deepEqual(kd.data, { labeled: 0, unlabeled: 16 }, 'a zero-shot teacher used no labels; alpha 0 uses none either');
  for (const o of [ft, zs, kd]) o.predictor.dispose();
  rmSync(dir, { recursive: true, force: true });
  assert.equal(tf.memory().numTensors, start);
});
