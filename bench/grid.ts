// `npm run bench:grid`: a fixed small grid on SST-2 — fine-tuning and prompting a BERT-tiny-shaped model
// (L2/H128, randomly initialised: weights do not change what a step costs, and random init makes the benchmark the
// same on every machine), train sizes 32 and 320, two seeds — timed cell by cell through the real grid runner.
// Next to each cell's wall time it prints the training FLOPs the methods actually executed and those of the naive
// baseline the engine avoids: every sequence padded to 128 tokens, and prompting projecting the whole 30,522-word
// vocabulary at [MASK] instead of only the verbalizer's words. Their ratio is the work saved.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encoderForwardFlops, headForwardFlops, shapeOf, trainStepFlops } from '../src/engine/costs/flops';
import { runExperiment, type GridEvent } from '../src/engine/grid';
import { parseBertConfig } from '../src/engine/model/config';
import { compactBertConfig } from '../src/engine/pretrained';
import { loadTemplate } from '../src/engine/prompt/template';
import { formatEngineering } from '../src/engine/runs/report';
import { sharedData } from '../test/lib/shared';

const MODEL = 'google/bert_uncased_L-2_H-128_A-2';
const BASELINE_LENGTH = 128;
const BATCH = 16;
const STEPS = 30;

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..');
  const sst2 = path.join(sharedData, 'sst2');
  if (!existsSync(path.join(sst2, 'dev.jsonl'))) throw new Error(`SST-2 not found at ${sst2} (the benchmark reads ../shared/data/sst2 beside the repository, or $ADAPT_LAB_SHARED/data/sst2)`);
  const templateFile = path.join(repoRoot, 'templates', 'sst2.prompt.json');
  const template = await loadTemplate(templateFile);
  const patterns = template.patterns.length;
  const verbalizerWords = Object.values(template.verbalizer).flat().length;

  const work = mkdtempSync(path.join(tmpdir(), 'adapt-lab-bench-grid-'));
  const file = path.join(work, 'sst2-bench.experiment.json');
  const training = { batchSize: BATCH, maxSteps: STEPS, maxLength: BASELINE_LENGTH };
  writeFileSync(file, JSON.stringify({
    name: 'bench-grid-sst2',
    // The first training shard (33,675 rows) is plenty to draw 320 from; GLUE dev is the usual few-shot test set.
    dataset: { train: path.join(sst2, 'train-00000-of-00002.jsonl'), test: path.join(sst2, 'dev.jsonl') },
    prompt: templateFile,
    models: [MODEL],
    trainSizes: [32, 320],
    seeds: [1, 2],
    methods: ['finetune', 'prompt'],
    // No auxiliary MLM: it projects the full vocabulary by design and would blur what is compared here.
    training: { finetune: training, prompt: { ...training, auxMlmWeight: 0 } },
    allowRandomInit: true,
  }));

  const ends: Extract<GridEvent, { type: 'cell-end' }>[] = [];
  let backend = '';
  try {
    const result = await runExperiment(file, {
      runsDir: path.join(work, 'runs'),
      // An empty cache and no downloads: the random-init stand-in, whatever this machine has cached.
      resolve: { offline: true, cacheDir: path.join(work, 'empty-hub-cache'), env: {} },
      onEvent: (e) => {
        if (e.type === 'grid-start') backend = `${e.backend}, ${e.threads} thread(s)`;
        if (e.type === 'cell-start') process.stderr.write(`[${e.index + 1}/${e.total}] ${e.cellId}\n`);
        if (e.type === 'cell-end') ends.push(e);
      },
    });
    if (result.failed > 0) throw new Error(`${result.failed} cell(s) failed: ${result.cells.filter((c) => c.status === 'failed').map((c) => c.reason).join('; ')}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const shape = shapeOf(parseBertConfig(compactBertConfig(MODEL), MODEL));
  const encoder = encoderForwardFlops(shape, BASELINE_LENGTH);
  const classifierForward = encoder + headForwardFlops(shape, { kind: 'classifier', numLabels: 2 });
  const fullVocabForward = encoder + headForwardFlops(shape, { kind: 'mlm', maskCount: 1, vocabIds: shape.vocab });

  const rows = ends.map((e) => {
    const n = Number(/__n(\d+)__/.exec(e.cellId)![1]);
    const prompt = e.cellId.startsWith('prompt');
    // Every batch is full (32 and 320 are multiples of 16), so each step trains BATCH rows.
    const trainedRows = e.steps! * Math.min(BATCH, n);
    let baseline = trainedRows * trainStepFlops(prompt ? fullVocabForward : classifierForward);
    // PET's ensemble weights: each pattern model classifies the training set once before training.
    if (prompt && patterns > 1) baseline += patterns * n * fullVocabForward;
    return { cell: e.cellId, wall: e.seconds!, train: e.trainSeconds!, steps: e.steps!, executed: e.trainFlops!, baseline };
  });

  const head = ['cell', 'wall s', 'train s', 'steps', 'executed FLOPs', 'baseline FLOPs', 'saved'];
  const table = rows.map((r) => [r.cell, r.wall.toFixed(1), r.train.toFixed(1), String(r.steps), formatEngineering(r.executed), formatEngineering(r.baseline), `${(r.baseline / r.executed).toFixed(1)}×`]);
  for (const method of ['finetune', 'prompt']) {
    const mine = rows.filter((r) => r.cell.startsWith(method));
    const sum = (k: 'wall' | 'train' | 'executed' | 'baseline') => mine.reduce((a, r) => a + r[k], 0);
    table.push([`${method} (all cells)`, sum('wall').toFixed(1), sum('train').toFixed(1), String(mine.reduce((a, r) => a + r.steps, 0)),
      formatEngineering(sum('executed')), formatEngineering(sum('baseline')), `${(sum('baseline') / sum('executed')).toFixed(1)}×`]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  const out = [
    `bench:grid — SST-2, ${MODEL} shape (random init), train sizes 32/320 × seeds 1/2, ${STEPS} steps of ${BATCH}, maxLength ${BASELINE_LENGTH}; backend ${backend}`,
    line(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.map(line),
    '',
    'wall s: the whole cell (training, evaluation on the 872 dev sentences, cost measurement); train s: training alone.',
    `executed FLOPs: training as run (each batch padded to its own longest sentence; prompting projects only the ${verbalizerWords} verbalizer words at [MASK]), plus PET's train-set pass.`,
    `baseline FLOPs: the same steps with every sequence padded to ${BASELINE_LENGTH} and, for prompting, the full ${shape.vocab}-word vocabulary projected at [MASK].`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:grid: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
