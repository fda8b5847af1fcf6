import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../../../src/engine/errors';
import { runDistill, type DistillInput } from '../../../src/engine/methods/distill';
import { runFinetune } from '../../../src/engine/methods/finetune';
import { CancelledError, type BaseModel, type Predictor, type TextInput } from '../../../src/engine/methods/types';
import type { Tokenizer } from '../../../src/engine/tokenizer';
import { DEFAULT_TRAINING, fixtureTokenizer, LABELS, quick, recorder, sentiment, startBackend, tinyConfig } from './helpers';

/** Passes everything to the real teacher, counting the inputs it is asked to predict. */
class CountingPredictor implements Predictor {
  predicted = 0;
  constructor(private readonly inner: Predictor) {}
  get labels() {
    return this.inner.labels;
  }
  predict(inputs: readonly TextInput[], opts?: { batchSize?: number }) {
    this.predicted += inputs.length;
    return this.inner.predict(inputs, opts);
  }
  inferFlops(tokens: number) {
    return this.inner.inferFlops(tokens);
  }
  inputLength(input: TextInput) {
    return this.inner.inputLength(input);
  }
  save(dir: string) {
    return this.inner.save(dir);
  }
  dispose() {
    this.inner.dispose();
  }
}

let tokenizer: Tokenizer;
let student: BaseModel;
let teacher: CountingPredictor;
const tmp = mkdtempSync(path.join(tmpdir(), 'adapt-lab-distill-'));
const teacherDir = path.join(tmp, 'teacher-run');
const train = sentiment(10, 1);
const pool = sentiment(50, 9).map(({ text, line }) => ({ text, line }));

before(async () => {
  await startBackend();
  tokenizer = await fixtureTokenizer();
  student = { name: 'tiny-student', config: tinyConfig({ intermediate_size: 32 }), tokenizer };
  // A fine-tuned teacher (another size than the student) that knows the task well.
  const t = await runFinetune({ method: 'finetune', model: { name: 'tiny-teacher', config: tinyConfig(), tokenizer }, labels: LABELS, train: sentiment(40, 5), pool: [], seed: 3, reporter: recorder(),
    training: quick(DEFAULT_TRAINING.finetune, { maxSteps: 60, learningRate: 3e-3 }) });
  teacher = new CountingPredictor(t.predictor);
});
after(() => {
  teacher.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const input = (overrides: Partial<DistillInput> = {}, training: Partial<DistillInput['training']> = {}): DistillInput => ({
  method: 'distill', model: student, labels: LABELS, train, pool, seed: 1, reporter: recorder(),
  teacher: { predictor: teacher, runDir: teacherDir, labeled: 40 },
  training: { ...quick(DEFAULT_TRAINING.distill, { epochs: 12, learningRate: 3e-3 }), unlabeledCap: 30, ...training }, ...overrides,
});
const handFlops = (T: number) => T * (8 * 32 * 32 + 4 * 32 * 64 + 4 * T * 32) + (2 * 32 * 32 + 2 * 32 * 2);

test('distillation: teacher soft labels on labeled + capped pool, cached once; the student learns them; costs', async () => {
  const start = tf.memory().numTensors;
  const reporter = recorder();
  const before = teacher.predicted;
  const out = await runDistill(input({ reporter }));
  assert.equal(teacher.predicted - before, 40, 'the teacher labels the 10 labeled and 30 sampled pool examples, once each');
  // 12 epochs over 40 examples in batches of 8.
  assert.equal(out.steps, 60);
  const losses = reporter.steps.map((s) => s.loss);
  assert.ok(mean(losses.slice(-10)) < mean(losses.slice(0, 10)) * 0.5, `KD loss ${mean(losses.slice(0, 10))} → ${mean(losses.slice(-10))}`);
  assert.deepEqual(out.data, { labeled: 40, unlabeled: 30 }, "the teacher's 40 labeled examples, and the 30 pool examples it labeled");

  // The cache: one file next to the teacher's run, log-probabilities of the teacher's predictions.
  const files = readdirSync(path.join(teacherDir, 'soft-labels'));
  assert.equal(files.length, 1);
  const cached = JSON.parse(readFileSync(path.join(teacherDir, 'soft-labels', files[0]), 'utf8'));
  assert.deepEqual(cached.labels, LABELS);
  assert.equal(cached.logProbs.length, 40);
  const first = await teacher.predict([train[0]]);
  assert.ok(Math.abs(cached.logProbs[0][1] - Math.log(first[0][1])) < 1e-6);

  // No dev set: the auxiliary inference is the teacher's labeling, whose FLOPs the cache keeps.
  assert.ok(out.flops.auxiliaryInference > 0 && out.flops.auxiliaryInference === cached.flops);
  assert.ok(out.flops.train > 0);

  // The student agrees with its teacher on held-out text.
  const tests = sentiment(20, 21);
  const [s, t] = [await out.predictor.predict(tests), await teacher.predict(tests)];
  const agreement = mean(s.map((row, i) => ((row[1] > row[0]) === (t[i][1] > t[i][0]) ? 1 : 0)));
  assert.ok(agreement >= 0.9, `agreement ${agreement}`);
  out.predictor.dispose();
  assert.equal(tf.memory().numTensors, start);
});

test('the teacher\'s inference FLOPs: its inputs batched as its predict batches them, longest first', async () => {
  const runDir = path.join(tmp, 'teacher-flops');
  const out = await runDistill(input({ teacher: { predictor: teacher, runDir, labeled: 40 } }, { unlabeledCap: 1000, maxSteps: 1, epochs: undefined }));
  assert.deepEqual(out.data, { labeled: 40, unlabeled: 50 }, 'a cap above the pool size takes the whole pool');
  // 60 inputs in predict batches of 32: 32 rows padded to the longest, then 28 padded to the 33rd longest.
  const lengths = [...train, ...pool].map((e) => tokenizer.encode(e.text).inputIds.length).sort((a, b) => b - a);
  assert.equal(out.flops.auxiliaryInference, 32 * handFlops(lengths[0]) + 28 * handFlops(lengths[32]));
  out.predictor.dispose();
});

test('soft-label cache: a second distillation from the same teacher and pool runs no teacher inference', async () => {
  const runDir = path.join(tmp, 'teacher-cache');
  const first = await runDistill(input({ teacher: { predictor: teacher, runDir, labeled: 40 } }));
  const before = teacher.predicted;
  const reporter = recorder();
  // Another student temperature and another student model: the log-probabilities serve any of them.
  const other = { ...student, name: 'tiny-student-2', config: tinyConfig({ hidden_size: 16 }) };
  const second = await runDistill(input({ model: other, reporter, teacher: { predictor: teacher, runDir, labeled: 40 } }, { temperature: 4 }));
  assert.equal(teacher.predicted, before, 'no teacher inference');
  assert.ok(reporter.logs.some((l) => l.startsWith('reused the teacher\'s soft labels for 40 examples')));
  assert.equal(second.flops.auxiliaryInference, first.flops.auxiliaryInference, 'the labeling cost is counted for every student');
  assert.equal(readdirSync(path.join(runDir, 'soft-labels')).length, 1);
  // Another seed draws another pool sample: another cache entry, labeled by the teacher.
  const third = await runDistill(input({ seed: 2, teacher: { predictor: teacher, runDir, labeled: 40 } }, { maxSteps: 1, epochs: undefined }));
  assert.ok(teacher.predicted > before);
  assert.equal(readdirSync(path.join(runDir, 'soft-labels')).length, 2);
  for (const o of [first, second, third]) o.predictor.dispose();
});

test('α = 1 without unlabeled data is exactly fine-tuning: the KD term gets weight 0', async () => {
  const training = { ...quick(DEFAULT_TRAINING.distill, { maxSteps: 15, learningRate: 3e-3 }), alpha: 1, unlabeledCap: 0 };
  const d = recorder();
  const distilled = await runDistill(input({ reporter: d, teacher: { predictor: teacher, runDir: path.join(tmp, 'alpha'), labeled: 10 } }, training));
  const f = recorder();
  const tuned = await runFinetune({ method: 'finetune', model: student, labels: LABELS, train, pool: [], seed: 1, reporter: f, training });
  assert.deepEqual(d.steps.map((s) => s.loss), f.steps.map((s) => s.loss));
  assert.deepEqual(distilled.data, { labeled: 10, unlabeled: 0 });
  distilled.predictor.dispose();
  tuned.predictor.dispose();
});

test('α mixes cross-entropy on the labeled rows with the KD loss', async () => {
  const runDir = path.join(tmp, 'mix');
  const losses = async (alpha: number) => {
    const r = recorder();
    const o = await runDistill(input({ reporter: r, teacher: { predictor: teacher, runDir, labeled: 10 } }, { alpha, unlabeledCap: 0, batchSize: 10, maxSteps: 1, epochs: undefined }));
    o.predictor.dispose();
    return r.steps[0].loss;
  };
  // One batch holding all 10 labeled rows, same seeds: the first loss is linear in α.
  const [ce, kd, half] = [await losses(1), await losses(0), await losses(0.5)];
  assert.ok(Math.abs(half - (0.5 * ce + 0.5 * kd)) < 1e-5, `${half} vs ${0.5 * ce + 0.5 * kd}`);
  assert.ok(Math.abs(ce - kd) > 0.01);
});

test('a teacher for other labels is refused; cancellation frees everything', async () => {
  await assert.rejects(runDistill(input({ labels: ['positive', 'negative'] })), (e) => e instanceof UserError && /teacher predicts the labels negative, positive/.test(e.message));
  const start = tf.memory().numTensors;
  const controller = new AbortController();
  const reporter = recorder();
  reporter.step = (s) => {
    if (s.step === 2) controller.abort();
  };
  await assert.rejects(runDistill(input({ reporter, signal: controller.signal, teacher: { predictor: teacher, runDir: path.join(tmp, 'cancel'), labeled: 40 } })), CancelledError);
  assert.equal(tf.memory().numTensors, start);
});
