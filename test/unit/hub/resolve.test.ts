import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { resolveModel } from '../../../src/engine/hub/resolve';
import { addCachedSnapshot, commitOf, fixtureDir, tempDir } from './cache-tree';
import { closedPortUrl } from './fake-hub';

const ID = 'google/bert_uncased_L-2_H-128_A-2';

/** Resolves expecting a UserError, and returns its one-line form for checking. */
async function userError(arg: string, opts: Parameters<typeof resolveModel>[1]): Promise<string> {
  try {
    await resolveModel(arg, opts);
  } catch (e) {
    assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
    return e.format();
  }
  assert.fail(`resolveModel(${arg}) should have failed`);
}

test('an existing folder is used as is', async () => {
  assert.deepEqual(await resolveModel(fixtureDir), { dir: fixtureDir, source: 'folder' });
  const rel = path.relative(process.cwd(), fixtureDir);
  assert.deepEqual(await resolveModel(rel), { dir: fixtureDir, source: 'folder' });
});

test('folders without config.json, files and missing paths are named with the fix', async () => {
  const dir = tempDir('folder');
  try {
    writeFileSync(path.join(dir, 'vocab.txt'), '[PAD]\n');
    const noConfig = await userError(dir, {});
    assert.match(noConfig, new RegExp(`${dir}.*has no config\\.json.*save_pretrained`));
    assert.match(await userError(path.join(dir, 'vocab.txt'), {}), /vocab\.txt is a file, not a model folder/);
    const missing = path.join(dir, 'nope');
    assert.match(await userError(missing, {}), new RegExp(`folder not found: ${missing}`));
    assert.match(await userError('./models/nope', {}), /folder not found: .*models\/nope/);
    assert.match(await userError('~/adapt-lab-no-such-model', {}), new RegExp(`folder not found: ${path.join(homedir(), 'adapt-lab-no-such-model')}`));
    assert.match(await userError('models/a/b', {}), /folder not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid Hub id says the expected form', async () => {
  const msg = await userError('my model', { offline: true });
  assert.match(msg, /"my model" is neither a model folder nor a valid Hub id/);
  assert.match(msg, /org\/name@revision/);
  assert.match(await userError('org/na--me', { offline: true }), /folder not found: .*org\/na--me, and "org\/na--me" is not a valid Hub id either.*org\/name@revision/);
  assert.match(await userError('', {}), /no model given/);
});

test('a cached model resolves without touching the network', async () => {
  const cache = tempDir('cache');
  try {
    const commit = commitOf('cached');
    const files = { 'config.json': readFileSync(path.join(fixtureDir, 'config.json')), 'model.safetensors': 'weights' };
    const dir = addCachedSnapshot(cache, ID, commit, files, ['main']);
    // Python's marker files say these tokenizer files do not exist in the repo.
    for (const f of ['vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json', 'tokenizer.json']) {
      const marker = path.join(cache, `models--google--bert_uncased_L-2_H-128_A-2`, '.no_exist', commit, f);
      addMarker(marker);
    }
    // The endpoint is a closed port: any request would fail the test.
    const opts = { cacheDir: cache, endpoint: await closedPortUrl(), env: {} };
    assert.deepEqual(await resolveModel(ID, opts), { dir, source: 'cache', repoId: ID, revision: 'main', commit });
    assert.deepEqual(await resolveModel(`${ID}@${commit}`, opts), { dir, source: 'cache', repoId: ID, revision: commit, commit });
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('offline and not cached: one message saying where it looked and how to provide the model', async () => {
  const cache = tempDir('cache');
  try {
    const endpoint = await closedPortUrl();
    for (const env of [{ HF_HUB_OFFLINE: '1' }, { TRANSFORMERS_OFFLINE: 'yes' }, {}]) {
      const msg = await userError(ID, { cacheDir: cache, endpoint, env, offline: Object.keys(env).length === 0 });
      assert.match(msg, new RegExp(`^${ID}: model ${ID}@main is not in the Hugging Face cache at ${cache}, and downloads are off`));
      assert.match(msg, new RegExp(`Run \`huggingface-cli download ${ID}\` on a machine with internet`));
      assert.match(msg, /~\/\.cache\/huggingface\/hub/);
      assert.match(msg, /save_pretrained/);
    }
    assert.match(await userError(ID, { cacheDir: cache, endpoint, env: { HF_HUB_OFFLINE: '1' } }), /\(HF_HUB_OFFLINE=1 is set\)/);
    assert.match(await userError(`${ID}@v2`, { cacheDir: cache, endpoint, offline: true, env: {} }), /huggingface-cli download \S+ --revision v2`/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('offline with an incomplete cached snapshot names what it lacks', async () => {
  const cache = tempDir('cache');
  try {
    const dir = addCachedSnapshot(cache, ID, commitOf('partial'), { 'config.json': '{}' }, ['main']);
    const msg = await userError(ID, { cacheDir: cache, env: { HF_HUB_OFFLINE: 'TRUE' } });
    assert.match(msg, new RegExp(`^${dir}: the cached snapshot of ${ID}@main lacks one of model\\.safetensors, model\\.safetensors\\.index\\.json, pytorch_model\\.bin`));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('HF_HUB_OFFLINE=0 does not mean offline, and an unreachable Hub says how to work offline', async () => {
  const cache = tempDir('cache');
  try {
    const env = { HF_HUB_OFFLINE: '0', TRANSFORMERS_OFFLINE: '1', HF_ENDPOINT: await closedPortUrl() };
    const msg = await userError(ID, { cacheDir: cache, env });
    assert.match(msg, new RegExp(`cannot reach ${env.HF_ENDPOINT} to download ${ID}@main \\(ECONNREFUSED\\)`));
    assert.match(msg, /set HF_HUB_OFFLINE=1/);
    assert.match(msg, /huggingface-cli download/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

function addMarker(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '');
}
