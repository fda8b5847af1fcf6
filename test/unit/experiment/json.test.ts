import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../src/engine/errors';
import { parentPath, parseLocatedJson } from '../../../src/engine/experiment/json';

const TEXT = `{
  "name": "x",
  "models": [
    "a",
    "b"
  ],
  "methods": ["finetune", {"distill": {
    "teacher": {"method": "prompt", "model": "a"}
  }}]
}`;

test('parses like JSON.parse and records the line of every member and element', () => {
  const { value, lineOf } = parseLocatedJson(TEXT, 'e.json');
  assert.deepEqual(value, JSON.parse(TEXT));
  assert.equal(lineOf('name'), 2);
  assert.equal(lineOf('models'), 3);
  assert.equal(lineOf('models[1]'), 5);
  assert.equal(lineOf('methods[1].distill.teacher.model'), 8);
  // A missing field is placed at its nearest present ancestor.
  assert.equal(lineOf('methods[1].distill.student.model'), 7);
  assert.equal(lineOf('dataset'), 1);
});

test('decodes escapes and numbers exactly as JSON.parse', () => {
  const text = '{"s": "a\\u00e9\\n\\"b\\"", "n": [-0.5e-3, 0, 12, 1E2], "t": true, "f": false, "z": null}';
  assert.deepEqual(parseLocatedJson(text, 'f').value, JSON.parse(text));
  assert.deepEqual(parseLocatedJson('\uFEFF[1]', 'f').value, [1]);
});

test('a syntax error names the line and column', () => {
  const bad = '{\n  "a": 1,\n  "b": 2\n  "c": 3\n}';
  assert.throws(() => parseLocatedJson(bad, 'e.json'), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.place.file, 'e.json');
    assert.equal(e.place.line, 4);
    assert.match(e.message, /column 3/);
    assert.match(e.message, /expected "," or "}"/);
    return true;
  });
  for (const text of ['', '{"a": 1,}', '{"a": 01}', "{'a': 1}", '{"a": 1} x', '{"a": "unterminated']) {
    assert.throws(() => parseLocatedJson(text, 'e.json'), UserError, text);
  }
});

test('a key given twice is an error at the second one', () => {
  assert.throws(() => parseLocatedJson('{\n"seeds": [1],\n"seeds": [2]\n}', 'e.json'), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.place.line, 3);
    assert.equal(e.place.field, 'seeds');
    return true;
  });
});

test('"__proto__" stays an ordinary key', () => {
  const v = parseLocatedJson('{"__proto__": {"x": 1}}', 'f').value as Record<string, unknown>;
  assert.deepEqual(Object.keys(v), ['__proto__']);
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
});

test('parentPath', () => {
  assert.equal(parentPath('methods[2].distill.teacher'), 'methods[2].distill');
  assert.equal(parentPath('methods[2]'), 'methods');
  assert.equal(parentPath('methods'), '');
});
