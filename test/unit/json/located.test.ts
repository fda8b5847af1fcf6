import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { Rng } from '../../../src/engine/rng';
import { findJsonSyntaxError, parseJson, parseLocatedJson } from '../../../src/engine/json/located';
import { childPath, parentPath } from '../../../src/engine/json/path';
import { fixturesDir as fixtures } from '../../lib/shared';


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
    assert.match(e.message, /expected ',' or '}'/);
    return true;
  });
  for (const text of ['', '{"a": 1,}', '{"a": 01}', "{'a': 1}", '{"a": 1} x', '{"a": "unterminated']) {
    assert.throws(() => parseLocatedJson(text, 'e.json'), UserError, text);
  }
});

test('a key given twice is an error at the second one, when asked for', () => {
  assert.throws(() => parseLocatedJson('{\n"seeds": [1],\n"seeds": [2]\n}', 'e.json', { rejectDuplicateKeys: true }), (e: unknown) => {
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

test('childPath builds the paths lineOf takes', () => {
  assert.equal(childPath('', 'methods'), 'methods');
  assert.equal(childPath(childPath('methods', 2), 'distill'), 'methods[2].distill');
});

/** [line, column, problem] of the first syntax error in `text`. */
function syntax(text: string): [number, number, string] | undefined {
  const e = findJsonSyntaxError(text);
  return e && [e.line, e.column, e.problem];
}

test('each kind of syntax error is named at its line and column', () => {
  assert.equal(syntax('{"a": [1, 2.5e3, -0, true, null, "x\\u00e9\\n"], "b": {}}'), undefined);
  // Trailing commas point at the bracket that follows them.
  assert.deepEqual(syntax('{\n  "a": 1,\n}'), [3, 1, "trailing comma before '}'"]);
  assert.deepEqual(syntax('[1,\n 2,\n ]'), [3, 2, "trailing comma before ']'"]);
  // An unclosed string is reported where it starts (at the end of the file) or where its line ends.
  assert.deepEqual(syntax('{\n  "a": "abc'), [2, 8, 'string is never closed']);
  assert.deepEqual(syntax('{"a": "abc\n"}'), [1, 11, 'string is never closed on its line (write a line break as \\n)']);
  assert.deepEqual(syntax('{"a": "tab\there"}'), [1, 11, 'control character inside a string (escape it, e.g. \\t)']);
  assert.deepEqual(syntax('{"path": "C:\\Users"}'), [1, 13, 'invalid escape \\U in a string (write a backslash as \\\\)']);
  assert.deepEqual(syntax('["\\u12G4"]'), [1, 3, '\\u must be followed by 4 hex digits']);
  assert.deepEqual(syntax('{\n  "a" 1\n}'), [2, 7, "expected ':' after the property name, found '1'"]);
  assert.deepEqual(syntax('{"a": 1 "b": 2}'), [1, 9, "expected ',' or '}' after a property, found '\"'"]);
  assert.deepEqual(syntax('[1 2]'), [1, 4, "expected ',' or ']' after an array element, found '2'"]);
  assert.deepEqual(syntax('{"a": 1,,}'), [1, 9, "expected a double-quoted property name, found ','"]);
  assert.deepEqual(syntax('{a: 1}'), [1, 2, "expected a double-quoted property name, found 'a'"]);
  assert.deepEqual(syntax("{'a': 1}"), [1, 2, 'property names must use double quotes (") in JSON']);
  assert.deepEqual(syntax("['a']"), [1, 2, 'strings must use double quotes (") in JSON']);
  assert.deepEqual(syntax('{"a": tru}'), [1, 7, "unexpected 't' where a value was expected"]);
  assert.deepEqual(syntax('{"a": }'), [1, 7, "unexpected '}' where a value was expected"]);
  assert.deepEqual(syntax('[01]'), [1, 2, 'invalid number: JSON numbers have no leading zeros']);
  assert.deepEqual(syntax('[1.]'), [1, 2, 'invalid number: digits must follow the decimal point']);
  assert.deepEqual(syntax('[-x]'), [1, 2, 'invalid number: a digit must follow "-"']);
  assert.deepEqual(syntax('{"a": 1, // why\n"b": 2}'), [1, 10, 'comments are not allowed in JSON']);
  assert.deepEqual(syntax('{"a": 1'), [1, 8, "unexpected end of file: '}' is missing"]);
  assert.deepEqual(syntax('{"a":'), [1, 6, 'unexpected end of file: a value is missing']);
  assert.deepEqual(syntax('{} {}'), [1, 4, "unexpected '{' after the end of the JSON value"]);
  assert.deepEqual(syntax('  \n'), [2, 1, 'the text holds no JSON value']);
});

test('a byte-order mark is allowed at the start and not counted as a column', () => {
  assert.deepEqual(parseJson('\uFEFF{"a": 1}', 'f'), { a: 1 });
  assert.deepEqual(syntax('\uFEFF{"a": 1,}'), [1, 9, "trailing comma before '}'"]);
  assert.deepEqual(parseLocatedJson('\uFEFF{"a": 1}', 'f').positionOf('a'), { line: 1, column: 2 });
  // Anywhere else it is not whitespace.
  assert.deepEqual(syntax('[1,\uFEFF2]'), [1, 4, "unexpected '\uFEFF' where a value was expected"]);
});

test('deep nesting does not overflow the stack', () => {
  assert.equal(syntax('['.repeat(100_000) + ']'.repeat(100_000)), undefined);
  assert.deepEqual(syntax('['.repeat(100_000) + ']'.repeat(99_999)), [1, 200_000, "unexpected end of file: ']' is missing"]);
});

test('parseJson: a syntax error is a UserError with file, line, column and the fix given', () => {
  assert.deepEqual(parseJson('{"x": [1]}', 'f.json'), { x: [1] });
  assert.throws(() => parseJson('{\n  "a": [1,]\n}', 'f.json', { fix: 'Do this.' }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.deepEqual(e.place, { file: 'f.json', line: 2 });
    assert.equal(e.message, "invalid JSON at line 2, column 11: trailing comma before ']'");
    assert.equal(e.format(), "f.json:2: invalid JSON at line 2, column 11: trailing comma before ']'. Do this.");
    return true;
  });
});

test('parseJson: one line of a JSON Lines file is reported at its file line', () => {
  assert.throws(() => parseJson('{"text": "b", "label": }', 'd.jsonl', { firstLine: 7 }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.place.line, 7);
    assert.match(e.message, /^invalid JSON at line 7, column 24: unexpected '}' where a value was expected$/);
    assert.ok(e.fix.length > 0);
    return true;
  });
});

test('positionOf is exact, lineOf falls back to the parent; members are placed at their key', () => {
  const located = parseLocatedJson('{\n  "a":\n    [10,\n     {"b": 1}],\n  "c.d": 2\n}', 'f');
  assert.deepEqual(located.positionOf('a'), { line: 2, column: 3 });
  assert.deepEqual(located.positionOf('a[1]'), { line: 4, column: 6 });
  assert.deepEqual(located.positionOf('a[1].b'), { line: 4, column: 7 });
  assert.equal(located.positionOf('a[2]'), undefined);
  assert.equal(located.lineOf('a[2]'), 2);
  assert.equal(located.lineOf('a[1].z'), 4);
  assert.equal(located.lineOf('c.d'), 5, 'a key with a dot is found by the path childPath makes');
  // Keys with escapes are recorded decoded.
  assert.equal(parseLocatedJson('{\n"\\u0061": 1}', 'f').lineOf('a'), 2);
});

test('maxDepth limits what is recorded', () => {
  const located = parseLocatedJson('[\n {"text": "a"},\n {"text": "b"}\n]', 'd.json', { maxDepth: 1 });
  assert.equal(located.lineOf('[1]'), 3);
  assert.equal(located.positionOf('[1].text'), undefined);
  assert.equal(located.lineOf('[1].text'), 3);
});

test('duplicate keys keep the last value unless rejection is asked for', () => {
  assert.deepEqual(parseLocatedJson('{"a": 1, "a": 2}', 'f').value, { a: 2 });
  assert.throws(() => parseLocatedJson('{"x": [{"a": 1,\n "a": 2}]}', 'f', { rejectDuplicateKeys: true }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.place.field, 'x[0].a');
    assert.equal(e.place.line, 2);
    return true;
  });
});

test('the scanner accepts exactly what JSON.parse accepts (mutated documents)', () => {
  const base = '{"a": [1, -2.5e+3, 0.25, true, false, null], "b": {"c": "x\\"y\\\\z\\u00e9", "d": []}, "e": {}}';
  const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '0', '1', '-', '.', 'e', 'E', '+', 't', 'n', 'u', '/', "'", '\t', 'x'];
  const rng = new Rng(7);
  let invalid = 0;
  for (let n = 0; n < 3000; n++) {
    let text = base;
    for (let k = 1 + rng.int(2); k > 0; k--) {
      const at = rng.int(text.length + 1);
      const op = rng.int(3);
      const ch = alphabet[rng.int(alphabet.length)];
      text = op === 0 ? text.slice(0, at) + text.slice(at + 1) : op === 1 ? text.slice(0, at) + ch + text.slice(at) : text.slice(0, at) + ch + text.slice(at + 1);
    }
    let parses = true;
    try {
      JSON.parse(text);
    } catch {
      parses = false;
      invalid++;
    }
    assert.equal(findJsonSyntaxError(text) === undefined, parses, JSON.stringify(text));
  }
  assert.ok(invalid > 1000, `only ${invalid} of the mutations were invalid`);
});

test('a 3 MB file parses to what JSON.parse gives; the speed ratio is printed, not asserted', () => {
  const text = readFileSync(path.join(fixtures, 'bert-L2-H64-A2', 'expected.json'), 'utf8');
  const best = (f: () => unknown) => {
    let min = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      f();
      min = Math.min(min, performance.now() - t0);
    }
    return min;
  };
  const native = best(() => JSON.parse(text));
  const located = best(() => parseLocatedJson(text, 'expected.json'));
  const withRows = best(() => parseLocatedJson(text, 'expected.json', { maxDepth: 1 }).lineOf('x'));
  console.log(`JSON.parse ${native.toFixed(1)} ms; parseLocatedJson ${located.toFixed(1)} ms (×${(located / native).toFixed(2)}); with depth-1 lines ${withRows.toFixed(1)} ms (×${(withRows / native).toFixed(2)})`);
  const { value, lineOf } = parseLocatedJson(text, 'expected.json');
  assert.deepEqual(Object.keys(value as object), Object.keys(JSON.parse(text)));
  assert.equal(lineOf(''), 1);
});
