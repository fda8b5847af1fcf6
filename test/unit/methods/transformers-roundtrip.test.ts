// What Adapt Lab saves, Hugging Face transformers loads: a classifier and a masked-LM model, changed by a training
// step so that their weights are our own, are written with writeModelFolder and read back by transformers'
// Auto classes in Python, which must tokenize and compute the same numbers. Skipped, with the reason, where no
// python3 here has transformers and torch; ADAPT_LAB_TRANSFORMERS_PYTHON names an interpreter that does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { readCheckpointFolder } from '../../../src/engine/checkpoint/folder';
import type { Bert, BertBatch } from '../../../src/engine/model/bert';
import { parseBertConfig } from '../../../src/engine/model/config';
import { crossEntropy } from '../../../src/engine/model/loss';
import { createFromWeights } from '../../../src/engine/model/weights';
import { writeModelFolder } from '../../../src/engine/methods/model-folder';
import { AdamW } from '../../../src/engine/train/adamw';
import { trainStep } from '../../../src/engine/train/step';
import { fixtureDir, fixtureTokenizer, startBackend } from './helpers';

const candidates = [process.env.ADAPT_LAB_TRANSFORMERS_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
const python = candidates.find((p) => spawnSync(p, ['-c', 'import transformers, torch'], { stdio: 'ignore' }).status === 0);
const skip = python ? false : 'no python3 here has transformers and torch (set ADAPT_LAB_TRANSFORMERS_PYTHON)';

const TEXTS = [
  { text: 'The capital of France is [MASK].' },
  { text: 'How old are you?', text_pair: 'I am 6 years old.' },
  { text: 'Héllo, wörld! 你好 — a [MASK] test' },
];
const scratch = mkdtempSync(path.join(tmpdir(), 'adapt-lab-hf-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
before(startBackend);

async function trainedFromFixture(sub: string, kind: 'classifier' | 'mlm'): Promise<Bert> {
  const folder = await readCheckpointFolder(path.join(fixtureDir, sub));
  const config = parseBertConfig(folder.config, folder.configPath);
  const heads = kind === 'classifier' ? { mlm: false, classifier: { numLabels: 3 } } : { mlm: true };
  const { model } = createFromWeights(config, heads, folder.tensors, folder.weightsFiles[0], 0);
  // One real step, so that what is saved differs from the fixture's weights.
  const batch: BertBatch = {
    inputIds: tf.tensor2d([[101, 7592, 103, 2088, 102]], [1, 5], 'int32'),
    tokenTypeIds: tf.zeros([1, 5], 'int32'),
    attentionMask: tf.ones([1, 5], 'int32'),
  };
  const labels = tf.tensor1d([kind === 'classifier' ? 2 : 1996], 'int32');
  const params = model.trainableParams(kind);
  const loss = kind === 'classifier'
    ? () => crossEntropy(model.classifyLogits(batch), labels)
    : () => crossEntropy(model.mlmLogits(batch, tf.tensor1d([2], 'int32')), labels);
  trainStep({ params, loss, optimizer: new AdamW(params), lr: 1e-2 });
  tf.dispose([batch.inputIds, batch.tokenTypeIds, batch.attentionMask, labels]);
  return model;
}

const SCRIPT = `
import json, sys, torch
from transformers import AutoModelForMaskedLM, AutoModelForSequenceClassification, AutoTokenizer
kind, folder, texts = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
tok = AutoTokenizer.from_pretrained(folder)
cls = AutoModelForSequenceClassification if kind == 'classifier' else AutoModelForMaskedLM
model = cls.from_pretrained(folder).eval()
out = []
for t in texts:
    enc = tok(t['text'], t.get('text_pair'), return_tensors='pt')
    with torch.no_grad():
        logits = model(**enc).logits[0]
    ids = enc['input_ids'][0].tolist()
    row = {'input_ids': ids}
    if kind == 'classifier':
        row['logits'] = logits.tolist()
    else:
        row['mask_logits'] = [logits[i].tolist() for i, x in enumerate(ids) if x == tok.mask_token_id]
    out.append(row)
print(json.dumps({'labels': getattr(model.config, 'id2label', None), 'rows': out}))
`;

function transformers(kind: string, folder: string): { labels: Record<string, string>; rows: { input_ids: number[]; logits?: number[]; mask_logits?: number[][] }[] } {
  const r = spawnSync(python!, ['-c', SCRIPT, kind, folder, JSON.stringify(TEXTS)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const relative = (got: ArrayLike<number>, want: ArrayLike<number>): number => {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return diff / scale;
};

test('transformers loads a classifier we trained and saved, and computes our logits', { skip }, async () => {
  const tokenizer = await fixtureTokenizer();
  const model = await trainedFromFixture('seqcls', 'classifier');
  const dir = path.join(scratch, 'classifier');
  await writeModelFolder(dir, model, tokenizer, ['neg', 'neutral', 'pos']);
  const theirs = transformers('classifier', dir);
  assert.deepEqual(theirs.labels, { 0: 'neg', 1: 'neutral', 2: 'pos' });
  TEXTS.forEach((t, i) => {
    const enc = tokenizer.encode(t.text, t.text_pair);
    assert.deepEqual(theirs.rows[i].input_ids, enc.inputIds);
    const batch = { inputIds: tf.tensor2d([enc.inputIds], undefined, 'int32'), tokenTypeIds: tf.tensor2d([enc.tokenTypeIds], undefined, 'int32'), attentionMask: tf.tensor2d([enc.attentionMask], undefined, 'int32') } as BertBatch;
    const ours = model.classifyLogits(batch);
    assert.ok(relative(ours.dataSync(), theirs.rows[i].logits!) < 1e-5, `logits of text ${i}`);
    tf.dispose([ours, batch.inputIds, batch.tokenTypeIds, batch.attentionMask]);
  });
  const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  assert.deepEqual(config.architectures, ['BertForSequenceClassification']);
  model.dispose();
});

test('transformers loads a masked-LM model we trained and saved, and computes our [MASK] logits', { skip }, async () => {
  const tokenizer = await fixtureTokenizer();
  const model = await trainedFromFixture('.', 'mlm');
  const dir = path.join(scratch, 'mlm');
  await writeModelFolder(dir, model, tokenizer);
  const theirs = transformers('mlm', dir);
  let masks = 0;
  TEXTS.forEach((t, i) => {
    const enc = tokenizer.encode(t.text, t.text_pair);
    assert.deepEqual(theirs.rows[i].input_ids, enc.inputIds);
    const positions = enc.inputIds.flatMap((id, p) => (id === tokenizer.specialIds.mask ? [p] : []));
    const batch = { inputIds: tf.tensor2d([enc.inputIds], undefined, 'int32'), tokenTypeIds: tf.tensor2d([enc.tokenTypeIds], undefined, 'int32'), attentionMask: tf.tensor2d([enc.attentionMask], undefined, 'int32') } as BertBatch;
    positions.forEach((p, k) => {
      const ours = model.mlmLogits(batch, tf.tensor1d([p], 'int32'));
      assert.ok(relative(ours.dataSync(), theirs.rows[i].mask_logits![k]) < 1e-5, `[MASK] logits of text ${i}`);
      ours.dispose();
      masks++;
    });
    tf.dispose([batch.inputIds, batch.tokenTypeIds, batch.attentionMask]);
  });
  assert.ok(masks >= 2);
  model.dispose();
});
