// Prompt-template diagnostics: every problem at once, each on the exact word, with the vocabulary's split and
// single-token quick fixes — against the fixture's real bert-base-uncased vocabulary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTokenizer } from '../../../src/engine/tokenizer';
import { diagnoseTemplate, type TemplateDiagnostic } from '../../../src/extension/prompt/diagnose-template';
import { parseJsonTree, positionAt } from '../../../src/extension/json/json-tree';
import { fixtureModel } from './helpers';

const tokenizer = loadTokenizer(fixtureModel);
const at = (text: string, d: TemplateDiagnostic) => text.slice(d.start, d.end);

test('a broken template gets one diagnostic per problem, each on its word', async () => {
  const text = [
    '{',
    '  "patterns": ["{text} It was [MASK] [MASK].", "{txt} \\"quoted\\" [MASK]", "Nothing [mask] here"],',
    '  "verbalizer": {"positive": "excelent", "negative": ["bad", "Bad"], "neutral": "spam", "mixd": "awful"},',
    '  "modle": "x"',
    '}',
  ].join('\n');
  const ds = diagnoseTemplate(text, 't.prompt.json', {
    tokenizer: await tokenizer, model: 'bert-L2', data: { labels: ['negative', 'neutral', 'positive', 'mixed'], file: 'train.jsonl', hasTextPair: false },
  });
  const summary = ds.map((d) => [d.code, at(text, d)]);
  assert.deepEqual(summary, [
    ['unknown-key', '"modle"'],
    ['mask-several', '[MASK]'],
    ['unknown-field', '{txt}'],
    ['text-missing', '"{txt} \\"quoted\\" [MASK]"'],
    ['mask-case', '[mask]'],
    ['text-missing', '"Nothing [mask] here"'],
    ['label-missing', '"verbalizer"'],
    ['label-unknown', '"mixd"'],
    ['verbalizer-split', '"excelent"'],
    ['verbalizer-duplicate', '"Bad"'],
    ['verbalizer-split', '"spam"'],
  ]);
  const byCode = (code: string) => ds.filter((d) => d.code === code);
  // The second [MASK] of pattern 1, not the first.
  assert.equal(byCode('mask-several')[0].start, text.indexOf('[MASK] [MASK]') + 7);
  assert.match(byCode('label-missing')[0].message, /The data's label "mixed" has no verbalizer entry/);
  assert.match(byCode('label-unknown')[0].message, /Did you mean "mixed"\?/);
  const [excelent, spam] = byCode('verbalizer-split');
  assert.match(excelent.message, /"excelent" \(label "positive"\) splits into \["excel", "##ent"\] in the vocabulary of bert-L2/);
  assert.deepEqual(excelent.fixes, [{ title: 'Use "excellent" (one token, similar spelling — check the meaning)', text: '"excellent"' }]);
  assert.match(spam.message, /splits into \["spa", "##m"\].*Use a shorter or more common word\./);
  assert.deepEqual(spam.fixes, []);
  const dup = byCode('verbalizer-duplicate')[0];
  assert.match(dup.message, /Label "negative" lists the token of "Bad" twice/);
  assert.equal(at(text, { ...dup, ...dup.related![0] }), '"bad"');
  assert.deepEqual(byCode('mask-case')[0].fixes, [{ title: 'Write [MASK]', text: '[MASK]' }]);
  assert.deepEqual(byCode('unknown-field')[0].fixes?.map((f) => f.text), ['{text}', '{text_pair}']);
});

test('a word of another label with the same token is flagged on the second, pointing at the first', async () => {
  const text = '{"patterns": ["{text} [MASK]"], "verbalizer": {"a": "Good", "b": "good!"}}';
  const ds = diagnoseTemplate(text, 't.prompt.json', { tokenizer: await tokenizer, model: 'm' });
  // "good!" is two tokens (good, !), so it is a split with a spelling fix, not a duplicate; "Good" alone is fine.
  assert.deepEqual(ds.map((d) => d.code), ['verbalizer-split']);
  assert.deepEqual(ds[0].fixes?.map((f) => f.text), ['"good"']);
  const text2 = '{"patterns": ["{text} [MASK]"], "verbalizer": {"a": "Good", "b": "good"}}';
  const ds2 = diagnoseTemplate(text2, 't.prompt.json', { tokenizer: await tokenizer, model: 'm' });
  assert.deepEqual(ds2.map((d) => [d.code, at(text2, d)]), [['verbalizer-duplicate', '"good"']]);
  assert.match(ds2[0].message, /"good" \(label "b"\) is the same token as "Good" \(label "a"\)/);
});

test('a clean template has no diagnostics; without a vocabulary the words are not checked, and that is said', async () => {
  const text = '{\n  "patterns": ["{text} This message is [MASK]."],\n  "verbalizer": {"ham": "normal", "spam": ["junk", "ads"]}\n}\n';
  assert.deepEqual(diagnoseTemplate(text, 't.prompt.json', { tokenizer: await tokenizer, model: 'm', data: { labels: ['ham', 'spam'], file: 'x', hasTextPair: false } }), []);
  const ds = diagnoseTemplate(text.replace('junk', 'spam'), 't.prompt.json', { model: 'org/unavailable', tokenizerNote: 'org/unavailable is not in the Hugging Face cache.' });
  assert.deepEqual(ds.map((d) => [d.code, d.severity, d.message]), [['vocabulary-unavailable', 'info', 'org/unavailable is not in the Hugging Face cache.']]);
});

test('invalid JSON is one diagnostic at the place of the error; what only the engine checks is still reported', () => {
  const text = '{"patterns": ["{text} [MASK]",], "verbalizer": {"a": "b"}}';
  const ds = diagnoseTemplate(text, 't.prompt.json', { model: 'm' });
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code, 'json-syntax');
  assert.equal(ds[0].start, text.indexOf('],'));
  assert.match(ds[0].message, /trailing comma/);
  // A verbalizer word that is an empty string: the engine refuses it, naming its line.
  const text2 = '{\n"patterns": ["{text} [MASK]"],\n"verbalizer": {"a": ""}\n}';
  const ds2 = diagnoseTemplate(text2, 't.prompt.json', { model: 'm' });
  assert.deepEqual(ds2.map((d) => d.code), ['engine']);
  assert.equal(positionAt(text2, ds2[0].start).line, 2);
  assert.match(ds2[0].message, /word 0 of label "a" must be a non-empty string/);
});

test('the JSON tree keeps exact ranges, through escapes', () => {
  const text = '{"a": ["x\\"y", 1.5e3, true, null], "b": {}}';
  const tree = parseJsonTree(text);
  assert.ok(tree.root?.kind === 'object');
  const a = tree.root.members[0];
  assert.equal(text.slice(a.keyStart, a.keyEnd), '"a"');
  assert.ok(a.value.kind === 'array');
  assert.deepEqual(a.value.items.map((n) => text.slice(n.start, n.end)), ['"x\\"y"', '1.5e3', 'true', 'null']);
  assert.deepEqual(a.value.items.map((n) => ('value' in n ? n.value : null)), ['x"y', 1500, true, null]);
  assert.deepEqual(parseJsonTree('{"a": 1 "b": 2}').error, { offset: 8, problem: 'expected \',\' or \'}\'' });
});
