// `npm run bench`: how fast the engine trains and predicts, per backend and thread count, next to PyTorch doing the
// same step in the same run. Prints ratios, never pass/fail: timings depend on the machine and what else runs on it.
//
// Shapes: BERT-tiny (L2/H128) and BERT-mini (L4/H256) with the 30,522-token vocabulary, batch 16 × 128 tokens.
// Cases: train_cls (classification loss, AdamW step over encoder + pooler + classifier), train_mlm (masked-LM loss,
// full vocabulary, one [MASK] per example — prompting's shape before restricting to the verbalizer), infer_cls
// (classification forward). Each configuration runs in its own child process: a backend's thread pool is fixed when
// it starts, and each child's peak memory is then its own.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendPreference } from '../src/engine/backend/select';
import { Bert } from '../src/engine/model/bert';
import { isUserError } from '../src/engine/errors';
import { parseBertConfig } from '../src/engine/model/config';
import { crossEntropy } from '../src/engine/model/loss';
import { Rng } from '../src/engine/rng';
import { AdamW } from '../src/engine/train/adamw';
import { trainStep } from '../src/engine/train/step';

const MODELS = {
  tiny: { layers: 2, hidden: 128, heads: 2, intermediate: 512 },
  mini: { layers: 4, hidden: 256, heads: 4, intermediate: 1024 },
} as const;
type ModelName = keyof typeof MODELS;
const CASES = ['train_cls', 'train_mlm', 'infer_cls'] as const;
type CaseName = (typeof CASES)[number];
const B = 16;
const T = 128;
const V = 30522;

interface Result {
  model: ModelName;
  case: CaseName;
  backend: string;
  threads: number;
  seconds: number;
}
interface ChildSpec {
  backend: BackendPreference;
  threads: number;
  models: ModelName[];
  cases: CaseName[];
  steps: number;
}

function config(m: ModelName) {
  const s = MODELS[m];
  return parseBertConfig(
    { vocab_size: V, hidden_size: s.hidden, num_hidden_layers: s.layers, num_attention_heads: s.heads, intermediate_size: s.intermediate, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 },
    `bench:${m}`,
  );
}

/** A batch like the PyTorch twin's: random ids, lengths T/2..T, one [MASK] per example in the middle of its text. */
function batch(seed: number) {
  const rng = new Rng(seed);
  const ids = new Int32Array(B * T);
  const mask = new Int32Array(B * T);
  const positions: number[] = [];
  const mlmLabels: number[] = [];
  const labels: number[] = [];
  for (let b = 0; b < B; b++) {
    const len = T / 2 + rng.int(T / 2 + 1);
    for (let t = 0; t < len; t++) {
      ids[b * T + t] = 1000 + rng.int(V - 1000);
      mask[b * T + t] = 1;
    }
    const p = b * T + Math.floor(len / 2);
    positions.push(p);
    mlmLabels.push(ids[p]);
    ids[p] = 103;
    labels.push(rng.int(2));
  }
  return {
    inputs: { inputIds: tf.tensor2d(ids, [B, T], 'int32'), tokenTypeIds: tf.zeros([B, T], 'int32') as tf.Tensor2D, attentionMask: tf.tensor2d(mask, [B, T], 'int32') },
    positions: tf.tensor1d(positions, 'int32'),
    mlmLabels: tf.tensor1d(mlmLabels, 'int32'),
    labels: tf.tensor1d(labels, 'int32'),
  };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function child(spec: ChildSpec): Promise<void> {
  process.env.ADAPT_LAB_THREADS = String(spec.threads);
  const info = await initBackend(spec.backend);
  const data = batch(0);
  for (const m of spec.models) {
    const bert = Bert.create(config(m), { heads: { mlm: true, classifier: { numLabels: 2 } }, seed: 0 });
    for (const c of spec.cases) {
      let run: () => void;
      if (c === 'infer_cls') {
        run = () => tf.tidy(() => bert.classifyLogits(data.inputs).dataSync());
      } else {
        const params = bert.trainableParams(c === 'train_cls' ? 'classifier' : 'mlm');
        const optimizer = new AdamW(params);
        const loss =
          c === 'train_cls'
            ? () => crossEntropy(bert.classifyLogits(data.inputs), data.labels)
            : () => crossEntropy(bert.mlmLogits(data.inputs, data.positions), data.mlmLabels);
        run = () => void trainStep({ params, loss, optimizer, lr: 1e-4, maxGradNorm: 1 });
      }
      run(); // warm-up: kernels compiled, buffers allocated
      const times: number[] = [];
      for (let i = 0; i < spec.steps; i++) {
        const t0 = performance.now();
        run();
        times.push((performance.now() - t0) / 1000);
      }
      const r: Result = { model: m, case: c, backend: info.name, threads: info.threads, seconds: median(times) };
      process.stdout.write(JSON.stringify(r) + '\n');
    }
    bert.dispose();
  }
  // maxRSS is in kilobytes: the peak resident memory of this child, i.e. of this configuration.
  process.stdout.write(JSON.stringify({ peakRssMB: process.resourceUsage().maxRSS / 1024, backend: info.name, threads: info.threads, models: spec.models }) + '\n');
}

function runChild(spec: ChildSpec): { results: Result[]; peakRssMB?: number; error?: string } {
  const r = spawnSync(process.execPath, [__filename, '--child', JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const error = r.status === 0 ? undefined : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
  return { results: lines.filter((l) => 'case' in l), peakRssMB: lines.find((l) => 'peakRssMB' in l)?.peakRssMB, error };
}

/** A Python that imports torch: $ADAPT_LAB_TORCH_PYTHON (a virtual environment, say), else Debian's python3. */
function torchPython(): string | undefined {
  const candidates = [process.env.ADAPT_LAB_TORCH_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  return candidates.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

async function main(): Promise<void> {
  const steps = Number(process.env.BENCH_STEPS ?? 5);
  const cores = availableParallelism();
  const threadCounts = cores > 1 ? [1, 2] : [1];
  const results: Result[] = [];
  const memory: string[] = [];
  const models = Object.keys(MODELS) as ModelName[];

  // BENCH_BACKENDS=wasm,node measures only those (the cpu backend alone takes minutes).
  const wanted = (process.env.BENCH_BACKENDS ?? 'node,wasm,cpu').split(',').map((b) => b.trim());
  backends: for (const backend of (['node', 'wasm', 'cpu'] as const).filter((b) => wanted.includes(b))) {
    for (const threads of backend === 'cpu' ? [1] : threadCounts) {
      // The cpu backend is pure JavaScript (~100× slower): one step of BERT-tiny only, to show the gap.
      for (const model of backend === 'cpu' ? (['tiny'] as const) : models) {
        const spec: ChildSpec =
          backend === 'cpu'
            ? { backend, threads, models: [model], cases: ['infer_cls', 'train_cls'], steps: 1 }
            : { backend, threads, models: [model], cases: [...CASES], steps };
        process.stderr.write(`bench: ${backend}, ${threads} thread(s), ${model}…\n`);
        const r = runChild(spec);
        if (r.error && r.results.length === 0) {
          process.stderr.write(`bench: ${backend} not measured: ${r.error}\n`);
          continue backends;
        }
        results.push(...r.results);
        const used = r.results[0]?.threads ?? threads;
        if (r.peakRssMB !== undefined) memory.push(`${model} on ${backend} (${used} thread(s)), training and inference: peak RSS ${r.peakRssMB.toFixed(0)} MB`);
      }
    }
  }

  const torch = new Map<string, number>();
  const python = torchPython();
  if (python) {
    for (const threads of threadCounts) {
      process.stderr.write(`bench: PyTorch, ${threads} thread(s)…\n`);
      const cfg = { models: MODELS, batch: B, seq: T, vocab: V, threads: [threads], steps };
      // torch.set_num_threads governs torch's own pool, not OpenBLAS's: without these, "1 thread" uses every core.
      const pool = String(threads);
      const env = { ...process.env, OMP_NUM_THREADS: pool, OPENBLAS_NUM_THREADS: pool, MKL_NUM_THREADS: pool };
      const r = spawnSync(python, [join(__dirname, '..', 'bench', 'torch_bert.py'), JSON.stringify(cfg)], { encoding: 'utf8', env });
      for (const l of r.stdout.split('\n').filter((x) => x.startsWith('{'))) {
        const j = JSON.parse(l);
        torch.set(`${j.model}/${j.case}/${j.threads}`, j.seconds_per_step);
      }
      if (r.status !== 0) process.stderr.write(`bench: PyTorch failed: ${r.stderr.trim().split('\n').pop()}\n`);
    }
  } else {
    process.stderr.write('bench: no PyTorch baseline (apt-get install python3-torch libopenblas0-pthread, or set ADAPT_LAB_TORCH_PYTHON, to add one)\n');
  }

  const rows = results.map((r) => {
    const t = torch.get(`${r.model}/${r.case}/${r.threads}`);
    return [r.model, r.case, r.backend, String(r.threads), r.seconds.toFixed(3), (B / r.seconds).toFixed(1), t ? t.toFixed(3) : '-', t ? (r.seconds / t).toFixed(2) : '-'];
  });
  const head = ['model', 'case', 'backend', 'threads', 's/step', 'ex/s', 'torch s/step', 'ours/torch'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`batch ${B} × seq ${T}, vocab ${V}; median of ${steps} steps after one warm-up; ${cores} cores`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log('');
  for (const m of memory) console.log(m);
}

if (process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3])).catch((e) => {
    process.stderr.write(`${isUserError(e) ? e.format() : e instanceof Error ? e.stack : e}\n`);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
