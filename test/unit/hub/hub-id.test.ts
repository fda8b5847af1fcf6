import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCommitHash, parseHubRef, repoFolderName } from '../../../src/engine/hub/hub-id';

test('parses ids with and without org and revision', () => {
  assert.deepEqual(parseHubRef('google/bert_uncased_L-2_H-128_A-2'), { repoId: 'google/bert_uncased_L-2_H-128_A-2', revision: 'main' });
  assert.deepEqual(parseHubRef('bert-base-uncased'), { repoId: 'bert-base-uncased', revision: 'main' });
  assert.deepEqual(parseHubRef('org/m.v1@v2.0'), { repoId: 'org/m.v1', revision: 'v2.0' });
  assert.deepEqual(parseHubRef('org/m@refs/pr/3'), { repoId: 'org/m', revision: 'refs/pr/3' });
});

test('rejects what the Hub would reject', () => {
  for (const bad of ['a/b/c', 'org/-name', 'org/name-', '.org/name', 'org/na--me', 'org/na..me', 'org/name.git',
    'org/' + 'x'.repeat(97), 'org/na me', 'org/name@', 'org/name@../x', 'org/name@a//b', '/org/name', 'org/']) {
    assert.equal(parseHubRef(bad), undefined, bad);
  }
  assert.notEqual(parseHubRef('org/' + 'x'.repeat(96)), undefined);
});

test('cache folder names and commit hashes', () => {
  assert.equal(repoFolderName('google/bert_uncased_L-2_H-128_A-2'), 'models--google--bert_uncased_L-2_H-128_A-2');
  assert.equal(repoFolderName('bert-base-uncased'), 'models--bert-base-uncased');
  assert.equal(isCommitHash('0123456789abcdef0123456789abcdef01234567'), true);
  assert.equal(isCommitHash('0123456789abcdef'), false);
  assert.equal(isCommitHash('main'), false);
});
