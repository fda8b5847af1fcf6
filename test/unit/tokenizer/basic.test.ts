// BasicTokenizer on inputs the fixture does not cover: each accent setting, CJK blocks, control and
// whitespace characters, BERT's punctuation, never_split.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BasicTokenizer, type BasicOptions } from '../../../src/engine/tokenizer/basic';

const basic = (text: string, opts: Partial<BasicOptions> = {}) =>
  new BasicTokenizer({ doLowerCase: true, stripAccents: null, tokenizeChineseChars: true, neverSplit: [], ...opts }).tokenize(
    text,
  );

describe('lower-casing and accents', () => {
  test('strip_accents null follows do_lower_case', () => {
    assert.deepEqual(basic('Héllo ÑANDÚ Ångström'), ['hello', 'nandu', 'angstrom']);
    assert.deepEqual(basic('Héllo ÑANDÚ', { doLowerCase: false }), ['Héllo', 'ÑANDÚ']);
  });
  test('strip_accents false keeps accents while lower-casing', () => {
    assert.deepEqual(basic('Héllo ÑANDÚ', { stripAccents: false }), ['héllo', 'ñandú']);
  });
  test('strip_accents true strips without lower-casing', () => {
    assert.deepEqual(basic('Héllo ÑANDÚ', { doLowerCase: false, stripAccents: true }), ['Hello', 'NANDU']);
  });
  test('decomposed input is composed (NFC) when accents are kept', () => {
    const [word] = basic('Cafe\u0301', { doLowerCase: false });
    assert.equal(word, 'Caf\u00e9');
    assert.deepEqual(basic('CAFE\u0301', { stripAccents: false }), ['caf\u00e9']);
  });
  test('a lone combining mark disappears when stripped', () => {
    assert.deepEqual(basic('a \u0301 b'), ['a', 'b']);
  });
  test('word-final sigma follows whole-word lower-casing here', () => {
    assert.deepEqual(basic('ΟΔΟΣ'), ['οδος']);
  });
});

describe('CJK ideographs', () => {
  test('each ideograph becomes its own word; kana and hangul do not', () => {
    assert.deepEqual(basic('中文abc ひらがな한국', { doLowerCase: false }), ['中', '文', 'abc', 'ひらがな한국']);
  });
  test('accent stripping removes the voicing mark of kana (it decomposes to a nonspacing mark)', () => {
    assert.deepEqual(basic('ひらがな'), ['ひらかな']);
  });
  test('ideographs outside the BMP (extension B) are split too', () => {
    assert.deepEqual(basic('x\u{20000}y'), ['x', '\u{20000}', 'y']);
  });
  test('compatibility ideographs are split, then NFC maps them to the unified ones', () => {
    assert.deepEqual(basic('a\uF900b'), ['a', '\u8C48', 'b']);
  });
  test('tokenize_chinese_chars false leaves them inside words', () => {
    assert.deepEqual(basic('中文abc', { tokenizeChineseChars: false }), ['中文abc']);
  });
});

describe('control and whitespace characters', () => {
  test('NUL, U+FFFD, format and other control characters are removed', () => {
    assert.deepEqual(basic('a\x00b\uFFFDc\u200Bd\x7Fe\u0085f\uE000g'), ['abcdefg']);
  });
  test('tab, newline, carriage return and space separators split words', () => {
    assert.deepEqual(basic('a\tb\nc\r\nd\u00A0e\u3000f\u2003g'), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });
  test('line and paragraph separators split words as Python str.split() does', () => {
    assert.deepEqual(basic('a\u2028b\u2029c'), ['a', 'b', 'c']);
  });
  test('whitespace-only text gives nothing', () => {
    assert.deepEqual(basic(' \t\n\u200B '), []);
  });
});

describe('punctuation', () => {
  test('ASCII symbols count as punctuation', () => {
    assert.deepEqual(basic('a$b^c`d+e|f'), ['a', '$', 'b', '^', 'c', '`', 'd', '+', 'e', '|', 'f']);
  });
  test('Unicode P* characters are split off, symbols (S*) are not', () => {
    assert.deepEqual(basic('«¿qué?» a⊕b 🤖x'), ['«', '¿', 'que', '?', '»', 'a⊕b', '🤖x']);
  });
});

describe('never_split', () => {
  test('listed words are kept whole and not lower-cased', () => {
    assert.deepEqual(basic('x [FOO] y [FOO].', { neverSplit: ['[FOO]'] }), ['x', '[FOO]', 'y', '[', 'foo', ']', '.']);
  });
  test('the check is repeated after lower-casing', () => {
    assert.deepEqual(basic('[FOO]', { neverSplit: ['[foo]'] }), ['[foo]']);
  });
  test('per-call extras add to the configured list', () => {
    const t = new BasicTokenizer({ doLowerCase: true, stripAccents: null, tokenizeChineseChars: true, neverSplit: [] });
    assert.deepEqual(t.tokenize('[MASK] [X]', new Set(['[MASK]'])), ['[MASK]', '[', 'x', ']']);
  });
});
