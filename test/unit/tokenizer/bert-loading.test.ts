// Loading a vocab.txt checkpoint: settings from the JSON files, added tokens, errors a user can act on,
// and save() writing files that load back to the same tokenizer.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { isUserError, UserError } from '../../../src/engine/errors';
import { loadTokenizer } from '../../../src/engine/tokenizer/index';
import { expected, fixtureDir } from './fixture';

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = ['hello', 'Hello', 'world', ',', '!', 'café', 'cafe', '##s', 'x', '##y'];

/** A checkpoint folder with vocab = specials (ids 0-4) + words (ids 5-14) and the given JSON files. */
async function checkpoint(files: Record<string, unknown> = {}, vocab = [...SPECIALS, ...WORDS]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tok-'));
  await writeFile(path.join(dir, 'vocab.txt'), vocab.map((t) => t + '\n').join(''));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const userError = (check: (e: UserError) => boolean) => (e: unknown) => {
  assert.ok(isUserError(e), `expected a UserError, got ${String(e)}`);
  assert.ok(check(e), `unexpected UserError: ${e.format()}`);
  return true;
};

describe('settings', () => {
  test('without tokenizer_config.json: BERT defaults (lower-case, 512)', async () => {
    const tok = await loadTokenizer(await checkpoint());
    assert.deepEqual(tok.tokenize('Hello, CAFÉS!'), ['hello', ',', 'cafe', '##s', '!']);
    assert.equal(tok.modelMaxLength, 512);
    assert.deepEqual(tok.specialIds, { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
    assert.equal(tok.vocabSize, 15);
  });

  test('do_lower_case false keeps case and accents', async () => {
    const tok = await loadTokenizer(await checkpoint({ 'tokenizer_config.json': { do_lower_case: false } }));
    assert.deepEqual(tok.tokenize('Hello café HELLO'), ['Hello', 'café', '[UNK]']);
  });

  test('do_basic_tokenize false: whitespace split only, no lower-casing', async () => {
    const tok = await loadTokenizer(await checkpoint({ 'tokenizer_config.json': { do_basic_tokenize: false } }));
    assert.deepEqual(tok.tokenize('Hello hello, [MASK]'), ['Hello', '[UNK]', '[MASK]']);
  });

  test('model_max_length: absurd values fall back to 512, real ones are kept', async () => {
    const huge = await loadTokenizer(await checkpoint({ 'tokenizer_config.json': { model_max_length: 1e30 } }));
    assert.equal(huge.modelMaxLength, 512);
    const small = await loadTokenizer(await checkpoint({ 'tokenizer_config.json': { model_max_length: 8 } }));
    assert.equal(small.modelMaxLength, 8);
    // The default truncation uses it.
    assert.deepEqual(small.encode('x x x x x x x x x x').inputIds, [2, 13, 13, 13, 13, 13, 13, 3]);
  });

  test('special tokens as AddedToken objects; special_tokens_map.json overrides tokenizer_config.json', async () => {
    const dir = await checkpoint({
      'tokenizer_config.json': { mask_token: { __type: 'AddedToken', content: 'x', lstrip: true }, cls_token: 'world' },
      'special_tokens_map.json': { cls_token: { content: 'hello' } },
    });
    const tok = await loadTokenizer(dir);
    assert.equal(tok.specialIds.mask, 13);
    assert.equal(tok.specialIds.cls, 5);
    assert.deepEqual(tok.encode('world').tokens, ['hello', 'world', '[SEP]']);
  });

  test('a literal special token in the text stays whole, even glued to other text', async () => {
    const tok = await loadTokenizer(await checkpoint());
    assert.deepEqual(tok.tokenize('hello[MASK]world [mask]'), ['hello', '[MASK]', 'world', '[UNK]', '[UNK]', '[UNK]']);
  });

  test('text is lower-cased one character at a time, as transformers does before splitting', async () => {
    const tok = await loadTokenizer(fixtureDir);
    // A final capital sigma becomes "σ", not the word-final "ς" that whole-word lower-casing gives.
    assert.deepEqual(tok.tokenize('ΟΔΟΣ'), ['ο', '##δ', '##ο', '##σ']);
  });
});

describe('added tokens', () => {
  test('added_tokens.json: new ids after the vocabulary, kept whole, lower-cased when do_lower_case', async () => {
    const tok = await loadTokenizer(await checkpoint({ 'added_tokens.json': { NewWord: 15, 'hello': 16 } }));
    assert.equal(tok.tokenToId('newword'), 15);
    assert.equal(tok.idToToken(15), 'newword');
    // "hello" is already in the vocabulary, so it is not added again.
    assert.equal(tok.tokenToId('hello'), 5);
    assert.equal(tok.vocabSize, 16);
    assert.deepEqual(tok.encode('xNEWWORDhello').tokens, ['[CLS]', 'x', 'newword', 'hello', '[SEP]']);
  });

  test('tokenizer_config.json added_tokens_decoder (newer transformers) is read too', async () => {
    const tok = await loadTokenizer(
      await checkpoint({
        'tokenizer_config.json': {
          added_tokens_decoder: {
            '0': { content: '[PAD]', special: true },
            '15': { content: '<E1>', special: true },
          },
          additional_special_tokens: ['<E1>'],
        },
      }),
    );
    assert.deepEqual(tok.encode('x<E1>x').inputIds, [2, 13, 15, 13, 3]);
  });

  test('ids that do not continue the vocabulary are a UserError naming added_tokens.json', async () => {
    const dir = await checkpoint({ 'added_tokens.json': { newword: 20 } });
    await assert.rejects(
      loadTokenizer(dir),
      userError((e) => e.place.file === path.join(dir, 'added_tokens.json') && e.place.field === 'newword'),
    );
  });
});

describe('errors', () => {
  test('a folder without vocab.txt or tokenizer.json', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tok-empty-'));
    await assert.rejects(loadTokenizer(dir), userError((e) => e.place.file === dir && /vocab\.txt/.test(e.message)));
  });

  for (const missing of SPECIALS) {
    test(`a vocabulary without ${missing}`, async () => {
      const dir = await checkpoint({}, [...SPECIALS.filter((t) => t !== missing), ...WORDS]);
      await assert.rejects(
        loadTokenizer(dir),
        userError((e) => e.place.file === path.join(dir, 'vocab.txt') && e.message.includes(missing) && /_token$/.test(e.place.field ?? '')),
      );
    });
  }

  test('malformed tokenizer_config.json names the file and the line', async () => {
    const dir = await checkpoint({ 'tokenizer_config.json': '{\n  "do_lower_case": true,\n  "model_max_length": 512,\n}\n' });
    await assert.rejects(
      loadTokenizer(dir),
      userError((e) => e.place.file === path.join(dir, 'tokenizer_config.json') && e.place.line === 4),
    );
  });

  test('a wrongly typed field names the field', async () => {
    const dir = await checkpoint({ 'tokenizer_config.json': { do_lower_case: 'yes' } });
    await assert.rejects(loadTokenizer(dir), userError((e) => e.place.field === 'do_lower_case'));
  });

  test('a JSON array instead of an object', async () => {
    const dir = await checkpoint({ 'special_tokens_map.json': '[]' });
    await assert.rejects(loadTokenizer(dir), userError((e) => e.place.file === path.join(dir, 'special_tokens_map.json')));
  });
});

describe('save', () => {
  test('the fixture tokenizer saves files that load back to the same encodings', async () => {
    const tok = await loadTokenizer(fixtureDir);
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'tok-save-')), 'nested');
    await tok.save(out);
    assert.equal(await readFile(path.join(out, 'vocab.txt'), 'utf8'), await readFile(path.join(fixtureDir, 'vocab.txt'), 'utf8'));
    const config = JSON.parse(await readFile(path.join(out, 'tokenizer_config.json'), 'utf8'));
    assert.equal(config.do_lower_case, true);
    assert.equal(config.tokenizer_class, 'BertTokenizer');
    assert.equal(config.model_max_length, 512);
    assert.equal(config.mask_token, '[MASK]');
    const map = JSON.parse(await readFile(path.join(out, 'special_tokens_map.json'), 'utf8'));
    assert.deepEqual(map, { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' });

    const again = await loadTokenizer(out);
    const cases: [string, string | undefined][] = [
      ...expected.single.map((c): [string, undefined] => [c.text, undefined]),
      ...expected.pairs.map((c): [string, string] => [c.text, c.text_pair]),
    ];
    for (const [text, pair] of cases) assert.deepEqual(again.encode(text, pair), tok.encode(text, pair));
  });

  test('added tokens and a cased setting survive a save', async () => {
    const tok = await loadTokenizer(
      await checkpoint({ 'tokenizer_config.json': { do_lower_case: false }, 'added_tokens.json': { '<new>': 15 } }),
    );
    const out = await mkdtemp(path.join(os.tmpdir(), 'tok-save-'));
    await tok.save(out);
    const again = await loadTokenizer(out);
    assert.deepEqual(again.encode('Hello<new>hello').inputIds, [2, 6, 15, 5, 3]);
  });
});
