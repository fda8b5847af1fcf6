import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../src/engine/errors';
import { describe, FieldReader, nearest } from '../../../src/engine/json/fields';

const TEXT = '{\n  "name": "x",\n  "seeds": [1,\n    2.5],\n  "methd": "finetune"\n}';

/** The UserError `f` throws. */
function failure(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return e;
  }
  assert.fail('expected a UserError');
}

test('a wrong value is reported at its file, line and field path, with what to write', () => {
  const { doc, fields } = FieldReader.parse(TEXT, 'e.json');
  const root = fields.object(doc, '');
  assert.equal(fields.string(root.name, 'name'), 'x');
  const seeds = fields.array(root.seeds, 'seeds', { example: '[1]' });
  assert.equal(fields.number(seeds[0], 'seeds[0]', { integer: true }), 1);
  const e = failure(() => fields.number(seeds[1], 'seeds[1]', { integer: true, min: 0, example: 1 }));
  assert.deepEqual(e.place, { file: 'e.json', line: 4, field: 'seeds[1]' });
  assert.equal(e.message, 'expected a whole number ≥ 0, found number 2.5');
  assert.equal(e.fix, 'Write a whole number ≥ 0, e.g. 1.');
});

test('an unknown key suggests the nearest allowed one; a missing one is placed at its parent', () => {
  const { doc, fields } = FieldReader.parse(TEXT, 'e.json');
  const root = fields.object(doc, '');
  const unknown = failure(() => fields.keys(root, '', ['name', 'seeds', 'method']));
  assert.deepEqual(unknown.place, { file: 'e.json', line: 5, field: 'methd' });
  assert.match(unknown.fix, /Did you mean "method"\?/);
  const missing = failure(() => fields.required(root, '', 'models', '["m"]'));
  assert.deepEqual(missing.place, { file: 'e.json', line: 1, field: 'models' });
});

test('FieldReader.parse rejects a key given twice by default, and not when told otherwise', () => {
  const text = '{\n"seeds": [1],\n"seeds": [2]\n}';
  const e = failure(() => FieldReader.parse(text, 'e.json'));
  assert.deepEqual(e.place, { file: 'e.json', line: 3, field: 'seeds' });
  assert.deepEqual(FieldReader.parse(text, 'e.json', {}).doc, { seeds: [2] });
});

test('a syntax error from FieldReader.parse names line and column', () => {
  const e = failure(() => FieldReader.parse('{\n  "a": 1\n  "b": 2\n}', 'e.json', { fix: 'Fix it.' }));
  assert.deepEqual(e.place, { file: 'e.json', line: 3 });
  assert.equal(e.message, "invalid JSON at line 3, column 3: expected ',' or '}' after a property, found '\"'");
  assert.equal(e.fix, 'Fix it.');
});

test('a reader without a document names the file and field only', () => {
  const fields = new FieldReader('f.json');
  assert.deepEqual(failure(() => fields.boolean('yes', 'do_lower_case')).place, { file: 'f.json', line: undefined, field: 'do_lower_case' });
});

test('describe and nearest', () => {
  assert.equal(describe(undefined), 'nothing');
  assert.equal(describe([1]), 'a list');
  assert.equal(describe('x'.repeat(50)), `the string "${'x'.repeat(40)}…"`);
  assert.equal(nearest('traning', ['training', 'methods']), 'training');
  assert.equal(nearest('zzz', ['training', 'methods']), undefined);
});
