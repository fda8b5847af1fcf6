// Open Run, Export Model… and Delete Run: a run from the Runs view's context menu, or picked from every run of the
// workspace when the command comes from the palette.
import * as vscode from 'vscode';
import { cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../../engine/runs/process';
import { RunStore } from '../../engine/runs/store';
import { runReport } from '../reports/run-report';
import { describeRun, type RunEntry } from '../runs/catalog';
import type { Services } from '../services';
import { runOfNode } from '../views/runs-view';

export async function pickRun(s: Services, arg: unknown, filter: (e: RunEntry) => boolean, placeHolder: string, none: string): Promise<RunEntry | undefined> {
  const given = runOfNode(arg);
  if (given) return given;
  const entries = (await s.runs.allRuns()).filter(filter);
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(`Adapt Lab: ${none}`);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(entries.map((entry) => ({ ...describeRun(entry.run), entry })), { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return pick?.entry;
}

export async function openRun(s: Services, arg?: unknown): Promise<void> {
  const entry = await pickRun(s, arg, () => true, 'Open which run?', 'there are no runs yet; run an experiment first.');
  if (!entry) return;
  // Re-read: the tree node may be older than the record.
  const run = new RunStore(entry.runsDir).get(entry.run.id) ?? entry.run;
  await s.reports.show(`Run ${run.id}`, runReport(run, entry.dir, entry.modelDir !== undefined));
}

export async function exportModel(s: Services, arg?: unknown): Promise<void> {
  const entry = await pickRun(s, arg, (e) => e.modelDir !== undefined, 'Export the model of which run?',
    'no run has saved its model. Set "saveModels": true in the experiment (teachers of a distillation are always saved) and run it.');
  if (!entry?.modelDir) return;
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export Here', title: `Export the model of ${entry.run.id}` });
  if (!folder?.[0]) return;
  const target = path.join(folder[0].fsPath, entry.run.id);
  if (existsSync(target)) {
    void vscode.window.showWarningMessage(`Adapt Lab: ${target} already exists; choose another folder or delete it.`);
    return;
  }
  await cp(entry.modelDir, target, { recursive: true, errorOnExist: true });
  const how = entry.run.method === 'prompt'
    ? 'one Hugging Face folder per pattern (pattern-0, …) with adapt-lab.json describing the ensemble'
    : 'a Hugging Face folder (config.json, model.safetensors, tokenizer files) that transformers loads';
  void vscode.window.showInformationMessage(`Adapt Lab: exported ${entry.run.id} to ${target}: ${how}.`, 'Reveal').then((choice) => {
    if (choice === 'Reveal') void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(target));
  });
}

export async function deleteRun(s: Services, arg?: unknown): Promise<void> {
  const entry = await pickRun(s, arg, () => true, 'Delete which run?', 'there are no runs.');
  if (!entry) return;
  const { run } = entry;
  if (run.status === 'running' && run.pid !== undefined && isProcessAlive(run.pid)) {
    void vscode.window.showWarningMessage(`Adapt Lab: ${run.id} is running now (process ${run.pid}); cancel it first.`);
    return;
  }
  const ok = await vscode.window.showWarningMessage(`Delete run ${run.id}? Its folder (metrics, predictions${entry.modelDir ? ', saved model' : ''}) is removed; running the experiment again trains it anew.`, { modal: true }, 'Delete');
  if (ok !== 'Delete') return;
  new RunStore(entry.runsDir).remove(run.id);
  s.runs.refresh();
}
