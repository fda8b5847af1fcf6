// A hand-made study in the shape of Aina et al. (2022): two model sizes, fine-tuning, prompting (with zero-shot)
// and distillation into the small model from the large model's fine-tuned and prompted versions, 10 / 100 / 1000
// labels, two seeds. Accuracies are chosen so the expected results can be worked out by hand (see the tests).
import type { RunRecord } from '../../../src/engine/runs/record';
import { LARGE, run, SMALL } from './helpers';

type Acc = [number, number];
const SIZES: Record<string, { params: number; inferFlopsPerExample: number; latencyMsP50: number }> = { [SMALL]: { params: 4.4e6, inferFlopsPerExample: 1e8, latencyMsP50: 2 }, [LARGE]: { params: 11e6, inferFlopsPerExample: 4e8, latencyMsP50: 6 } };

function cell(method: RunRecord['method'], model: string, trainSize: number, acc: Acc, teacher?: 'finetune' | 'prompt'): RunRecord[] {
  return acc.map((accuracy, i) => run({
    method, model, trainSize, seed: i + 1, accuracy,
    ...(teacher ? { teacher: { runId: `${teacher}__large__n${trainSize}__s${i + 1}`, method: teacher, model: LARGE } } : {}),
    cost: { ...SIZES[model], trainFlops: trainSize === 0 ? 0 : trainSize * 1e9, trainSeconds: trainSize === 0 ? 0 : trainSize / 10 },
  }));
}

export function studyRuns(): RunRecord[] {
  return [
    ...cell('finetune', SMALL, 10, [0.50, 0.54]),
    ...cell('finetune', SMALL, 100, [0.70, 0.74]),
    ...cell('finetune', SMALL, 1000, [0.86, 0.88]),
    ...cell('prompt', SMALL, 0, [0.60, 0.60]),
    ...cell('prompt', SMALL, 10, [0.68, 0.72]),
    ...cell('prompt', SMALL, 100, [0.76, 0.78]),
    ...cell('prompt', SMALL, 1000, [0.84, 0.86]),
    ...cell('finetune', LARGE, 10, [0.52, 0.58]),
    ...cell('finetune', LARGE, 100, [0.78, 0.80]),
    ...cell('finetune', LARGE, 1000, [0.92, 0.94]),
    ...cell('prompt', LARGE, 0, [0.65, 0.65]),
    ...cell('prompt', LARGE, 10, [0.75, 0.79]),
    ...cell('prompt', LARGE, 100, [0.83, 0.85]),
    ...cell('prompt', LARGE, 1000, [0.90, 0.92]),
    ...cell('distill', SMALL, 10, [0.74, 0.76], 'prompt'),
    ...cell('distill', SMALL, 100, [0.80, 0.82], 'prompt'),
    ...cell('distill', SMALL, 10, [0.50, 0.52], 'finetune'),
    ...cell('distill', SMALL, 100, [0.74, 0.76], 'finetune'),
  ];
}
