// How many FLOPs per second this machine's backend sustains when training a BERT, measured in about a second so
// that a dry run can turn FLOP counts into time estimates. It times real training steps (forward and backward of a
// BERT-tiny-shaped classifier, 16 sequences of 48 tokens) rather than a bare matrix product, because training also
// spends time in embeddings, softmax, LayerNorm and memory traffic that a matmul benchmark would not see.
import * as tf from '@tensorflow/tfjs';
import { Bert } from '../model/bert';
import { parseBertConfig } from '../model/config';
import { crossEntropy } from '../model/loss';
import { Rng } from '../rng';
import { encoderForwardFlops, headForwardFlops, shapeOf, trainStepFlops } from './flops';

export interface MeasuredRate {
  /** Sustained training GFLOP/s (median of the timed steps). */
  gflops: number;
  /** One sentence on how it was measured, for the user. */
  how: string;
}

export async function measureTrainingRate(opts: { steps?: number; batch?: number; seqLen?: number } = {}): Promise<MeasuredRate> {
  const steps = opts.steps ?? 3;
  const batch = opts.batch ?? 16;
  const seqLen = opts.seqLen ?? 48;
  const config = parseBertConfig(
    { hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 512, vocab_size: 30522, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 },
    'rate benchmark',
  );
  // Bert.create leaves each variable's initial tensor behind; the tidy frees them (variables survive a tidy).
  let created: Bert | undefined;
  tf.tidy(() => {
    created = Bert.create(config, { heads: { mlm: false, classifier: { numLabels: 2 } }, seed: 1 });
  });
  const model = created!;
  const rng = new Rng(1);
  const ids = Int32Array.from({ length: batch * seqLen }, () => 1000 + rng.int(29000));
  const inputIds = tf.tensor2d(ids, [batch, seqLen], 'int32');
  const tokenTypeIds = tf.zeros([batch, seqLen], 'int32') as tf.Tensor2D;
  const attentionMask = tf.ones([batch, seqLen], 'int32') as tf.Tensor2D;
  const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 2), 'int32');
  const vars = [...model.trainableParams('classifier').values()];
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => crossEntropy(model.classifyLogits({ inputIds, tokenTypeIds, attentionMask }), labels), vars);
      // Reading one value back waits for the whole step on asynchronous backends.
      value.dataSync();
      Object.values(grads).forEach((g) => g.dispose());
    });
  try {
    step(); // warm-up: kernels compiled, buffers allocated
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      step();
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((a, b) => a - b);
    const seconds = times[Math.floor(times.length / 2)];
    const shape = shapeOf(config);
    const flops = trainStepFlops(batch * (encoderForwardFlops(shape, seqLen) + headForwardFlops(shape, { kind: 'classifier', numLabels: 2 })));
    const gflops = flops / seconds / 1e9;
    return {
      gflops,
      how: `measured ${gflops.toFixed(2)} GFLOP/s on ${tf.getBackend()} over ${steps} training steps of a BERT-tiny-shaped classifier (batch ${batch} × ${seqLen} tokens); larger models usually run faster per FLOP, so their estimates lean long`,
    };
  } finally {
    model.dispose();
    tf.dispose([inputIds, tokenTypeIds, attentionMask, labels]);
  }
}
