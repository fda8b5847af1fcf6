// Run Experiment…, Estimate Cost of Experiment and creating a new experiment file. The experiment runs in the
// worker through the job queue; this module only chooses the file, saves it, and tells how the grid ended.
import * as vscode from 'vscode';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { estimateReport } from '../reports/estimate-report';
import type { JobResult } from '../../engine/worker/protocol';
import { confirmExperimentPaths } from '../experiment/path-guard';
import type { GridOutcome } from '../jobs/job-manager';
import type { Services } from '../services';
import { defaultModel, runsFolderFor } from '../settings';
import { requireTrust } from '../trust';
import { DATASET_GLOB } from '../views/datasets-view';
import { relativeFolder } from '../views/relative-folder';
import { fileOf, saveIfDirty, showFailure } from './common';

const NEW = '$(new-file) New experiment file…';

/** Runs the experiment through the job queue; resolves with how it ended (messages are shown, not awaited). */
export async function runExperiment(s: Services, arg?: unknown, only?: string): Promise<GridOutcome | undefined> {
  if (!requireTrust('Running an experiment')) return undefined;
  const file = await chooseExperiment(s, arg, true);
  if (!file) return undefined;
  await saveIfDirty(file);
  if (!(await confirmExperimentPaths(s, file))) return undefined;
  const outcome = await s.jobs.runExperiment(file, { runsDir: runsFolderFor(file), only });
  const name = path.basename(file);
  if (outcome.failure) {
    if (outcome.abandoned.length > 0 && !outcome.failure.cancelled) {
      void vscode.window
        .showErrorMessage(
          `Adapt Lab: ${outcome.failure.message}. ${outcome.abandoned.length} run(s) marked failed. Running the experiment again resumes it (finished cells are kept).`,
          'Run Again', 'Show Log',
        )
        .then((choice) => {
          if (choice === 'Run Again') void vscode.commands.executeCommand('adaptLab.runExperiment', vscode.Uri.file(file));
          if (choice === 'Show Log') s.jobs.output.show(true);
        });
    } else {
      showFailure(outcome.failure, `Running ${name}`);
    }
    return outcome;
  }
  const r = outcome.result!;
  const count = (status: string) => r.cells.filter((c) => c.status === status).length;
  const summary = `Adapt Lab: ${name} — ${count('done')} done, ${count('skipped')} skipped, ${r.failed} failed${r.cancelled ? ', cancelled' : ''}.`;
  const show = r.failed > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const actions = [...((await hasDashboard()) ? ['Open Dashboard'] : []), 'Show Runs', 'Show Log'];
  void show(summary, ...actions).then((choice) => {
    if (choice === 'Open Dashboard') void vscode.commands.executeCommand('adaptLab.openDashboard', vscode.Uri.file(file));
    if (choice === 'Show Runs') void vscode.commands.executeCommand('adaptLab.runs.focus');
    if (choice === 'Show Log') s.jobs.output.show(true);
  });
  return outcome;
}

/** Estimates the experiment in the worker and shows the estimate; resolves with it (undefined when it failed). */
export async function estimateCost(s: Services, arg?: unknown): Promise<Extract<JobResult, { kind: 'estimate' }> | undefined> {
  if (!requireTrust('Estimating an experiment')) return undefined;
  const file = await chooseExperiment(s, arg, false);
  if (!file) return undefined;
  await saveIfDirty(file);
  if (!(await confirmExperimentPaths(s, file))) return undefined;
  try {
    const result = await s.jobs.runInteractive(`Estimate ${path.basename(file)}`, { kind: 'estimate', experimentFile: file, runsDir: runsFolderFor(file) });
    await s.reports.show(`Cost of ${path.basename(file, '.experiment.json')}`, estimateReport(path.basename(file), result));
    return result;
  } catch (e) {
    showFailure(e, `Estimating ${path.basename(file)}`);
    return undefined;
  }
}

/** Whether the dashboard (a separate part of the extension) has registered its command. */
export async function hasDashboard(): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes('adaptLab.openDashboard');
}

/** The experiment named by `arg`, else the active one, else a pick (with "New experiment file…" when allowed). */
async function chooseExperiment(s: Services, arg: unknown, offerNew: boolean): Promise<string | undefined> {
  const given = fileOf(arg);
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document;
  if (active?.fileName.endsWith('.experiment.json')) return active.fileName;
  const files = await s.experiments.files();
  const items = files.map((f) => ({ label: path.basename(f), description: relativeFolder(f), file: f as string | undefined }));
  if (offerNew) items.push({ label: NEW, description: '', file: undefined });
  if (items.length === 0) {
    void vscode.window.showWarningMessage('Adapt Lab: there is no experiment file (*.experiment.json) in this workspace.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Choose the experiment to run' });
  if (!pick) return undefined;
  if (pick.file) return pick.file;
  await newExperiment();
  return undefined;
}

/** Writes a new experiment file from the workspace's data files, and opens it for editing (it is not run yet). */
export async function newExperiment(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Adapt Lab: open a folder first; the experiment file is created in it.');
    return undefined;
  }
  const name = await vscode.window.showInputBox({
    prompt: 'Name of the experiment (also its file name)',
    value: 'my-experiment',
    validateInput: (v) => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v) ? undefined : 'Letters, digits, ".", "_" and "-"'),
  });
  if (!name) return undefined;
  const file = path.join(folder.uri.fsPath, `${name}.experiment.json`);
  if (existsSync(file)) {
    void vscode.window.showWarningMessage(`Adapt Lab: ${path.basename(file)} already exists.`);
    return undefined;
  }
  const data = (await vscode.workspace.findFiles(DATASET_GLOB, '**/{node_modules,.git,.adapt-lab}/**', 200)).map((u) => u.fsPath).sort();
  const pickData = async (role: string) => {
    if (data.length === 0) return undefined;
    const pick = await vscode.window.showQuickPick(data.map((f) => ({ label: path.basename(f), description: vscode.workspace.asRelativePath(f), file: f })), { placeHolder: `The ${role} file` });
    return pick && path.relative(folder.uri.fsPath, pick.file).split(path.sep).join('/');
  };
  const train = (await pickData('training (labeled)')) ?? 'data/train.jsonl';
  const test = (await pickData('test (labeled)')) ?? 'data/test.jsonl';
  const experiment = {
    name,
    dataset: { train, test, textField: 'text', labelField: 'label' },
    models: [defaultModel()],
    trainSizes: [10, 100],
    seeds: [1, 2, 3],
    methods: ['finetune'],
  };
  writeFileSync(file, JSON.stringify(experiment, null, 2) + '\n', { flag: 'wx' });
  await vscode.window.showTextDocument(vscode.Uri.file(file));
  void vscode.window.showInformationMessage(`Adapt Lab: created ${path.basename(file)}. Check the fields, add "prompt" and "distill" methods if you like, then use Run in the file.`);
  return file;
}
