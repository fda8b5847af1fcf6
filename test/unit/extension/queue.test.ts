// The job queue: one job at a time in order, a failure does not stop it, cancelling removes a waiting job and
// signals a running one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobCancelledError, JobQueue } from '../../../src/extension/jobs/queue';

function deferred<T = void>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test('jobs run one at a time, in the order queued; a failing job does not stop the ones after it', async () => {
  const q = new JobQueue();
  const order: string[] = [];
  const gates = [deferred(), deferred(), deferred()];
  const a = q.enqueue('a', async () => { order.push('a start'); await gates[0].promise; order.push('a end'); return 1; });
  const b = q.enqueue('b', async () => { order.push('b start'); await gates[1].promise; throw new Error('b broke'); });
  const c = q.enqueue('c', async () => { order.push('c start'); await gates[2].promise; return 3; });
  assert.deepEqual(q.running, { id: a.id, title: 'a' });
  assert.deepEqual(q.pending.map((j) => j.title), ['b', 'c']);
  gates[1].resolve();
  gates[2].resolve();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['a start'], 'b and c wait for a although their gates are open');
  gates[0].resolve();
  assert.equal(await a.promise, 1);
  await assert.rejects(b.promise, /b broke/);
  assert.equal(await c.promise, 3);
  assert.deepEqual(order, ['a start', 'a end', 'b start', 'c start']);
  assert.equal(q.running, undefined);
  assert.deepEqual(q.pending, []);
});

test('cancel signals the running job and removes a waiting one, which never starts', async () => {
  const q = new JobQueue();
  const started: string[] = [];
  let changes = 0;
  q.onChange(() => changes++);
  const a = q.enqueue('a', (signal) => {
    started.push('a');
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve('stopped')));
  });
  const b = q.enqueue('b', async () => { started.push('b'); });
  const c = q.enqueue('c', async () => { started.push('c'); return 'c ran'; });
  assert.equal(q.cancel(b.id), true);
  await assert.rejects(b.promise, (e: unknown) => e instanceof JobCancelledError && /b: cancelled before it started/.test((e as Error).message));
  assert.equal(q.cancel(), true, 'cancels the running job');
  assert.equal(await a.promise, 'stopped');
  assert.equal(await c.promise, 'c ran');
  assert.deepEqual(started, ['a', 'c']);
  assert.equal(q.cancel(), false, 'nothing left to cancel');
  assert.ok(changes >= 4);
});

test('a job that throws synchronously is a rejected job, and the queue goes on', async () => {
  const q = new JobQueue();
  const a = q.enqueue('a', () => { throw new Error('sync'); });
  const b = q.enqueue('b', async () => 'b');
  await assert.rejects(a.promise, /sync/);
  assert.equal(await b.promise, 'b');
});
