import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { currentBackend, initBackend } from '../../../src/engine/backend/select';
import { planThreads } from '../../../src/engine/backend/threads';
import { UserError } from '../../../src/engine/errors';

function tfjsNodeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

/** Runs `f` with environment variables set (undefined: unset), restoring them afterwards. */
async function withEnv<T>(vars: Record<string, string | undefined>, f: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  apply(vars);
  try {
    return await f();
  } finally {
    apply(saved);
  }
}

test('cpu and wasm start, report themselves, and asking again returns the same answer', async () => {
  await withEnv({ ADAPT_LAB_BACKEND: undefined, ADAPT_LAB_THREADS: undefined }, async () => {
    const cpu = await initBackend('cpu');
    assert.deepEqual({ name: cpu.name, requested: cpu.requested, threads: cpu.threads, tfjsVersion: cpu.tfjsVersion }, { name: 'cpu', requested: 'cpu', threads: 1, tfjsVersion: '4.22.0' });
    assert.equal(tf.getBackend(), 'cpu');

    const wasm = await initBackend('wasm');
    assert.equal(wasm.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(wasm.simd, true);
    // Run from source the stock package is single-threaded; when more threads were planned the note says why
    // (threads need the bundle: see threads.test.ts).
    assert.equal(wasm.threads, 1);
    if (wasm.note !== undefined) assert.match(wasm.note, /bundled build|busy/);
    assert.equal(await initBackend('wasm'), wasm, 'idempotent');
    assert.equal(await currentBackend(), wasm);
    assert.equal(tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0], 6);
  });
});

test('auto picks tfjs-node when installed, else wasm', async () => {
  await withEnv({ ADAPT_LAB_BACKEND: undefined }, async () => {
    const info = await initBackend();
    assert.equal(info.requested, 'auto');
    assert.equal(info.name, tfjsNodeInstalled() ? 'tensorflow' : 'wasm');
  });
});

test('ADAPT_LAB_BACKEND forces a backend; one that cannot load is a UserError saying why', async () => {
  await withEnv({ ADAPT_LAB_BACKEND: 'cpu' }, async () => {
    assert.equal((await initBackend()).name, 'cpu');
    assert.equal((await initBackend('wasm')).name, 'wasm', 'an explicit argument wins over the environment');
  });
  await withEnv({ ADAPT_LAB_BACKEND: 'tpu' }, async () => {
    await assert.rejects(initBackend(), (e: unknown) => e instanceof UserError && e.place.field === 'ADAPT_LAB_BACKEND' && /auto, node, wasm, cpu/.test(e.message));
  });
  if (tfjsNodeInstalled()) return;
  await withEnv({ ADAPT_LAB_BACKEND: 'node' }, async () => {
    await assert.rejects(initBackend(), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.place.field, 'ADAPT_LAB_BACKEND');
      assert.match(e.message, /@tensorflow\/tfjs-node is not installed.*downloads libtensorflow/);
      assert.match(e.fix, /npm install @tensorflow\/tfjs-node.*ADAPT_LAB_BACKEND=wasm/);
      return true;
    });
  });
});

test('threads: ADAPT_LAB_THREADS, else the cores not busy', () => {
  assert.deepEqual(planThreads({ ADAPT_LAB_THREADS: '3' }, 5, 2), { threads: 3 });
  assert.equal(planThreads({}, 0.2, 4).threads, 4);
  assert.equal(planThreads({}, 0.2, 4).note, undefined);
  const busy = planThreads({}, 1.3, 2);
  assert.equal(busy.threads, 1);
  assert.match(busy.note!, /1 of 2 cores busy.*ADAPT_LAB_THREADS/);
  assert.equal(planThreads({}, 9, 4).threads, 1, 'never fewer than one');
  for (const bad of ['0', 'two', '1.5', '-2', '1000']) {
    assert.throws(() => planThreads({ ADAPT_LAB_THREADS: bad }), (e: unknown) => e instanceof UserError && e.place.field === 'ADAPT_LAB_THREADS');
  }
});
