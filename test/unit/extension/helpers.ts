// A small world for the extension's unit tests: the reference fixture model (a real 2-layer BERT with the
// bert-base-uncased vocabulary), 24 training and 12 test SMS messages, a two-pattern template, and an experiment
// that fine-tunes for a few steps. Also the launch of the engine worker from source (tsx), as the extension
// launches dist/worker.js.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkerLaunch } from '../../../src/extension/jobs/worker-process';
import { fixtureDir as fixtureModel } from '../../lib/shared';
export { fixtureModel };

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The worker run from its TypeScript source, on this Node, with the wasm backend (cpu would take ten times longer). */
export function sourceWorker(env: NodeJS.ProcessEnv = {}): WorkerLaunch {
  return {
    script: path.join(repoRoot, 'src', 'engine', 'worker.ts'),
    execArgv: ['--import', 'tsx'],
    cwd: repoRoot,
    env: { ADAPT_LAB_BACKEND: 'wasm', HF_HUB_OFFLINE: '1', ...env },
  };
}

export function smsRows(file: 'train.jsonl' | 'test.jsonl', ham: number, spam: number): string {
  const lines = readFileSync(path.join(repoRoot, 'data', 'sms_spam', file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const pick = (label: string, n: number) => lines.filter((l) => JSON.parse(l).label === label).slice(0, n);
  return [...pick('ham', ham), ...pick('spam', spam)].join('\n') + '\n';
}

export interface World {
  dir: string;
  experimentFile: string;
  templateFile: string;
  runsDir: string;
  dispose(): void;
}

/** `finetune` on the fixture model for `maxSteps` steps (batch 4, length 32), 8 labeled examples, one seed. */
export function makeWorld(maxSteps = 3): World {
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-lab-ext-'));
  writeFileSync(path.join(dir, 'train.jsonl'), smsRows('train.jsonl', 16, 8));
  writeFileSync(path.join(dir, 'test.jsonl'), smsRows('test.jsonl', 8, 4));
  const templateFile = path.join(dir, 'spam.prompt.json');
  writeFileSync(templateFile, JSON.stringify({ patterns: ['{text} This message is [MASK].', '[MASK] message: {text}'], verbalizer: { ham: 'normal', spam: 'junk' } }, null, 2));
  const experimentFile = path.join(dir, 'tiny.experiment.json');
  writeFileSync(experimentFile, JSON.stringify({
    name: 'tiny',
    dataset: { train: 'train.jsonl', test: 'test.jsonl' },
    prompt: 'spam.prompt.json',
    models: [fixtureModel],
    trainSizes: [8],
    seeds: [1],
    methods: ['finetune'],
    training: { finetune: { maxSteps, batchSize: 4, maxLength: 32, evalEverySteps: 1000 } },
  }, null, 2));
  return { dir, experimentFile, templateFile, runsDir: path.join(dir, '.adapt-lab', 'runs'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
