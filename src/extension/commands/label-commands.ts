// Label Data… (a dataset file in the labeling editor) and Label Next Uncertain Examples (active learning: one or
// two finished runs predict the unlabeled rows in the worker, and the labeling editor presents them most
// uncertain — or most disagreed on — first, with the suggestion).
import * as vscode from 'vscode';
import path from 'node:path';
import { rankByDisagreement, rankByEntropy } from '../active-learning/rank';
import { formatOfFile, parseLabelingDocument } from '../labeling/dataset-doc';
import { LABELING_VIEW_TYPE, type LabelingEditorProvider } from '../labeling/labeling-editor';
import type { Queue, Suggestion } from '../labeling/session';
import { describeRun } from '../runs/catalog';
import type { Services } from '../services';
import { activeLearningPoolSize } from '../settings';
import { requireTrust } from '../trust';
import { DATASET_GLOB } from '../views/datasets-view';
import { chooseFile, showFailure } from './common';

function chooseDataset(arg: unknown, active?: vscode.TextDocument): Promise<string | undefined> {
  if (active && arg === undefined) return Promise.resolve(active.fileName);
  return chooseFile(arg, undefined, async () => (await vscode.workspace.findFiles(DATASET_GLOB, '**/{node_modules,.git,.adapt-lab}/**', 1000)).map((u) => u.fsPath).sort(), 'dataset file to label');
}

export async function labelData(arg?: unknown): Promise<void> {
  const active = vscode.window.activeTextEditor?.document;
  const file = await chooseDataset(arg, active && formatOfFile(active.fileName) ? active : undefined);
  if (!file) return;
  if (!formatOfFile(file)) {
    void vscode.window.showWarningMessage(`Adapt Lab: ${path.basename(file)} is not a JSON Lines, CSV or TSV file.`);
    return;
  }
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), LABELING_VIEW_TYPE);
}

/**
 * Ranks the dataset's unlabeled rows with one or two helper runs and opens the labeling editor in that order;
 * resolves with the queue. `helperRuns` ({runsDir, runId} each) skips the question of which runs help.
 */
export async function labelUncertain(s: Services, labeling: LabelingEditorProvider, arg?: unknown, helperRuns?: { runsDir: string; runId: string }[]): Promise<Queue | undefined> {
  if (!requireTrust('Active learning')) return undefined;
  const file = await chooseDataset(arg, labeling.activeDocument());
  if (!file) return undefined;
  const format = formatOfFile(file);
  if (!format) {
    void vscode.window.showWarningMessage(`Adapt Lab: ${path.basename(file)} is not a JSON Lines, CSV or TSV file.`);
    return undefined;
  }
  const helpers = (await s.runs.allRuns()).filter((e) => e.run.status === 'done' && e.modelDir !== undefined);
  if (helpers.length === 0) {
    void vscode.window.showInformationMessage('Adapt Lab: no finished run has saved its model to help. Set "saveModels": true in an experiment and run it.');
    return undefined;
  }
  const picked = Array.isArray(helperRuns)
    ? helperRuns.map((h) => ({ entry: helpers.find((e) => e.run.id === h.runId && path.resolve(e.runsDir) === path.resolve(h.runsDir)) }))
    : await vscode.window.showQuickPick(helpers.map((entry) => ({ ...describeRun(entry.run), entry })), {
        canPickMany: true,
        title: 'Helper run(s) for active learning',
        placeHolder: 'One run: its most uncertain rows first. Two runs (e.g. prompted and fine-tuned): the rows they disagree on most.',
        matchOnDescription: true,
      });
  if (!picked || picked.length === 0) return undefined;
  if (picked.some((p) => p.entry === undefined)) throw new Error('a helper run is not a finished run with a saved model');
  if (picked.length > 2) {
    void vscode.window.showWarningMessage('Adapt Lab: choose one helper run (uncertainty) or two (disagreement).');
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const parsed = parseLabelingDocument(doc.getText(), format);
  const limit = activeLearningPoolSize();
  const unlabeled = parsed.rows.filter((r) => r.label === undefined);
  const pool = unlabeled.slice(0, limit);
  if (pool.length === 0) {
    void vscode.window.showInformationMessage(`Adapt Lab: every row of ${path.basename(file)} is labeled.`);
    return undefined;
  }
  try {
    const result = await s.jobs.runInteractive(`Predict ${pool.length} rows for active learning`, {
      kind: 'predict',
      modelDirs: picked.map((p) => p.entry!.modelDir!),
      rows: pool.map((r) => (r.textPair !== undefined ? { text: r.text, textPair: r.textPair } : { text: r.text })),
    });
    const [a, b] = result.models;
    const ranked = b ? rankByDisagreement(a, b) : rankByEntropy(a);
    const suggestions = new Map<string, Suggestion>();
    for (const r of ranked) suggestions.set(pool[r.row].text, { label: r.label, confidence: r.confidence, score: r.score });
    const names = picked.map((p) => `${p.entry!.run.method} · ${p.entry!.run.model}`).join(' vs ');
    const title = b ? `Most disagreed-on first (${names})` : `Most uncertain first (${names})`;
    const capped = unlabeled.length > pool.length ? ` (the first ${pool.length} of ${unlabeled.length} unlabeled rows; adaptLab.activeLearning.poolSize)` : '';
    const queue: Queue = { title: title + capped, texts: ranked.map((r) => pool[r.row].text), suggestions };
    await labeling.openWithQueue(vscode.Uri.file(file), queue);
    return queue;
  } catch (e) {
    showFailure(e, 'Active learning predictions');
    return undefined;
  }
}
