// The engine worker as the extension runs it: a real child process, given a job over IPC, its messages validated.
// A tiny experiment runs through it and writes its run; a cancel stops it and the run is recorded as cancelled;
// a worker killed with SIGKILL is reported as killed and its run is marked failed with that reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { markAbandonedRuns } from '../../../src/extension/jobs/abandoned-runs';
import { WorkerProcess } from '../../../src/extension/jobs/worker-process';
import { workerLaunch } from '../../../src/extension/jobs/launch';
import type { WorkerMessage } from '../../../src/engine/worker/protocol';
import { RunStore } from '../../../src/engine/runs/store';
import { makeWorld, sourceWorker } from './helpers';

function collect(): { messages: WorkerMessage[]; listener: { onMessage(m: WorkerMessage): void } } {
  const messages: WorkerMessage[] = [];
  return { messages, listener: { onMessage: (m) => messages.push(m) } };
}

test('a tiny experiment runs through the worker, which forwards its grid events and writes its run', async () => {
  const world = makeWorld(3);
  try {
    const { messages, listener } = collect();
    const worker = new WorkerProcess(sourceWorker(), { kind: 'run', experimentFile: world.experimentFile }, listener);
    const outcome = await worker.done;
    assert.equal(outcome.kind, 'result', JSON.stringify(outcome));
    assert.equal(messages[0].type, 'ready');
    const events = messages.flatMap((m) => (m.type === 'grid' ? [m.event] : []));
    assert.deepEqual([...new Set(events.map((e) => e.type))].filter((t) => t !== 'log'), ['grid-start', 'cell-start', 'progress', 'cell-end', 'grid-end']);
    const steps = events.flatMap((e) => (e.type === 'progress' ? [e.step] : []));
    assert.deepEqual(steps, [1, 2, 3]);
    if (outcome.kind !== 'result' || outcome.result.kind !== 'run') throw new Error('not a run result');
    assert.equal(outcome.result.cells.length, 1);
    assert.equal(outcome.result.cells[0].status, 'done');
    assert.equal(outcome.result.runsDir, world.runsDir);
    const run = new RunStore(world.runsDir).get(outcome.result.cells[0].runId)!;
    assert.equal(run.status, 'done');
    assert.equal(run.pid, messages[0].type === 'ready' ? messages[0].pid : -1, 'the run was trained by the worker process');
    assert.ok(run.metrics!.accuracy >= 0 && run.metrics!.accuracy <= 1);
  } finally {
    world.dispose();
  }
});

test('cancel stops the grid after the current step and the run is recorded as cancelled', async () => {
  const world = makeWorld(100_000);
  try {
    let worker!: WorkerProcess;
    let progressSeen = 0;
    worker = new WorkerProcess(sourceWorker(), { kind: 'run', experimentFile: world.experimentFile }, {
      onMessage: (m) => {
        if (m.type === 'grid' && m.event.type === 'progress' && ++progressSeen === 2) worker.cancel(30_000);
      },
    });
    const outcome = await worker.done;
    assert.equal(outcome.kind, 'result', JSON.stringify(outcome));
    if (outcome.kind !== 'result' || outcome.result.kind !== 'run') throw new Error('not a run result');
    assert.equal(outcome.result.cancelled, true);
    assert.equal(outcome.result.cells[0].status, 'cancelled');
    const run = new RunStore(world.runsDir).get(outcome.result.cells[0].runId)!;
    assert.equal(run.status, 'cancelled');
    assert.ok(!readFileSync(path.join(world.runsDir, run.id, 'metrics.jsonl'), 'utf8').includes('"step":100000'));
  } finally {
    world.dispose();
  }
});

test('a worker killed with SIGKILL is reported as killed, and its running run is marked failed with the reason', async () => {
  const world = makeWorld(100_000);
  try {
    let worker!: WorkerProcess;
    let runId = '';
    worker = new WorkerProcess(sourceWorker(), { kind: 'run', experimentFile: world.experimentFile }, {
      onMessage: (m) => {
        if (m.type === 'grid' && m.event.type === 'progress' && runId === '') {
          runId = m.event.runId;
          worker.kill('SIGKILL');
        }
      },
    });
    const outcome = await worker.done;
    assert.equal(outcome.kind, 'died');
    if (outcome.kind !== 'died') return;
    assert.equal(outcome.signal, 'SIGKILL');
    assert.match(outcome.reason, /^the worker process was killed \(SIGKILL\)/);
    const store = new RunStore(world.runsDir);
    assert.equal(store.get(runId)!.status, 'running', 'the dead worker could not record anything');
    const changed = markAbandonedRuns({ runsDir: world.runsDir, pid: worker.pid, status: 'failed', reason: outcome.reason });
    assert.deepEqual(changed, [runId]);
    const run = store.get(runId)!;
    assert.equal(run.status, 'failed');
    assert.equal(run.error, outcome.reason);
    // The next job can run: the dead worker's lock on the runs folder is stale and is taken over.
    const next = new WorkerProcess(sourceWorker(), { kind: 'estimate', experimentFile: world.experimentFile });
    const estimate = await next.done;
    assert.equal(estimate.kind, 'result', JSON.stringify(estimate));
  } finally {
    world.dispose();
  }
});

test('a job the engine refuses comes back as a failure with the file and the fix, not as a death', async () => {
  const world = makeWorld(3);
  try {
    const worker = new WorkerProcess(sourceWorker(), { kind: 'run', experimentFile: path.join(world.dir, 'missing.experiment.json') });
    const outcome = await worker.done;
    assert.equal(outcome.kind, 'failed');
    if (outcome.kind !== 'failed') return;
    assert.equal(outcome.error.user, true);
    assert.equal(outcome.error.file, path.join(world.dir, 'missing.experiment.json'));
    assert.match(outcome.error.text, /the experiment file was not found\. Check the path/);
    assert.equal(outcome.cancelled, false);
  } finally {
    world.dispose();
  }
});

test('a runtime that cannot be started is reported as such', async () => {
  const worker = new WorkerProcess({ ...sourceWorker(), execPath: '/nonexistent/node' }, { kind: 'predict', modelDirs: [], rows: [] });
  const outcome = await worker.done;
  assert.equal(outcome.kind, 'died');
  if (outcome.kind === 'died') assert.match(outcome.reason, /could not be started|ENOENT/);
});

const defaults = { backend: 'auto' as const, workerNodePath: '', hfCacheDir: '', hfOffline: false };

test('by default the worker is dist/worker.js on the editor\'s own runtime, with the environment unchanged', () => {
  const launch = workerLaunch('/ext', defaults, { PATH: '/bin' });
  assert.equal(launch.script, path.join('/ext', 'dist', 'worker.js'));
  assert.equal(launch.execPath, undefined);
  assert.deepEqual(launch.env, { PATH: '/bin' });
});

test('settings become the engine\'s environment variables and the runtime', () => {
  const launch = workerLaunch('/ext', { backend: 'wasm', workerNodePath: ' /opt/node/bin/node ', hfCacheDir: '/cache/hub', hfOffline: true }, { PATH: '/bin', ADAPT_LAB_BACKEND: 'node' });
  assert.equal(launch.execPath, '/opt/node/bin/node');
  assert.deepEqual(launch.env, { PATH: '/bin', ADAPT_LAB_BACKEND: 'wasm', HF_HUB_CACHE: '/cache/hub', HF_HUB_OFFLINE: '1' });
});
