import assert from 'node:assert/strict';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { parseExperiment, type Experiment } from '../../../src/engine/experiment/schema';

/** Where test experiments pretend to live; nothing is read from there unless checkFiles is asked for. */
export const EXP_DIR = path.resolve('/projects/spam');
export const EXP_FILE = path.join(EXP_DIR, 'sms.experiment.json');

export const L2 = 'google/bert_uncased_L-2_H-128_A-2';
export const L4 = 'google/bert_uncased_L-4_H-256_A-4';

/** A complete, valid experiment as the user would write it. */
export function baseExperiment(): Record<string, unknown> {
  return {
    name: 'sms-spam-default',
    dataset: { train: 'data/train.jsonl', test: 'data/test.jsonl', textField: 'text', labelField: 'label' },
    prompt: 'templates/sms_spam.prompt.json',
    models: [L2, L4],
    trainSizes: [0, 10, 32, 'all'],
    seeds: [1, 2, 3],
    methods: ['finetune', 'prompt', { distill: { teacher: { method: 'prompt', model: L4 }, student: { model: L2 }, temperature: 2 } }],
  };
}

export function parse(obj: unknown, file = EXP_FILE): Experiment {
  return parseExperiment(JSON.stringify(obj, null, 2), file);
}

/** Asserts that parsing fails with a UserError on `field` (and, when given, a message matching `problem`). */
export function assertRejects(obj: unknown, field: string | undefined, problem?: RegExp): UserError {
  let caught: unknown;
  try {
    parse(obj);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof UserError, `expected a UserError for ${field}, got ${caught === undefined ? 'success' : String(caught)}`);
  assert.equal(caught.place.file, EXP_FILE);
  assert.equal(caught.place.field, field);
  assert.equal(typeof caught.place.line, 'number', 'the error names a line');
  assert.ok(caught.fix.length > 0, 'the error says how to fix it');
  if (problem) assert.match(caught.message, problem);
  return caught;
}
