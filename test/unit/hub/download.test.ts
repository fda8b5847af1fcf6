// The download path, against a fake Hub on 127.0.0.1 (fake-hub.ts) serving the reference fixture: never the real Hub.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { isTempFile } from '../../../src/engine/fs/atomic';
import { findCachedSnapshot, listCachedModels } from '../../../src/engine/hub/cache';
import type { DownloadProgress } from '../../../src/engine/hub/download';
import { resolveModel } from '../../../src/engine/hub/resolve';
import { addCachedSnapshot, commitOf, fixtureDir, tempDir } from './cache-tree';
import { gitBlobSha1, sha256, startFakeHub, type FakeHubOptions } from './fake-hub';

const ID = 'tiny-org/bert-L2-H64-A2';
const REPO = 'models--tiny-org--bert-L2-H64-A2';
const COMMIT = commitOf('hub-head');
const TOKEN = 'hf_testTokenThatMustNotBeStored';
const fixture = (name: string) => readFileSync(path.join(fixtureDir, name));
const TOKENIZER = ['vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json'];

/** The fixture as a Hub repo: model.safetensors in LFS, plus a file the download must not fetch. */
function fixtureRepo(): Map<string, Buffer> {
  return new Map(['config.json', 'model.safetensors', ...TOKENIZER, 'generation_config.json'].map((f) => [f, fixture(f)]));
}

async function withHub(
  opts: Partial<FakeHubOptions>,
  body: (hub: Awaited<ReturnType<typeof startFakeHub>>, cache: string) => Promise<void>,
): Promise<void> {
  const hub = await startFakeHub({ repoId: ID, commit: COMMIT, files: fixtureRepo(), lfs: new Set(['model.safetensors']), ...opts });
  const cache = tempDir('dl');
  try {
    await body(hub, cache);
  } finally {
    await hub.close();
    rmSync(cache, { recursive: true, force: true });
  }
}

async function expectUserError(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
  return e.format();
}

/** Every file under `dir` (following no links), relative, sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !lstatSync(path.join(dir, f)).isDirectory())
    .sort();
}

test('downloads into the python cache layout, then resolves from the cache without a request', async () => {
  await withHub({}, async (hub, cache) => {
    const progress: DownloadProgress[] = [];
    const opts = { cacheDir: cache, endpoint: hub.url, token: TOKEN, env: {}, onProgress: (p: DownloadProgress) => progress.push(p) };
    const got = await resolveModel(ID, opts);
    const repoDir = path.join(cache, REPO);
    const snapshot = path.join(repoDir, 'snapshots', COMMIT);
    assert.deepEqual(got, { dir: snapshot, source: 'download', repoId: ID, revision: 'main', commit: COMMIT });

    // refs/main holds the commit; each snapshot file is a relative link to blobs/<etag> with the fixture's bytes.
    assert.equal(readFileSync(path.join(repoDir, 'refs', 'main'), 'utf8'), COMMIT);
    const etags: string[] = [];
    for (const f of ['config.json', 'model.safetensors', ...TOKENIZER]) {
      const etag = f === 'model.safetensors' ? sha256(fixture(f)) : gitBlobSha1(fixture(f));
      etags.push(etag);
      assert.ok(lstatSync(path.join(snapshot, f)).isSymbolicLink(), f);
      assert.equal(readlinkSync(path.join(snapshot, f)), path.join('..', '..', 'blobs', etag), f);
      assert.ok(readFileSync(path.join(snapshot, f)).equals(fixture(f)), f);
    }
    assert.deepEqual(
      tree(repoDir),
      [
        ...etags.map((e) => `blobs/${e}`),
        ...['tokenizer.json'].map((f) => `.no_exist/${COMMIT}/${f}`),
        'refs/main',
        ...['config.json', 'model.safetensors', ...TOKENIZER].map((f) => `snapshots/${COMMIT}/${f}`),
      ].sort(),
    );

    // Only what the model needs was fetched, the token went to the Hub, and it is stored nowhere.
    const resolved = hub.requests.filter((r) => r.includes('/resolve/')).map((r) => r.split('/').pop());
    assert.deepEqual([...new Set(resolved)].sort(), ['config.json', 'model.safetensors', ...TOKENIZER].sort());
    assert.ok(hub.requests.some((r) => r.startsWith('GET /cdn/')), 'LFS file fetched through the redirect');
    assert.ok(hub.authorizations.filter((a) => a !== undefined).every((a) => a === `Bearer ${TOKEN}`));
    assert.ok(hub.authorizations.some((a) => a === `Bearer ${TOKEN}`));
    for (const f of tree(repoDir)) assert.ok(!readFileSync(path.join(repoDir, f)).includes(TOKEN), f);

    // Progress: every file starts at 0 and ends at its full size, never going backwards.
    for (const f of ['config.json', 'model.safetensors', ...TOKENIZER]) {
      const events = progress.filter((p) => p.file === f);
      const size = fixture(f).length;
      assert.equal(events[0].loadedBytes, 0, f);
      assert.deepEqual(events.at(-1), { file: f, loadedBytes: size, totalBytes: size });
      for (let i = 1; i < events.length; i++) assert.ok(events[i].loadedBytes >= events[i - 1].loadedBytes);
    }
    assert.ok(progress.filter((p) => p.file === 'model.safetensors').length > 2, 'large file reports as it goes');

    // Second time: straight from the cache, no request at all.
    const before = hub.requests.length;
    assert.deepEqual(await resolveModel(ID, opts), { ...got, source: 'cache' });
    assert.deepEqual(await resolveModel(`${ID}@${COMMIT}`, opts), { ...got, source: 'cache', revision: COMMIT });
    assert.equal(hub.requests.length, before);
    assert.deepEqual(await listCachedModels(cache), [{ repoId: ID, commit: COMMIT, dir: snapshot, refs: ['main'] }]);
  });
});

test('without model.safetensors it falls back to the sharded index and its shards', async () => {
  const shard = 'model-00001-of-00001.safetensors';
  const weights = fixture('model.safetensors');
  const header = JSON.parse(weights.subarray(8, 8 + Number(weights.readBigUInt64LE(0))).toString('utf8')) as Record<string, unknown>;
  const index = { metadata: { total_size: weights.length }, weight_map: Object.fromEntries(Object.keys(header).filter((k) => k !== '__metadata__').map((k) => [k, shard])) };
  const files = fixtureRepo();
  files.delete('model.safetensors');
  files.set('model.safetensors.index.json', Buffer.from(JSON.stringify(index)));
  files.set(shard, weights);
  await withHub({ files, lfs: new Set([shard]) }, async (hub, cache) => {
    // The endpoint and token come from HF_ENDPOINT and HF_TOKEN when no option gives them.
    const got = await resolveModel(ID, { cacheDir: cache, env: { HF_ENDPOINT: hub.url + '/', HF_TOKEN: TOKEN } });
    assert.equal(got.source, 'download');
    assert.ok(hub.authorizations.length > 0 && hub.authorizations.every((a) => a === `Bearer ${TOKEN}`));
    assert.ok(readFileSync(path.join(got.dir, shard)).equals(weights));
    assert.ok(readFileSync(path.join(got.dir, 'model.safetensors.index.json')).equals(files.get('model.safetensors.index.json')!));
    assert.equal(existsSync(path.join(got.dir, 'model.safetensors')), false);
    assert.ok(!hub.requests.some((r) => r.includes('/resolve/main/model.safetensors') || r.includes('pytorch_model.bin')));
  });
});

test('a repo without weights, a missing repo and a file the Hub will not serve give clear errors', async () => {
  const noWeights = fixtureRepo();
  noWeights.delete('model.safetensors');
  await withHub({ files: noWeights }, async (hub, cache) => {
    const msg = await expectUserError(resolveModel(ID, { cacheDir: cache, endpoint: hub.url, env: {} }));
    assert.match(msg, new RegExp(`${ID}@main has no weights \\(none of model\\.safetensors, model\\.safetensors\\.index\\.json, pytorch_model\\.bin\\)`));
    const missing = await expectUserError(resolveModel('tiny-org/absent', { cacheDir: cache, endpoint: hub.url, env: {} }));
    assert.match(missing, /tiny-org\/absent@main was not found on .* \(401: Repository Not Found\)\. .*set HF_TOKEN/);
    const badToken = await expectUserError(resolveModel(ID, { cacheDir: cache, endpoint: hub.url, env: {}, token: 'not-a-token-42' }));
    assert.match(badToken, /access token does not start with `hf_`/);
    assert.ok(!badToken.includes('not-a-token-42'));
    assert.equal(await findCachedSnapshot(ID, 'main', cache), undefined);
  });
  await withHub({ brokenDownloads: new Set(['model.safetensors']) }, async (hub, cache) => {
    const msg = await expectUserError(resolveModel(ID, { cacheDir: cache, endpoint: hub.url, env: {} }));
    assert.match(msg, /model\.safetensors.*answers 404/);
    assert.equal(await findCachedSnapshot(ID, 'main', cache), undefined);
  });
});

test('a cut or corrupt download leaves no blob and no ref, and the next run completes it', async () => {
  for (const failure of ['cutDownloads', 'corruptDownloads'] as const) {
    const failing = new Set(['model.safetensors']);
    await withHub({ [failure]: failing }, async (hub, cache) => {
      const msg = await expectUserError(resolveModel(ID, { cacheDir: cache, endpoint: hub.url, env: {} }));
      assert.match(msg, failure === 'cutDownloads'
        ? /connection to .* failed while downloading model\.safetensors of .*HF_HUB_OFFLINE=1/
        : /download of model\.safetensors is corrupt/);
      const repoDir = path.join(cache, REPO);
      const blob = path.join(repoDir, 'blobs', sha256(fixture('model.safetensors')));
      assert.equal(existsSync(path.join(repoDir, 'refs', 'main')), false);
      assert.equal(existsSync(blob), false);
      assert.deepEqual(tree(path.join(repoDir, 'blobs')).filter(isTempFile), [], 'the temporary file is removed');
      assert.equal(await findCachedSnapshot(ID, 'main', cache), undefined);

      failing.clear();
      const got = await resolveModel(ID, { cacheDir: cache, endpoint: hub.url, env: {} });
      assert.equal(got.source, 'download');
      assert.ok(readFileSync(path.join(got.dir, 'model.safetensors')).equals(fixture('model.safetensors')));
      // config.json came through the first time and was not fetched again.
      assert.equal(hub.requests.filter((r) => r.endsWith('/config.json')).length, 2);
    });
  }
});

test('a cached snapshot lacking tokenizer files is topped up from the Hub at its own commit', async () => {
  await withHub({}, async (hub, cache) => {
    const files = { 'config.json': fixture('config.json'), 'model.safetensors': fixture('model.safetensors') };
    const dir = addCachedSnapshot(cache, ID, COMMIT, files, ['main']);
    const got = await resolveModel(ID, { cacheDir: cache, endpoint: hub.url, env: {} });
    assert.deepEqual(got, { dir, source: 'download', repoId: ID, revision: 'main', commit: COMMIT });
    for (const f of TOKENIZER) assert.ok(readFileSync(path.join(dir, f)).equals(fixture(f)), f);
    // The weights were already cached, so they were not downloaded again.
    assert.ok(!hub.requests.some((r) => r.includes('model.safetensors') || r.startsWith('GET /cdn/')));
    assert.ok(hub.requests.some((r) => r.startsWith(`GET /api/models/${ID}/revision/${COMMIT}`)));
  });
});
