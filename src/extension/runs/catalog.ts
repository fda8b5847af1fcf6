// Every run the workspace knows of: the runs folders beside its experiment files (the engine's default,
// `.adapt-lab/runs`) and the configured adaptLab.runsFolder, read through the engine's run store. Used by the Runs
// view, Open Run, Export Model, the distillation flow and active learning. Pure Node, unit-tested.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../../engine/runs/record';
import { defaultRunsDir, RunStore } from '../../engine/runs/store';

export interface RunEntry {
  run: RunRecord;
  runsDir: string;
  /** The run's folder. */
  dir: string;
  /** Its saved model folder (model/, with adapt-lab.json), when it saved one. */
  modelDir?: string;
}

/** A saved predictor's folder holds adapt-lab.json (as the grid runner checks; its module loads TF.js, so not imported here). */
export function savedModelExists(modelDir: string): boolean {
  return existsSync(path.join(modelDir, 'adapt-lab.json'));
}

/** The runs folders to look in, each once: configured ones first, then those beside the experiment files. */
export function runsFolders(experimentFiles: readonly string[], configured: readonly string[]): string[] {
  const all = [...configured.map((d) => path.resolve(d)), ...experimentFiles.map(defaultRunsDir)];
  return [...new Set(all)];
}

export function listRuns(folders: readonly string[]): { entries: RunEntry[]; problems: string[] } {
  const entries: RunEntry[] = [];
  const problems: string[] = [];
  for (const runsDir of folders) {
    const store = new RunStore(runsDir);
    const listing = store.list();
    problems.push(...listing.problems.map((p) => p.format()));
    for (const run of listing.runs) {
      const modelDir = store.modelDir(run.id);
      entries.push({ run, runsDir: store.dir, dir: store.runDir(run.id), ...(savedModelExists(modelDir) ? { modelDir } : {}) });
    }
  }
  return { entries, problems };
}

/** The short description people pick a run by: method, model, train size, seed, accuracy. */
export function describeRun(run: RunRecord): { label: string; description: string; detail: string } {
  const method = run.method === 'prompt' && run.zeroShot ? 'prompt (zero-shot)' : run.method;
  const accuracy = run.metrics ? `accuracy ${(100 * run.metrics.accuracy).toFixed(1)}%, macro-F1 ${(100 * run.metrics.macroF1).toFixed(1)}%` : run.status;
  return {
    label: `${method} · ${run.model}`,
    description: `${run.trainSize === 'all' ? 'all' : run.trainSize} labeled · seed ${run.seed} · ${accuracy}`,
    detail: `${run.experiment} — ${run.id}${run.error ? ` — ${run.error}` : ''}`,
  };
}

/** Runs that can teach a student: done, fine-tuned or prompted on labeled examples (not zero-shot), model saved. */
export function teacherCandidates(entries: readonly RunEntry[]): RunEntry[] {
  return entries.filter((e) => e.run.status === 'done' && (e.run.method === 'finetune' || e.run.method === 'prompt') && e.run.trainSize !== 0 && e.modelDir !== undefined);
}
