// A checkpoint with a tokenizer.json (as transformers saves for bert-base-uncased) goes through
// @huggingface/tokenizers and must give the same ids as our WordPiece on the fixture's cases.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { isUserError } from '../../../src/engine/errors';
import { BertTokenizer, loadTokenizer, TokenizerJsonTokenizer, type Tokenizer } from '../../../src/engine/tokenizer/index';
import { Vocab } from '../../../src/engine/tokenizer/vocab';
import { expected, fixtureDir } from './fixture';

const special = (content: string, id: number) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/** The tokenizer.json BertTokenizerFast writes for an uncased BERT, over the given vocabulary. */
function bertTokenizerJson(vocab: Vocab): object {
  const id = (t: string) => vocab.id(t)!;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t) => special(t, id(t))),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map),
    },
  };
}

let dir: string;
let fast: Tokenizer;
let ours: Tokenizer;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tok-json-'));
  const vocab = await Vocab.load(path.join(fixtureDir, 'vocab.txt'));
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(bertTokenizerJson(vocab)));
  await copyFile(path.join(fixtureDir, 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  fast = await loadTokenizer(dir);
  ours = await loadTokenizer(fixtureDir);
});

describe('tokenizer.json through @huggingface/tokenizers', () => {
  test('is chosen when present, with the same special ids and sizes', () => {
    assert.ok(fast instanceof TokenizerJsonTokenizer);
    assert.ok(ours instanceof BertTokenizer);
    assert.deepEqual(fast.specialIds, ours.specialIds);
    assert.equal(fast.vocabSize, ours.vocabSize);
    assert.equal(fast.modelMaxLength, 512);
    assert.equal(fast.tokenToId('hello'), 7592);
    assert.equal(fast.idToToken(7592), 'hello');
  });

  for (const c of expected.single) {
    test(`single ${JSON.stringify(c.text.slice(0, 40))}`, () => {
      assert.deepEqual(fast.encode(c.text), ours.encode(c.text));
      assert.deepEqual(fast.encode(c.text).inputIds, c.input_ids);
    });
  }
  for (const c of expected.pairs) {
    test(`pair ${JSON.stringify(c.text.slice(0, 30))} + ${JSON.stringify(c.text_pair.slice(0, 30))}`, () => {
      assert.deepEqual(fast.encode(c.text, c.text_pair), ours.encode(c.text, c.text_pair));
      assert.deepEqual(fast.encode(c.text, c.text_pair).tokenTypeIds, c.token_type_ids);
    });
  }

  test('truncation and padding behave as with vocab.txt', () => {
    for (const c of expected.truncation) {
      const opts = { maxLength: c.max_length, truncation: c.strategy };
      assert.deepEqual(fast.encode(c.text, c.text_pair, opts).inputIds, c.input_ids);
    }
    const items = expected.batch_padded.texts.map((text) => ({ text }));
    assert.deepEqual(
      fast.encodeBatch(items).map((e) => e.inputIds),
      expected.batch_padded.input_ids,
    );
    assert.deepEqual(
      fast.encodeBatch(items, { padToMaxLength: true, maxLength: 20 }).map((e) => e.attentionMask.length),
      [20, 20, 20, 20],
    );
  });

  test('save writes tokenizer.json unchanged plus a vocab.txt the slow tokenizer reads', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'tok-json-save-'));
    await fast.save(out);
    assert.equal(await readFile(path.join(out, 'tokenizer.json'), 'utf8'), await readFile(path.join(dir, 'tokenizer.json'), 'utf8'));
    assert.equal(await readFile(path.join(out, 'vocab.txt'), 'utf8'), await readFile(path.join(fixtureDir, 'vocab.txt'), 'utf8'));
    const config = JSON.parse(await readFile(path.join(out, 'tokenizer_config.json'), 'utf8'));
    assert.equal(config.do_lower_case, true);
    const again = await loadTokenizer(out);
    assert.ok(again instanceof TokenizerJsonTokenizer);
    assert.deepEqual(again.encode('Hello [MASK] world!'), fast.encode('Hello [MASK] world!'));
  });

  test('a tokenizer.json the library cannot run is a UserError naming it', async () => {
    const bad = await mkdtemp(path.join(os.tmpdir(), 'tok-json-bad-'));
    const file = path.join(bad, 'tokenizer.json');
    await writeFile(file, JSON.stringify({ model: { type: 'NoSuchModel' } }));
    await assert.rejects(loadTokenizer(bad), (e) => isUserError(e) && e.place.file === file);
  });

  test('tokenizing 10,000 short sentences is fast (measured, not asserted)', () => {
    const sentences = Array.from({ length: 10_000 }, (_, i) => `Sentence ${i}: the quick brown fox jumps over the lazy dog!`);
    for (const [name, tok] of [['vocab.txt', ours], ['tokenizer.json', fast]] as const) {
      const t0 = performance.now();
      for (const s of sentences) tok.encode(s);
      console.log(`${name}: 10,000 sentences encoded in ${(performance.now() - t0).toFixed(0)} ms`);
    }
  });
});
