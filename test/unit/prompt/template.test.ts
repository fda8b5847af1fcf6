import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../../src/engine/errors';
import { parsePattern } from '../../../src/engine/prompt/pattern';
import { checkTemplateFields, parseTemplate } from '../../../src/engine/prompt/template';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const F = 'sst2.prompt.json';

/** The UserError parseTemplate throws for `json`. */
function failure(json: string): UserError {
  try {
    parseTemplate(json, F);
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    assert.equal(e.place.file, F);
    return e;
  }
  assert.fail('expected a UserError');
}

test('a valid template: patterns parsed, single words normalised to lists, file order kept', () => {
  const t = parseTemplate('\uFEFF{"patterns": ["{text} It was [MASK].", "{text_pair}? [MASK], {text}"], "verbalizer": {"positive": "great", "negative": ["terrible", "bad"]}, "model": "bert-base-uncased"}', F);
  assert.deepEqual(t.patterns, ['{text} It was [MASK].', '{text_pair}? [MASK], {text}']);
  assert.deepEqual(t.verbalizer, { positive: ['great'], negative: ['terrible', 'bad'] });
  assert.deepEqual(Object.keys(t.verbalizer), ['positive', 'negative']);
  assert.equal(t.model, 'bert-base-uncased');
  assert.deepEqual(t.parsed[0].parts, [{ kind: 'field', field: 'text' }, { kind: 'literal', text: ' It was ' }, { kind: 'mask' }, { kind: 'literal', text: '.' }]);
  assert.deepEqual(t.parsed[1].fields, ['text_pair', 'text']);
});

test('JSON syntax errors give line and column', () => {
  const e = failure('{\n  "patterns": ["{text} It was [MASK]."],\n  "verbalizer": {"positive": "great",}\n}');
  assert.equal(e.place.line, 3);
  assert.match(e.message, /line 3, column 38: trailing comma before '}'/);
  assert.match(failure('{"patterns": [\'{text} [MASK]\']}').message, /line 1, column 15: strings must use double quotes/);
  assert.match(failure('{"patterns": ["a"]\n"verbalizer": {}}').message, /line 2, column 1: expected ',' or '}'/);
  assert.match(failure('{"patterns": ["a"], // comment\n}').message, /comments are not allowed/);
  assert.match(failure('{"patterns": ["a"]').message, /unexpected end of file/);
});

test('structure: root object, unknown keys (with a suggestion), required fields', () => {
  assert.match(failure('[]').message, /must be a JSON object/);
  const unknown = failure('{"patterns": ["{text} [MASK]"],\n "verbaliser": {"a": "b"}}');
  assert.equal(unknown.place.field, 'verbaliser');
  assert.equal(unknown.place.line, 2);
  assert.match(unknown.fix, /Did you mean "verbalizer"\?/);
  assert.match(failure('{"verbalizer": {"a": "b"}}').message, /no "patterns"/);
  assert.match(failure('{"patterns": [], "verbalizer": {"a": "b"}}').message, /non-empty array/);
  assert.match(failure('{"patterns": ["{text} [MASK]"]}').message, /no "verbalizer"/);
  assert.match(failure('{"patterns": ["{text} [MASK]"], "verbalizer": {}, "model": "x"}').message, /one entry per label/);
  assert.match(failure('{"patterns": ["{text} [MASK]"], "verbalizer": {"a": "b"}, "model": 3}').message, /"model" must be a string/);
});

test('patterns: non-empty strings, exactly one [MASK], known fields, {text} present — errors name the pattern index', () => {
  const v = '"verbalizer": {"a": "b"}';
  const cases: Array<[string, string, RegExp]> = [
    ['["{text} [MASK]", 3]', 'patterns[1]', /pattern 1 must be a non-empty string/],
    ['["  "]', 'patterns[0]', /pattern 0 must be a non-empty string/],
    ['["{text} It was good."]', 'patterns[0]', /has no \[MASK\]/],
    ['["{text} [MASK] or [MASK]"]', 'patterns[0]', /has 2 \[MASK\] tokens/],
    ['["{text} [MASK]", "{text} [mask]"]', 'patterns[1]', /has no \[MASK\]/],
    ['["{sentence} [MASK]"]', 'patterns[0]', /unknown field \{sentence\}/],
    ['["{text [MASK]"]', 'patterns[0]', /unmatched "\{"/],
    ['["[MASK]: {text_pair}"]', 'patterns[0]', /no \{text\}/],
  ];
  for (const [patterns, field, message] of cases) {
    const e = failure(`{\n"patterns": ${patterns},\n${v}}`);
    assert.equal(e.place.field, field, patterns);
    assert.equal(e.place.line, 2, patterns);
    assert.match(e.message, message, patterns);
  }
  assert.match(failure(`{"patterns": ["{text} [mask]"], ${v}}`).fix, /capitals/);
});

test('verbalizer values: a non-empty string or a non-empty array of non-empty strings', () => {
  const p = '"patterns": ["{text} [MASK]"]';
  assert.equal(failure(`{${p}, "verbalizer": {"a": []}}`).place.field, 'verbalizer.a');
  assert.equal(failure(`{${p}, "verbalizer": {"a": ""}}`).place.field, 'verbalizer.a');
  assert.equal(failure(`{${p}, "verbalizer": {"a": ["x", 2]}}`).place.field, 'verbalizer.a[1]');
  assert.equal(failure(`{${p}, "verbalizer": {"a": {"w": "x"}}}`).place.field, 'verbalizer.a');
  assert.equal(failure(`{${p}, "verbalizer": ["a"]}`).place.field, 'verbalizer');
});

test('a {text_pair} pattern on data without pairs is reported by checkTemplateFields', () => {
  const t = parseTemplate('{"patterns": ["{text} [MASK]", "{text} ? [MASK] , {text_pair}"], "verbalizer": {"a": "b"}}', F);
  assert.doesNotThrow(() => checkTemplateFields(t, true, 'train.csv'));
  assert.throws(() => checkTemplateFields(t, false, 'train.csv'), (e: unknown) => e instanceof UserError && e.place.field === 'patterns[1]' && /train\.csv/.test(e.message));
});

test('the JSON schema is draft-07 and its pattern checks agree with parsePattern', () => {
  const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'prompt.schema.json'), 'utf8'));
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.deepEqual(schema.required, ['patterns', 'verbalizer']);
  assert.deepEqual(Object.keys(schema.properties).sort(), ['$schema', 'description', 'model', 'patterns', 'verbalizer']);
  for (const [key, prop] of Object.entries(schema.properties) as Array<[string, { description?: string }]>) assert.ok(prop.description, key);
  const checks: RegExp[] = schema.properties.patterns.items.allOf.map((c: { pattern: string }) => new RegExp(c.pattern, 'u'));
  const samples = ['{text} It was [MASK].', '[MASK]: {text}', '{text_pair}? [MASK], {text}', '{text}\n[MASK]', '{text} none', '[MASK] [MASK] {text}', '{sentence} [MASK]', '[MASK] {text_pair}', '{text [MASK]', '{text} [mask]'];
  for (const s of samples) {
    let ok = true;
    try {
      parsePattern(s, {});
    } catch {
      ok = false;
    }
    assert.equal(checks.every((r) => r.test(s)), ok, s);
  }
});
