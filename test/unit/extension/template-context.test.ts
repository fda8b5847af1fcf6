// What a template is checked against in the editor: the model's vocabulary, found offline (a local folder, the
// Hugging Face cache, or the vocabulary Adapt Lab ships for BERT uncased models), and the labels of the experiment
// that uses the template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { experimentsUsing, trainLabels, vocabularyFor } from '../../../src/extension/prompt/template-context';
import { fixtureModel, makeWorld } from './helpers';

test('a local model folder gives its own vocabulary; in an untrusted workspace it is not read', async () => {
  const own = await vocabularyFor(fixtureModel, '/', { trusted: true });
  assert.equal(own.source, fixtureModel);
  assert.deepEqual(own.tokenizer?.tokenize('excelent'), ['excel', '##ent']);
  assert.equal(own.note, undefined);
  const untrusted = await vocabularyFor(fixtureModel, '/', { trusted: false });
  assert.equal(untrusted.tokenizer, undefined);
  assert.match(untrusted.note!, /nothing is loaded from an untrusted workspace/);
  // A folder outside the workspace is read only once allowed.
  const asked: string[] = [];
  const outside = await vocabularyFor(fixtureModel, '/', { trusted: true, mayRead: (f) => (asked.push(f), false) });
  assert.deepEqual(asked, [fixtureModel]);
  assert.equal(outside.tokenizer, undefined);
  assert.match(outside.note!, /is outside the workspace.*allow it/);
  assert.ok((await vocabularyFor(fixtureModel, '/', { trusted: true, mayRead: () => true })).tokenizer);
});

test('a compact BERT missing from the cache is checked against the shipped bert-base-uncased vocabulary; other ids are not checked', async () => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'adapt-lab-empty-cache-'));
  try {
    const compact = await vocabularyFor('google/bert_uncased_L-2_H-128_A-2', '/', { trusted: true, cacheDir });
    assert.ok(compact.tokenizer);
    assert.match(compact.note!, /shipped with Adapt Lab/);
    const other = await vocabularyFor('roberta-base', '/', { trusted: true, cacheDir });
    assert.equal(other.tokenizer, undefined);
    assert.match(other.note!, /roberta-base is not in the Hugging Face cache/);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('the experiment naming a template gives the labels of its training data', async () => {
  const world = makeWorld();
  try {
    const [e] = experimentsUsing(world.templateFile, [world.experimentFile, path.join(world.dir, 'missing.experiment.json')]);
    assert.equal(e.name, 'tiny');
    assert.deepEqual(await trainLabels(e), { labels: ['ham', 'spam'], file: 'train.jsonl', hasTextPair: false });
    assert.deepEqual(experimentsUsing(path.join(world.dir, 'other.prompt.json'), [world.experimentFile]), []);
  } finally {
    world.dispose();
  }
});
