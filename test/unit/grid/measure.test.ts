// Cost measurement: FLOPs at the mean input length, latency over single predictions after a warm-up, throughput
// over full batches, and nearest-rank percentiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureCosts, percentile } from '../../../src/engine/costs/measure';
import type { Predictor, TextInput } from '../../../src/engine/methods/types';

test('nearest-rank percentiles', () => {
  const v = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  assert.equal(percentile(v, 50), 5);
  assert.equal(percentile(v, 95), 10);
  assert.equal(percentile(v, 10), 1);
  assert.equal(percentile([7], 95), 7);
});

test('measureCosts: FLOPs at the mean token count, the asked-for numbers of timed calls, units of the record', async () => {
  const calls: number[] = [];
  const flopsAsked: number[] = [];
  const predictor: Predictor = {
    labels: ['a', 'b'],
    predict: async (inputs: readonly TextInput[]) => {
      calls.push(inputs.length);
      return inputs.map(() => Float32Array.of(0.5, 0.5));
    },
    inferFlops: (tokens) => {
      flopsAsked.push(tokens);
      return 1000 * tokens;
    },
    inputLength: (x) => x.text.split(' ').length + 2,
    save: async () => {},
    dispose: () => {},
  };
  const inputs = ['one', 'one two', 'one two three four'].map((text) => ({ text }));
  const cost = await measureCosts(
    { predictor, inputs, params: { total: 10, nonEmbedding: 4, embedding: 6 }, trainFlops: 123, trainSeconds: 4.5, backend: 'cpu' },
    { latencyRuns: 5, warmup: 2, throughputBatch: 4, throughputBatches: 3 },
  );
  assert.deepEqual(flopsAsked, [4], 'mean of 3, 4 and 6 tokens, rounded');
  assert.equal(cost.inferFlopsPerExample, 4000);
  assert.deepEqual(calls, [1, 1, 1, 1, 1, 1, 1, 4, 4, 4, 4], '2 warm-up + 5 timed single predictions, 1 warm-up + 3 timed batches');
  assert.equal(cost.params, 10);
  assert.equal(cost.nonEmbeddingParams, 4);
  assert.equal(cost.trainFlops, 123);
  assert.equal(cost.trainSeconds, 4.5);
  assert.equal(cost.backend, 'cpu');
  assert.ok(cost.latencyMsP95! >= cost.latencyMsP50! && cost.latencyMsP50! >= 0);
  assert.ok(cost.throughputPerS! > 0);
  assert.ok(cost.peakMemoryMB! > 10, 'maxRSS in MiB: a Node process holds more than 10 MiB');
});
