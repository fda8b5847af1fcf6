import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { findCachedSnapshot, hubCacheDir, listCachedModels } from '../../../src/engine/hub/cache';
import { addCachedSnapshot, commitOf, tempDir } from './cache-tree';

test('cache folder follows huggingface_hub precedence', () => {
  const home = homedir();
  assert.equal(hubCacheDir({}), path.join(home, '.cache', 'huggingface', 'hub'));
  assert.equal(hubCacheDir({ XDG_CACHE_HOME: '/x' }), path.join('/x', 'huggingface', 'hub'));
  assert.equal(hubCacheDir({ XDG_CACHE_HOME: '/x', HF_HOME: '/h' }), path.join('/h', 'hub'));
  assert.equal(hubCacheDir({ HF_HOME: '/h', HUGGINGFACE_HUB_CACHE: '/legacy' }), '/legacy');
  assert.equal(hubCacheDir({ HF_HOME: '/h', HUGGINGFACE_HUB_CACHE: '/legacy', HF_HUB_CACHE: '/new' }), '/new');
  // python expands `~` and `$VAR` in HF_HOME and HF_HUB_CACHE; unset variables stay as written.
  assert.equal(hubCacheDir({ HF_HOME: '~/hf' }), path.join(home, 'hf', 'hub'));
  assert.equal(hubCacheDir({ HF_HUB_CACHE: '$BASE/c/${SUB}', BASE: '/b', SUB: 's' }), '/b/c/s');
  assert.equal(hubCacheDir({ HF_HUB_CACHE: '$NOPE/c' }), '$NOPE/c');
  // An empty variable is treated as unset rather than as the current folder.
  assert.equal(hubCacheDir({ HF_HUB_CACHE: '', HF_HOME: '/h' }), path.join('/h', 'hub'));
});

test('finds snapshots through refs, by commit hash, and not otherwise', async () => {
  const cache = tempDir('cache');
  try {
    const main = commitOf('main');
    const old = commitOf('old');
    const mainDir = addCachedSnapshot(cache, 'org/model', main, { 'config.json': '{"a":1}' }, ['main', 'v1']);
    const oldDir = addCachedSnapshot(cache, 'org/model', old, { 'config.json': '{"a":0}' });
    addCachedSnapshot(cache, 'org/model', commitOf('pr'), { 'config.json': '{}' }, ['refs/pr/1']);

    assert.equal(await findCachedSnapshot('org/model', 'main', cache), mainDir);
    assert.equal(await findCachedSnapshot('org/model', undefined, cache), mainDir);
    assert.equal(await findCachedSnapshot('org/model', 'v1', cache), mainDir);
    assert.equal(await findCachedSnapshot('org/model', old, cache), oldDir);
    assert.equal(await findCachedSnapshot('org/model', 'refs/pr/1', cache), path.join(cache, 'models--org--model', 'snapshots', commitOf('pr')));
    // The snapshot's files are symlinks into blobs/ and read through.
    assert.equal(readFileSync(path.join(mainDir, 'config.json'), 'utf8'), '{"a":1}');

    assert.equal(await findCachedSnapshot('org/model', 'v2', cache), undefined);
    assert.equal(await findCachedSnapshot('org/model', commitOf('never'), cache), undefined);
    assert.equal(await findCachedSnapshot('org/other', 'main', cache), undefined);
    assert.equal(await findCachedSnapshot('org/model', '../../x', cache), undefined);
    assert.equal(await findCachedSnapshot('org/model', 'main', path.join(cache, 'absent')), undefined);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('a ref pointing at a snapshot that is gone is not found', async () => {
  const cache = tempDir('cache');
  try {
    const dir = addCachedSnapshot(cache, 'org/model', commitOf('x'), { 'config.json': '{}' }, ['main']);
    rmSync(dir, { recursive: true });
    assert.equal(await findCachedSnapshot('org/model', 'main', cache), undefined);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('lists cached models with their refs, skipping datasets', async () => {
  const cache = tempDir('cache');
  try {
    const a1 = addCachedSnapshot(cache, 'zorg/b', commitOf('b1'), { 'config.json': '{}' }, ['main', 'refs/pr/2']);
    const a0 = addCachedSnapshot(cache, 'zorg/b', commitOf('b0'), { 'config.json': '{}' });
    const solo = addCachedSnapshot(cache, 'bert-base-uncased', commitOf('s'), { 'config.json': '{}' }, ['main']);
    // Datasets, spaces and python's lock folder share the cache and are not models.
    mkdirSync(path.join(cache, 'datasets--org--ds', 'snapshots', commitOf('d')), { recursive: true });
    mkdirSync(path.join(cache, '.locks', 'models--zorg--b'), { recursive: true });

    assert.deepEqual(await listCachedModels(cache), [
      { repoId: 'bert-base-uncased', commit: commitOf('s'), dir: solo, refs: ['main'] },
      { repoId: 'zorg/b', commit: commitOf('b1'), dir: a1, refs: ['main', 'refs/pr/2'] },
      { repoId: 'zorg/b', commit: commitOf('b0'), dir: a0, refs: [] },
    ]);
    assert.deepEqual(await listCachedModels(path.join(cache, 'absent')), []);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
