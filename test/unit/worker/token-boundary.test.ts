// The worker boundary for the Hugging Face token. The extension starts the worker with the token in its environment
// (HF_TOKEN) and nowhere else — the stored token winning over an inherited one — and nothing that comes back may
// carry it: not the worker's messages, not its stdout or stderr, not the reason of its death. Checked on both sides:
// the real worker forked bare (its own redaction, no host in between), and the host's WorkerProcess against a
// worker that leaks on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REDACTED_TOKEN } from '../../../src/engine/hub/token';
import { redactProcessOutput } from '../../../src/engine/worker/redact';
import type { JobRequest } from '../../../src/engine/worker/protocol';
import { workerLaunch, type EngineSettings } from '../../../src/extension/jobs/launch';
import { WorkerProcess, type WorkerOutcome } from '../../../src/extension/jobs/worker-process';
import { commitOf, fixtureDir, repoRoot } from '../hub/cache-tree';
import { startFakeHub } from '../hub/fake-hub';

const newToken = () => `hf_${randomBytes(17).toString('hex')}`;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SETTINGS: EngineSettings = { backend: 'wasm', workerNodePath: '', hfCacheDir: '', hfOffline: false };
const ID = 'secret-org/bert-L2-H64-A2';

interface Bare {
  /** Every message exactly as the worker sent it over IPC. */
  messages: unknown[];
  output: string;
  code: number | null;
}

/** The real worker (from source), forked with nothing between it and the test, given one job. */
function bareWorker(job: JobRequest, env: NodeJS.ProcessEnv): Promise<Bare> {
  return new Promise((resolve, reject) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HF_')));
    const child = fork(path.join(repoRoot, 'src', 'engine', 'worker.ts'), [], {
      execArgv: ['--import', 'tsx'], cwd: repoRoot, env: { ...base, ADAPT_LAB_BACKEND: 'wasm', ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json',
    });
    const messages: unknown[] = [];
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    child.on('message', (m) => messages.push(m));
    child.on('error', reject);
    child.on('close', (code) => resolve({ messages, output, code }));
    child.send({ type: 'start', job });
  });
}

test('the real worker downloads a private model with the token from its environment, and nothing it sends or prints holds it', { timeout: 300_000 }, async () => {
  const token = newToken();
  const files = new Map(['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json'].map((f) => [f, readFileSync(path.join(fixtureDir, f))]));
  const hub = await startFakeHub({ repoId: ID, commit: commitOf('boundary'), files, lfs: new Set(['model.safetensors']), requireToken: token });
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-lab-boundary-'));
  try {
    const rows = (file: string, n: number) => readFileSync(path.join(repoRoot, 'data', 'sms_spam', file), 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, n).join('\n') + '\n';
    writeFileSync(path.join(dir, 'train.jsonl'), rows('train.jsonl', 40));
    writeFileSync(path.join(dir, 'test.jsonl'), rows('test.jsonl', 8));
    const experimentFile = path.join(dir, 'hub.experiment.json');
    writeFileSync(experimentFile, JSON.stringify({
      name: 'hub', dataset: { train: 'train.jsonl', test: 'test.jsonl' }, models: [ID], trainSizes: [8], seeds: [1], methods: ['finetune'],
      training: { finetune: { maxSteps: 2, batchSize: 4, maxLength: 32, evalEverySteps: 1000 } },
    }));
    const env = { HF_TOKEN: token, HF_ENDPOINT: hub.url, HF_HUB_CACHE: path.join(dir, 'hf-cache') };
    const ok = await bareWorker({ kind: 'run', experimentFile }, env);
    const result = ok.messages.find((m) => (m as { type: string }).type === 'result') as { result: { cells: { status: string }[] } } | undefined;
    assert.deepEqual(result?.result.cells.map((c) => c.status), ['done'], JSON.stringify(ok.messages.slice(-3)) + ok.output);
    assert.ok(hub.authorizations.includes(`Bearer ${token}`), 'the token from the environment opened the repo');
    assert.ok(!JSON.stringify(ok.messages).includes(token), 'a message holds the token');
    assert.ok(!ok.output.includes(token), 'stdout or stderr holds the token');

    // Text the engine does not control can echo it (here a file name): the boundary redacts it on the way out.
    const leaky = await bareWorker({ kind: 'run', experimentFile: path.join(dir, `${token}.experiment.json`) }, env);
    const failed = leaky.messages.find((m) => (m as { type: string }).type === 'failed') as { error: { text: string } } | undefined;
    assert.ok(failed, JSON.stringify(leaky.messages));
    assert.match(failed.error.text, new RegExp(`${REDACTED_TOKEN.replace(/[[\]]/g, '\\$&')}\\.experiment\\.json: the experiment file was not found`));
    assert.ok(!JSON.stringify(leaky.messages).includes(token), 'a message holds the token');
    assert.ok(!leaky.output.includes(token), 'stdout or stderr holds the token');
  } finally {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the worker\'s stdout and stderr are redacted of its token, whatever writes to them', () => {
  const token = newToken();
  const written: string[] = [];
  const stream = () => ({ write: (chunk: unknown) => written.push(String(chunk)) > 0 });
  const proc = { stdout: stream(), stderr: stream() } as unknown as NodeJS.Process;
  redactProcessOutput(proc, [token]);
  proc.stdout.write(`fetching with Bearer ${token}\n`);
  proc.stderr.write(Buffer.from(`error: ${encodeURIComponent(token)}\n`));
  proc.stderr.write('nothing secret\n');
  assert.deepEqual(written, [`fetching with Bearer ${REDACTED_TOKEN}\n`, `error: ${REDACTED_TOKEN}\n`, 'nothing secret\n']);
});

/** A worker that leaks its HF_TOKEN every way it can, and reports what it was started with. */
const LEAKY_WORKER = `
const { createHash } = require('node:crypto');
const token = process.env.HF_TOKEN ?? '';
process.send({ type: 'ready', pid: process.pid, node: process.version });
process.on('message', (start) => {
  process.send({ type: 'log', level: 'info', message: 'env token sha256 ' + createHash('sha256').update(token).digest('hex') });
  process.send({ type: 'log', level: 'info', message: 'argv or start message hold it: ' + (token !== '' && JSON.stringify([process.argv, process.execArgv, start]).includes(token)) });
  process.send({ type: 'log', level: 'warn', message: 'leak ' + token });
  process.send({ type: 'grid', event: { type: 'log', level: 'info', message: 'grid leak ' + token } });
  process.send({ type: 'failed', error: { text: 'failed leak ' + token, user: false, stack: 'Error: ' + token }, cancelled: false });
  console.log('stdout leak ' + token);
  console.error('stderr leak ' + token);
  setTimeout(() => process.exit(3), 50);
});
`;

test('the host starts the worker with the stored token in its environment only (over an inherited one), and redacts all it hears', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-lab-leaky-'));
  try {
    const script = path.join(dir, 'leaky-worker.cjs');
    writeFileSync(script, LEAKY_WORKER);
    const stored = newToken();
    const inherited = newToken();
    const base = { PATH: process.env.PATH, HF_TOKEN: inherited };

    const hear = async (token: string | undefined) => {
      const launch = { ...workerLaunch('/nonexistent-extension', SETTINGS, base, token), script };
      const heard: string[] = [];
      const worker = new WorkerProcess(launch, { kind: 'estimate', experimentFile: path.join(dir, 'x.experiment.json') }, {
        onMessage: (m) => heard.push(JSON.stringify(m)),
        onOutput: (line) => heard.push(line),
      });
      const outcome: WorkerOutcome = await worker.done;
      return { heard, outcome };
    };

    const withStored = await hear(stored);
    // The worker's environment held the stored token, not the inherited one; argv and the start message held neither.
    assert.ok(withStored.heard.some((l) => l.includes(`env token sha256 ${sha(stored)}`)), withStored.heard.join('\n'));
    assert.ok(withStored.heard.some((l) => l.includes('argv or start message hold it: false')));
    // Everything the host passes on is redacted: messages, stdout and stderr lines, and the final failure.
    assert.ok(withStored.heard.some((l) => l.includes(`stderr leak ${REDACTED_TOKEN}`)), withStored.heard.join('\n'));
    assert.ok(withStored.heard.some((l) => l.includes(`grid leak ${REDACTED_TOKEN}`)));
    for (const l of withStored.heard) assert.ok(!l.includes(stored) && !l.includes(inherited), l);
    assert.equal(withStored.outcome.kind, 'failed');
    assert.ok(!JSON.stringify(withStored.outcome).includes(stored), JSON.stringify(withStored.outcome));

    // Without a stored token the inherited HF_TOKEN is passed on (as the CLI would use it), and redacted the same.
    const withInherited = await hear(undefined);
    assert.ok(withInherited.heard.some((l) => l.includes(`env token sha256 ${sha(inherited)}`)));
    for (const l of withInherited.heard) assert.ok(!l.includes(inherited), l);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker that dies explains why with its last stderr lines, redacted', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-lab-dying-'));
  try {
    const script = path.join(dir, 'dying-worker.cjs');
    writeFileSync(script, `console.error('fatal: bad header Bearer ' + process.env.HF_TOKEN); process.exit(7);`);
    const token = newToken();
    const outcome = await new WorkerProcess({ ...workerLaunch('/x', SETTINGS, { PATH: process.env.PATH }, token), script }, { kind: 'estimate', experimentFile: '/x.experiment.json' }).done;
    assert.equal(outcome.kind, 'died');
    assert.ok(outcome.kind === 'died' && outcome.reason.includes(`Bearer ${REDACTED_TOKEN}`), JSON.stringify(outcome));
    assert.ok(!JSON.stringify(outcome).includes(token));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
