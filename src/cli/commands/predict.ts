// `adapt-lab predict --run R --input in.jsonl [--out out.jsonl]`: classifies new text with a run's saved model.
// Each output line is {"label": predicted, "probs": {label: probability, ...}}, in input order.
import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { initBackend } from '../../engine/backend/select';
import { readJsonl, textFields } from '../../engine/data/jsonl';
import { UserError } from '../../engine/errors';
import { argmax } from '../../engine/grid/evaluate';
import { savedModelExists } from '../../engine/grid/run-cell';
import { loadPredictor } from '../../engine/methods/predictor';
import type { Predictor, TextInput } from '../../engine/methods/types';
import { RunStore } from '../../engine/runs/store';
import type { Command } from '../command';
import { optionalInt, reportStatus, requireString } from '../common';

/** Inputs classified per predict call: bounds memory on large files while keeping batches full. */
const CHUNK = 1024;

export const predict: Command = {
  summary: 'classify JSONL text with a finished run\'s saved model',
  usage: `adapt-lab predict --run R --input in.jsonl [--out out.jsonl] [--runs-dir D] [--batch-size N]

R is a run folder, or a run id looked up in --runs-dir (default .adapt-lab/runs). The run must have saved its
model (teachers of a distillation always do; set "saveModels": true in the experiment for the others).
Input: one JSON object per line, {"text": ..., "text_pair"?: ...}. Output (to --out, else stdout): one line per
input, {"label": the predicted label, "probs": {label: probability, ...}}.`,
  options: { run: { type: 'string' }, input: { type: 'string' }, out: { type: 'string' }, 'runs-dir': { type: 'string' }, 'batch-size': { type: 'string' } },
  async run(values) {
    const runArg = requireString(values, 'run', 'predict');
    const input = requireString(values, 'input', 'predict');
    const batchSize = optionalInt(values, 'batch-size', 1) ?? 32;
    const runsDir = typeof values['runs-dir'] === 'string' ? values['runs-dir'] : path.join('.adapt-lab', 'runs');
    const modelDir = path.join(findRunDir(runArg, runsDir), 'model');
    if (!savedModelExists(modelDir)) {
      throw new UserError('this run did not save its model', { file: modelDir, field: '--run' },
        'Set "saveModels": true in the experiment, delete the run folder, and run the experiment again.');
    }
    const backend = await initBackend();
    reportStatus(`backend: ${backend.name}, ${backend.threads} thread(s)`);
    const predictor = await loadPredictor(modelDir);
    const out: NodeJS.WritableStream = typeof values.out === 'string' ? createWriteStream(values.out) : process.stdout;
    try {
      let chunk: TextInput[] = [];
      for await (const row of readJsonl(input, input)) {
        chunk.push(textFields(row, input));
        if (chunk.length === CHUNK) {
          await writePredictions(out, predictor, chunk, batchSize);
          chunk = [];
        }
      }
      if (chunk.length > 0) await writePredictions(out, predictor, chunk, batchSize);
    } finally {
      predictor.dispose();
      if (out !== process.stdout) await new Promise<void>((resolve, reject) => (out as WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
    return 0;
  },
};

function findRunDir(arg: string, runsDir: string): string {
  if (existsSync(arg) && statSync(arg).isDirectory()) return arg;
  const store = new RunStore(runsDir);
  const dir = store.runDir(arg);
  if (!existsSync(dir)) {
    throw new UserError(`no run "${arg}" in ${store.dir}`, { field: '--run' },
      'Pass a run folder, or a run id from `adapt-lab report --json` together with --runs-dir for its folder.');
  }
  return dir;
}

async function writePredictions(out: NodeJS.WritableStream, predictor: Predictor, inputs: TextInput[], batchSize: number): Promise<void> {
  const probs = await predictor.predict(inputs, { batchSize });
  const labels = predictor.labels;
  const text = probs
    .map((p) => JSON.stringify({ label: labels[argmax(p)], probs: Object.fromEntries(labels.map((l, i) => [l, p[i]])) }))
    .join('\n') + '\n';
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}
