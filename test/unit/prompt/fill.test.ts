import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { UserError } from '../../../src/engine/errors';
import { fillPattern } from '../../../src/engine/prompt/fill';
import { loadTokenizer, type Tokenizer } from '../../../src/engine/tokenizer/index';
import { fixtureDir } from '../../lib/shared';

let tok: Tokenizer;
before(async () => {
  tok = await loadTokenizer(fixtureDir);
});

const masks = (ids: number[]) => ids.filter((id) => id === tok.specialIds.mask).length;

test('without truncation, filling equals encoding the filled-in string', () => {
  const e = fillPattern('{text} It was [MASK].', { text: 'A gripping, funny film' }, tok, 128);
  assert.deepEqual(e.tokens, ['[CLS]', 'a', 'gripping', ',', 'funny', 'film', 'it', 'was', '[MASK]', '.', '[SEP]']);
  assert.equal(e.maskPosition, 8);
  const whole = tok.encode('A gripping, funny film It was [MASK].');
  assert.deepEqual({ ...e, maskPosition: undefined }, { ...whole, maskPosition: undefined });
  const pair = fillPattern('"{text_pair}" ? [MASK], "{text}"', { text: 'It rains.', textPair: 'The ground is wet.' }, tok, 128);
  assert.deepEqual(pair.inputIds, tok.encode('"The ground is wet." ? [MASK], "It rains."').inputIds);
  assert.deepEqual(pair.tokenTypeIds, pair.inputIds.map(() => 0));
});

test('a long text is truncated from its end; the pattern words and the mask stay', () => {
  const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
  for (const pattern of ['{text} It was [MASK].', '[MASK] News: {text}', 'Just [MASK]! {text} Really.']) {
    const e = fillPattern(pattern, { text }, tok, 24);
    assert.equal(e.inputIds.length, 24, pattern);
    assert.equal(masks(e.inputIds), 1);
    assert.equal(e.inputIds[e.maskPosition], tok.specialIds.mask);
    assert.equal(e.tokens[0], '[CLS]');
    assert.equal(e.tokens[23], '[SEP]');
    // The pattern's own words are all there, in order, and the text pieces are a prefix of the full text's pieces.
    const words = tok.tokenize(pattern.replace('{text}', '').replace('[MASK]', ''));
    const kept = e.tokens.slice(1, -1).filter((_, i) => i + 1 !== e.maskPosition);
    const textPieces = tok.tokenize(text);
    const start = kept.findIndex((t, i) => t === textPieces[0] && kept[i + 1] === textPieces[1]);
    const textLength = 24 - 2 - 1 - words.length;
    assert.deepEqual(kept.slice(start, start + textLength), textPieces.slice(0, textLength), pattern);
    assert.deepEqual([...kept.slice(0, start), ...kept.slice(start + textLength)], words, pattern);
  }
});

test('with two texts, the longer one is cut first', () => {
  const long = Array.from({ length: 30 }, () => 'yes').join(' ');
  const e = fillPattern('{text} ? [MASK] , {text_pair}', { text: long, textPair: 'no no no no' }, tok, 20);
  assert.equal(e.inputIds.length, 20);
  // 20 − [CLS] [SEP] − "? [MASK] ," = 15 text pieces; the pair (4) is untouched, the text keeps 11.
  assert.equal(e.tokens.filter((t) => t === 'yes').length, 11);
  assert.equal(e.tokens.filter((t) => t === 'no').length, 4);
  const both = fillPattern('{text} ? [MASK] , {text_pair}', { text: long, textPair: long }, tok, 20);
  assert.equal(both.tokens.filter((t) => t === 'yes').length, 15);
  assert.equal(both.tokens.indexOf('[MASK]'), 1 + 8 + 1); // [CLS], 8 text pieces, "?": the 8 + 7 split cuts the later text on ties
});

test('the mask token typed inside the data does not become a second mask', () => {
  const e = fillPattern('{text} It was [MASK].', { text: 'I typed [MASK] here' }, tok, 64);
  assert.equal(masks(e.inputIds), 1);
  assert.equal(e.tokens[3], '[UNK]');
  assert.equal(e.maskPosition, 7);
});

test('errors: no room for the text, a missing second text', () => {
  assert.throws(
    () => fillPattern('{text} It was really very [MASK].', { text: 'x' }, tok, 8),
    (e: unknown) => e instanceof UserError && e.place.field === 'maxLength' && /takes 8 tokens/.test(e.message),
  );
  assert.throws(
    () => fillPattern('{text} ? [MASK] , {text_pair}', { text: 'x', line: 7 }, tok, 64, 'train.jsonl'),
    (e: unknown) => e instanceof UserError && e.place.file === 'train.jsonl' && e.place.line === 7,
  );
  assert.throws(() => fillPattern('{text} no mask', { text: 'x' }, tok, 64), UserError);
});
