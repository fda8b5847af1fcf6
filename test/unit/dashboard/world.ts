// A run store on disk for the dashboard's extension-side tests: the hand-made study of test/unit/analysis/study.ts
// written as real run folders (run.json, metrics.jsonl, predictions.jsonl) with an experiment file and a 50-row
// test set. Each run gets the first round(accuracy × 50) test examples right, so paired tests have known answers.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../../src/engine/runs/record';
import { studyRuns } from '../analysis/study';

export const TEST_SIZE = 50;
export const goldOf = (i: number) => (i % 5 === 0 ? 'spam' : 'ham');

export interface StoreWorld {
  dir: string;
  runsDir: string;
  experimentFile: string;
  runs: RunRecord[];
  writeRun(run: RunRecord): void;
  dispose(): void;
}

export function makeStore(runs: RunRecord[] = studyRuns()): StoreWorld {
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-dash-'));
  const runsDir = path.join(dir, '.adapt-lab', 'runs');
  const experimentFile = path.join(dir, 'study.experiment.json');
  writeFileSync(experimentFile, JSON.stringify({
    name: 'study', dataset: { train: 'train.jsonl', test: 'test.jsonl' }, models: ['google/bert_uncased_L-2_H-128_A-2'],
    trainSizes: [10], seeds: [1], methods: ['finetune'],
  }));
  const rows = Array.from({ length: TEST_SIZE }, (_, i) => JSON.stringify({ text: `message number ${i} <b>bold</b>`, label: goldOf(i) }));
  writeFileSync(path.join(dir, 'test.jsonl'), rows.join('\n') + '\n');
  writeFileSync(path.join(dir, 'train.jsonl'), rows.join('\n') + '\n');
  const writeRun = (run: RunRecord) => {
    const folder = path.join(runsDir, run.id);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'run.json'), JSON.stringify({ ...run, experimentFile, labels: ['ham', 'spam'] }, null, 2));
    if (run.metrics) {
      const right = Math.round(run.metrics.accuracy * TEST_SIZE);
      const preds = Array.from({ length: TEST_SIZE }, (_, i) => {
        const label = goldOf(i);
        const predicted = i < right ? label : label === 'ham' ? 'spam' : 'ham';
        return JSON.stringify({ index: i, label, predicted, probs: predicted === 'ham' ? [0.9, 0.1] : [0.1, 0.9] });
      });
      writeFileSync(path.join(folder, 'predictions.jsonl'), preds.join('\n') + '\n');
      const log = [{ step: 1, loss: 0.9, lr: 1e-4 }, { step: 2, loss: 0.7, lr: 5e-5 }, { step: 2, split: 'test', accuracy: run.metrics.accuracy, macroF1: run.metrics.macroF1 }];
      writeFileSync(path.join(folder, 'metrics.jsonl'), log.map((l) => JSON.stringify(l)).join('\n') + '\n');
    }
  };
  for (const r of runs) writeRun(r);
  return { dir, runsDir, experimentFile, runs, writeRun, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
