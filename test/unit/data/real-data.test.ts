// The datasets in shared/data load with the row and class counts their SOURCE.md files give.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { readDataset } from '../../../src/engine/data/dataset';
import { labelCounts } from '../../../src/engine/data/labels';
import { sampleTrain } from '../../../src/engine/data/sampling';
import { loadSplits } from '../../../src/engine/data/splits';
import { sharedData } from './helpers';

const fields = { textField: 'text', labelField: 'label' };
const counted = (rows: Parameters<typeof labelCounts>[0]) => Object.fromEntries([...labelCounts(rows)].sort());
const file = (...p: string[]) => path.join(sharedData, ...p);

test('sst2: train shards 67,349, dev 872, test 1,821 with the documented class counts', async () => {
  const s = await loadSplits({ train: [file('sst2', 'train-00000-of-00002.jsonl'), file('sst2', 'train-00001-of-00002.jsonl')], dev: file('sst2', 'dev.jsonl'), test: file('sst2', 'test.jsonl') }, fields);
  assert.deepEqual(s.skipped, []);
  assert.deepEqual(s.labels, ['negative', 'positive']);
  assert.deepEqual(counted(s.train), { negative: 29_780, positive: 37_569 });
  assert.deepEqual(counted(s.dev), { negative: 428, positive: 444 });
  assert.deepEqual(counted(s.test), { negative: 912, positive: 909 });
  assert.deepEqual(counted(sampleTrain(s.train, 32, 1, 'sst2')), { negative: 16, positive: 16 });
});

test('agnews: train 4,999, test 7,600 (1,900 per class)', async () => {
  const s = await loadSplits({ train: file('agnews', 'train.jsonl'), test: file('agnews', 'test.jsonl') }, fields);
  assert.deepEqual(counted(s.train), { Business: 1280, 'Sci/Tech': 1203, Sports: 1257, World: 1259 });
  assert.deepEqual(counted(s.test), { Business: 1900, 'Sci/Tech': 1900, Sports: 1900, World: 1900 });
});

test('trec: train 5,452, test 500; a 1000-example sample takes all 86 abbreviation questions and fills the rest', async () => {
  const s = await loadSplits({ train: file('trec', 'train.jsonl'), test: file('trec', 'test.jsonl') }, fields);
  assert.deepEqual(counted(s.train), { abbreviation: 86, description: 1162, entity: 1250, human: 1223, location: 835, number: 896 });
  assert.equal(s.test.length, 500);
  const sample = counted(sampleTrain(s.train, 1000, 3, 'trec'));
  assert.equal(sample.abbreviation, 86);
  const others = Object.entries(sample).filter(([l]) => l !== 'abbreviation').map(([, n]) => n);
  assert.deepEqual(others.sort(), [182, 183, 183, 183, 183]); // 914 spread over 5 classes
});

test('sms_spam: all 5,574 (4,827 ham / 747 spam) = train 4,459 + test 1,115', async () => {
  const all = await readDataset(file('sms_spam', 'all.jsonl'), fields);
  assert.deepEqual(counted(all.rows), { ham: 4827, spam: 747 });
  const s = await loadSplits({ train: file('sms_spam', 'train.jsonl'), test: file('sms_spam', 'test.jsonl') }, fields);
  assert.deepEqual(counted(s.train), { ham: 3879, spam: 580 });
  assert.deepEqual(counted(s.test), { ham: 948, spam: 167 });
});
