import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HubApiError } from '@huggingface/hub';
import { UserError } from '../../../src/engine/errors';
import { hubFailure, type FailurePlace } from '../../../src/engine/hub/hub-failure';

const TOKEN = 'hf_failureTestToken0123456789abcdef';
const at: FailurePlace = { repoId: 'org/m', revision: 'main', endpoint: 'https://hub.example', cacheDir: '/c', file: undefined };

function format(e: unknown): string {
  assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
  return e.format();
}

function apiError(status: number, error?: string): HubApiError {
  const e = new HubApiError('https://hub.example/api/models/org/m', status);
  if (error !== undefined) e.data = { error };
  return e;
}

test('Hub answers become UserErrors that say what to do', () => {
  assert.match(format(hubFailure(apiError(404, 'Repository not found'), at, TOKEN)), /^org\/m: org\/m@main was not found on https:\/\/hub\.example \(404: Repository not found\)\. .*HF_TOKEN has access/);
  assert.match(format(hubFailure(apiError(403, 'Access to model org/m is restricted'), { ...at, file: 'config.json' }, TOKEN)), /refused access to org\/m@main \(403: Access .*accept its conditions/);
  assert.match(format(hubFailure(apiError(503), { ...at, file: 'model.safetensors' }, undefined)), /answered 503 for org\/m@main file model\.safetensors\. Try again later, or run `huggingface-cli download org\/m`/);
});

test('network failures name the cause and how to work offline', () => {
  const dns = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND hub.example'), { code: 'ENOTFOUND' }) });
  const msg = format(hubFailure(dns, at, undefined));
  assert.match(msg, /cannot reach https:\/\/hub\.example to download org\/m@main \(ENOTFOUND\)/);
  assert.match(msg, /set HF_HUB_OFFLINE=1 and run `huggingface-cli download org\/m`/);
  const tls = new TypeError('fetch failed', { cause: Object.assign(new Error('self-signed'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }) });
  assert.match(format(hubFailure(tls, at, undefined)), /\(SELF_SIGNED_CERT_IN_CHAIN\)/);
  assert.match(format(hubFailure('terminated', { ...at, file: 'vocab.txt' }, undefined)), /failed while downloading vocab\.txt of org\/m@main \(terminated\)/);
});

test('disk and token problems are UserErrors; anything else is a bug and passes through', () => {
  const full = Object.assign(new Error('no space'), { code: 'ENOSPC', path: '/c/models--org--m/blobs/x' });
  assert.match(format(hubFailure(full, at, undefined)), /^\/c\/models--org--m\/blobs\/x: cannot write the download to the cache \(ENOSPC\)\. .*HF_HUB_CACHE/);
  const token = hubFailure(new TypeError("Your access token must start with 'hf_'"), at, TOKEN);
  assert.match(format(token), /^HF_TOKEN: the access token does not start with `hf_`/);
  const bug = new RangeError('index out of range');
  assert.equal(hubFailure(bug, at, undefined), bug);
  const missing = Object.assign(new Error('ENOENT'), { code: 'ENOENT', path: '/x' });
  assert.equal(hubFailure(missing, at, undefined), missing);
});

test('the access token never appears in what a failure says, even when the Hub or the endpoint echoes it', () => {
  // A proxy that echoes the Authorization header in its error body, and an endpoint with credentials in its URL.
  const echoed = format(hubFailure(apiError(401, `Invalid credentials in Authorization header: Bearer ${TOKEN}`), at, TOKEN));
  assert.match(echoed, /org\/m@main was not found on https:\/\/hub\.example \(401: Invalid credentials in Authorization header: Bearer \[HF_TOKEN redacted\]\)/);
  assert.ok(!echoed.includes(TOKEN));
  // A long body is shortened for the message; the cut must not leave the token's first characters behind.
  const long = format(hubFailure(apiError(401, `${'x'.repeat(180)} Bearer ${TOKEN}`), at, TOKEN));
  assert.ok(!long.includes(TOKEN.slice(0, 12)), long);
  const inUrl = { ...at, endpoint: `https://user:${encodeURIComponent(TOKEN)}@proxy.example` };
  const refused = hubFailure(apiError(403, 'no'), { ...inUrl, file: 'config.json' }, TOKEN);
  assert.ok(refused instanceof UserError);
  assert.ok(!refused.format().includes(TOKEN) && !refused.format().includes(encodeURIComponent(TOKEN)), refused.format());
  // UserErrors raised by the download itself (they may name the endpoint) are redacted too.
  const own = hubFailure(new UserError(`the Hub at https://x.example/?t=${TOKEN} gave no commit hash`, { file: 'org/m' }, 'Check HF_ENDPOINT.'), at, TOKEN);
  assert.ok(own instanceof UserError && !own.format().includes(TOKEN), String(own));
  // A bug keeps its identity, minus the token in its message and stack.
  const bug = new Error(`unexpected header Bearer ${TOKEN}`);
  assert.equal(hubFailure(bug, at, TOKEN), bug);
  assert.ok(!bug.message.includes(TOKEN) && !(bug.stack ?? '').includes(TOKEN));
});
