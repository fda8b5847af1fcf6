// Verbalizer words against the real vocabulary of the fixture (bert-base-uncased's vocab.txt, 30,522 entries).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { readDataset } from '../../../src/engine/data/dataset';
import { labelSet } from '../../../src/engine/data/labels';
import { UserError } from '../../../src/engine/errors';
import { patternFiller } from '../../../src/engine/prompt/fill';
import { loadTemplate, parseTemplate } from '../../../src/engine/prompt/template';
import { resolveVerbalizer } from '../../../src/engine/prompt/verbalizer';
import { loadTokenizer, type Tokenizer } from '../../../src/engine/tokenizer/index';
import { fixtureDir, sharedData } from '../../lib/shared';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const vocabId = (word: string) => readFileSync(path.join(fixtureDir, 'vocab.txt'), 'utf8').split('\n').indexOf(word);

let tokenizer: Tokenizer;
before(async () => {
  tokenizer = await loadTokenizer(fixtureDir);
});

const template = (verbalizer: object) => parseTemplate(JSON.stringify({ patterns: ['{text} It was [MASK].'], verbalizer }, null, 2), 't.prompt.json');

function failure(verbalizer: object, labels: string[]): UserError {
  try {
    resolveVerbalizer(template(verbalizer), tokenizer, labels, 't.prompt.json');
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    assert.equal(e.place.file, 't.prompt.json');
    return e;
  }
  assert.fail('expected a UserError');
}

test('single-token words resolve to their vocabulary ids, in the order of the data labels', () => {
  const r = resolveVerbalizer(template({ positive: 'great', negative: ['Terrible', 'bad'] }), tokenizer, ['negative', 'positive'], 't.prompt.json');
  assert.deepEqual(r.labels, ['negative', 'positive']);
  assert.deepEqual(r.words, [['Terrible', 'bad'], ['great']]);
  assert.deepEqual(r.tokenIds, [[vocabId('terrible'), vocabId('bad')], [vocabId('great')]]);
  assert.equal(r.tokenIds[1][0], 2307);
});

test('a word that splits: the message shows the pieces and the place in the file', () => {
  const e = failure({ positive: 'fantastically', negative: 'bad' }, ['negative', 'positive']);
  assert.equal(e.message, '"fantastically" (label "positive") splits into ["fantastic", "##ally"] in this vocabulary');
  assert.equal(e.place.field, 'verbalizer.positive');
  assert.equal(e.place.line, 6);
  assert.match(e.fix, /single-token word/);
  assert.match(failure({ ham: 'ok', spam: 'spam' }, ['ham', 'spam']).message, /"spam" \(label "spam"\) splits into \["spa", "##m"\]/);
});

test('cheap single-token alternatives are suggested', () => {
  assert.match(failure({ positive: 'great!', negative: 'bad' }, ['negative', 'positive']).fix, /"great" is one token/);
  const unk = failure({ positive: 'great', negative: ['bad', '☃'] }, ['negative', 'positive']);
  assert.match(unk.message, /"☃" \(label "negative"\) is not in this vocabulary \(it becomes "\[UNK\]"\)/);
  assert.equal(unk.place.field, 'verbalizer.negative[1]');
});

test('one token for two labels, or twice for one label, is an error', () => {
  assert.match(failure({ positive: 'great', negative: 'GREAT' }, ['negative', 'positive']).message, /"great" \(label "positive"\) is the same token as "GREAT" \(label "negative"\)/);
  assert.match(failure({ positive: ['great', 'Great'], negative: 'bad' }, ['negative', 'positive']).message, /lists the token of "Great" twice/);
});

test('labels and verbalizer entries must match one to one; the missing and extra ones are named', () => {
  const e = failure({ positive: 'great', negative: 'bad', mixed: 'okay' }, ['negative', 'neutral', 'positive']);
  assert.match(e.message, /label "neutral" has no verbalizer entry/);
  assert.match(e.message, /entry "mixed" is not a label of the data/);
  assert.equal(e.place.field, 'verbalizer');
});

test('the shipped templates resolve against the bert-base-uncased vocabulary and the real datasets\' labels', async () => {
  const data: Record<string, string> = { sst2: 'test.jsonl', agnews: 'test.jsonl', trec: 'test.jsonl', sms_spam: 'test.jsonl' };
  const files = readdirSync(path.join(repoRoot, 'templates')).filter((f) => f.endsWith('.prompt.json'));
  assert.deepEqual(files.sort(), ['agnews.prompt.json', 'sms_spam.prompt.json', 'sst2.prompt.json', 'trec.prompt.json']);
  for (const f of files) {
    const name = f.replace('.prompt.json', '');
    const t = await loadTemplate(path.join(repoRoot, 'templates', f));
    const { rows } = await readDataset(path.join(sharedData, name, data[name]), { textField: 'text', labelField: 'label' });
    const labels = labelSet(rows, name);
    const r = resolveVerbalizer(t, tokenizer, labels, f);
    assert.equal(new Set(r.tokenIds.flat()).size, r.tokenIds.flat().length, f);
    // Every pattern fills every example of the first hundred with exactly one mask within 128 tokens.
    for (const pattern of t.parsed) {
      const fill = patternFiller(pattern, tokenizer, 128);
      for (const row of rows.slice(0, 100)) {
        const e = fill(row);
        assert.ok(e.inputIds.length <= 128);
        assert.equal(e.inputIds.filter((id) => id === tokenizer.specialIds.mask).length, 1, `${f}: ${pattern.source}`);
        assert.equal(e.inputIds[e.maskPosition], tokenizer.specialIds.mask);
      }
    }
  }
});
