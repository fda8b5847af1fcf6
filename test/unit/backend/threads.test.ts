// Multi-threaded wasm exists only in bundles built with wasm-build.mjs's patch, so this test bundles a small
// program the way esbuild.mjs does and runs it with 1 and with 2 threads: the threads must really start, the
// gradients must be bit-identical, and the process must exit by itself (the pool's workers do not hold it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
// wasm-build.mjs is an ES module that esbuild.mjs imports; loaded here through tsx's require hook.
const { patchWasmBackend, wasmFiles, wasmThreadsPlugin } = createRequire(__filename)('../../../src/engine/backend/wasm-build.mjs');

const program = `
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './src/engine/backend/select';
import { Bert } from './src/engine/model/bert';
import { parseBertConfig } from './src/engine/model/config';
import { crossEntropy } from './src/engine/model/loss';
(async () => {
  const info = await initBackend('wasm');
  const config = parseBertConfig({ vocab_size: 400, hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 256 }, 'config.json');
  const model = Bert.create(config, { heads: { mlm: true, classifier: { numLabels: 3 } }, seed: 1 });
  const b = 8, t = 32;
  const ids = Array.from({ length: b * t }, (_, i) => (i * 37) % 400);
  const batch = { inputIds: tf.tensor2d(ids, [b, t], 'int32'), tokenTypeIds: tf.zeros([b, t], 'int32') as tf.Tensor2D, attentionMask: tf.ones([b, t], 'int32') as tf.Tensor2D };
  const labels = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
  const positions = tf.tensor1d([3, 40, 77, 100, 200], 'int32');
  const params = [...model.params.values()];
  const { value, grads } = tf.variableGrads(() => tf.add(
    crossEntropy(model.classifyLogits(batch, { training: true, seed: 7 }), labels),
    crossEntropy(model.mlmLogits(batch, positions), tf.tensor1d([5, 6, 7, 8, 9], 'int32'))), params);
  const hash = createHash('sha256');
  for (const p of params) hash.update(Buffer.from(grads[p.name].dataSync().buffer));
  console.log(JSON.stringify({ threads: info.threads, note: info.note, loss: value.dataSync()[0], hash: hash.digest('hex') }));
})();
`;

test('the patch fits this tfjs-backend-wasm, and refuses a source it does not fit', () => {
  const file = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.node.js');
  const source = readFileSync(file, 'utf8');
  const patched: string = patchWasmBackend(source);
  assert.notEqual(patched, source);
  assert.match(patched, /typeof SharedArrayBuffer !== 'undefined'/);
  assert.throws(() => patchWasmBackend(source.replace('return require$$4.cpus().length;', 'return 1;')), /"logical core count" does not match/);
});

test('a bundled program runs 2 wasm threads with gradients identical to 1 thread, and exits', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'adapt-lab-wasm-'));
  try {
    await esbuild.build({
      stdin: { contents: program, resolveDir: repoRoot, loader: 'ts', sourcefile: 'threads-probe.ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: path.join(out, 'probe.js'),
      external: ['@tensorflow/tfjs-node'],
      plugins: [wasmThreadsPlugin()],
      logLevel: 'error',
    });
    wasmFiles(out);
    const run = (threads: number) => {
      const r = spawnSync(process.execPath, [path.join(out, 'probe.js')], {
        env: { ...process.env, ADAPT_LAB_THREADS: String(threads) },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 0, `with ${threads} thread(s) the probe failed or did not exit: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { threads: number; note?: string; loss: number; hash: string };
    };
    const one = run(1);
    const two = run(2);
    assert.equal(one.threads, 1);
    assert.equal(two.threads, 2, `2 threads requested: ${two.note ?? ''}`);
    assert.ok(Number.isFinite(one.loss));
    assert.equal(two.loss, one.loss);
    assert.equal(two.hash, one.hash, 'gradients are bit-identical with 1 and 2 threads');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
