import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expandCells } from '../../../src/engine/experiment/cells';
import type { RunRecord } from '../../../src/engine/runs/record';
import type { ClassificationMetrics } from '../../../src/engine/runs/metrics';
import { baseExperiment, parse } from '../experiment/helpers';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export function tempDir(): { dir: string; done: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-runs-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

export function sampleGrid() {
  const experiment = parse(baseExperiment());
  return { experiment, cells: expandCells(experiment) };
}

export function metricsFor(accuracy: number, macroF1: number): ClassificationMetrics {
  return {
    accuracy,
    macroF1,
    perClass: {
      ham: { precision: 0.9, recall: 0.95, f1: 0.925, support: 20 },
      spam: { precision: 0.8, recall: 0.7, f1: 0.75, support: 10 },
    },
    confusion: { labels: ['ham', 'spam'], matrix: [[19, 1], [3, 7]] },
  };
}

/** A finished run record with the given identity and results. */
export function doneRun(over: Partial<RunRecord> & Pick<RunRecord, 'method' | 'model' | 'trainSize' | 'seed'>): RunRecord {
  const id = `${over.method}__${over.model.replace(/\W/g, '_')}__n${over.trainSize}__s${over.seed}__${over.teacher ? 't' : ''}0000000${over.seed}`;
  return {
    id,
    cellId: id.slice(0, -10),
    experiment: 'sms',
    training: {},
    status: 'done',
    attempt: 1,
    metrics: metricsFor(0.9, 0.85),
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}
