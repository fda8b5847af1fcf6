// New Prompt Template, Preview Prompt Template (zero-shot probabilities on 8 rows) and Zero-shot Accuracy on dev.
// The data comes from an experiment that uses the template (its training rows for the preview, its dev set — or
// test set when it has none — for accuracy); without one, the user picks a data file once per template.
import * as vscode from 'vscode';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveModel } from '../../engine/experiment/paths';
import type { DataSource, JobResult } from '../../engine/worker/protocol';
import { confirmTemplatePaths } from '../experiment/path-guard';
import { templateModel } from '../prompt/template-language';
import { experimentsUsing } from '../prompt/template-context';
import { accuracyReport, previewReport } from '../reports/preview-report';
import type { Services } from '../services';
import { defaultModel } from '../settings';
import { requireTrust } from '../trust';
import { DATASET_GLOB } from '../views/datasets-view';
import { chooseFile, saveIfDirty, showFailure } from './common';

const PREVIEW_ROWS = 8;
const DEFAULT_MAX_LENGTH = 256;

export async function newPromptTemplate(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Adapt Lab: open a folder first; the template is created in it.');
    return;
  }
  const name = await vscode.window.showInputBox({ prompt: 'Template name (file name without .prompt.json)', value: 'task', validateInput: (v) => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v) ? undefined : 'Letters, digits, ".", "_" and "-"') });
  if (!name) return;
  const labels = await vscode.window.showInputBox({ prompt: 'The labels of your data, comma-separated', value: 'negative, positive' });
  if (labels === undefined) return;
  const file = path.join(folder.uri.fsPath, `${name}.prompt.json`);
  if (existsSync(file)) {
    void vscode.window.showWarningMessage(`Adapt Lab: ${path.basename(file)} already exists.`);
    return;
  }
  const list = labels.split(',').map((l) => l.trim()).filter((l) => l !== '');
  const template = {
    description: `Prompt template for ${name}: a pattern with one [MASK], and for each label a word the model should predict there.`,
    model: defaultModel(),
    patterns: ['{text} It was [MASK].', '{text} All in all, it was [MASK].'],
    // Each label starts as its own name; the diagnostics say which ones are not single tokens and offer fixes.
    verbalizer: Object.fromEntries(list.map((l) => [l, l])),
  };
  writeFileSync(file, JSON.stringify(template, null, 2) + '\n', { flag: 'wx' });
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}

/** Zero-shot probabilities of the template on 8 rows, shown as a report; resolves with them (undefined on failure). */
export async function previewPromptTemplate(s: Services, arg?: unknown): Promise<Extract<JobResult, { kind: 'preview' }> | undefined> {
  if (!requireTrust('Previewing a prompt template')) return undefined;
  const file = await chooseTemplate(arg);
  if (!file) return undefined;
  await saveIfDirty(file);
  const data = await dataFor(s, file, 'train');
  if (!data) return undefined;
  if (!(await confirmTemplatePaths(s, file, data.source.file))) return undefined;
  const model = modelOf(file);
  try {
    const result = await s.jobs.runInteractive(`Preview ${path.basename(file)}`, { kind: 'preview', templateFile: file, model, data: data.source, rows: PREVIEW_ROWS, maxLength: data.maxLength });
    await s.reports.show(`Preview of ${path.basename(file, '.prompt.json')}`, previewReport(path.basename(file), path.basename(data.source.file), result));
    return result;
  } catch (e) {
    showFailure(e, `Previewing ${path.basename(file)}`);
    return undefined;
  }
}

/** Zero-shot accuracy of the template on the dev set (test set without one); resolves with it (undefined on failure). */
export async function zeroShotAccuracy(s: Services, arg?: unknown): Promise<Extract<JobResult, { kind: 'zero-shot-accuracy' }> | undefined> {
  if (!requireTrust('Measuring a prompt template')) return undefined;
  const file = await chooseTemplate(arg);
  if (!file) return undefined;
  await saveIfDirty(file);
  const data = await dataFor(s, file, 'dev');
  if (!data) return undefined;
  if (!(await confirmTemplatePaths(s, file, data.source.file))) return undefined;
  if (!data.source.labelField) {
    void vscode.window.showWarningMessage('Adapt Lab: accuracy needs a labeled file; choose a label field for the data.');
    return undefined;
  }
  try {
    const result = await s.jobs.runInteractive(`Zero-shot accuracy of ${path.basename(file)}`, { kind: 'zero-shot-accuracy', templateFile: file, model: modelOf(file), data: data.source, maxLength: data.maxLength });
    await s.reports.show(`Zero-shot accuracy of ${path.basename(file, '.prompt.json')}`, accuracyReport(path.basename(file), path.basename(data.source.file) + (data.note ? ` (${data.note})` : ''), result));
    return result;
  } catch (e) {
    showFailure(e, `Measuring ${path.basename(file)}`);
    return undefined;
  }
}

function modelOf(file: string): string {
  return resolveModel(templateModel(readFileSync(file, 'utf8')), path.dirname(file)).source;
}

function chooseTemplate(arg: unknown): Promise<string | undefined> {
  return chooseFile(arg, '.prompt.json', async () => (await vscode.workspace.findFiles('**/*.prompt.json', '**/node_modules/**', 200)).map((u) => u.fsPath).sort(), 'prompt template');
}

interface TemplateData {
  source: DataSource;
  maxLength: number;
  /** Which split stands in, when it is not the one asked for. */
  note?: string;
}

const MEMORY = 'adaptLab.templateData';

/** The data to run a template on: from an experiment that uses it, else remembered, else chosen now. */
async function dataFor(s: Services, templateFile: string, split: 'train' | 'dev'): Promise<TemplateData | undefined> {
  const experiment = experimentsUsing(templateFile, await s.experiments.files())[0];
  if (experiment) {
    const { textField, textPairField, labelField } = experiment.dataset;
    const fileOfSplit = split === 'train' ? experiment.dataset.train : experiment.dataset.dev ?? experiment.dataset.test;
    const note = split === 'dev' && experiment.dataset.dev === undefined ? `the test set: ${experiment.name} has no dev set` : undefined;
    return { source: strip({ file: fileOfSplit, textField, textPairField, labelField }), maxLength: experiment.training.prompt.maxLength, ...(note ? { note } : {}) };
  }
  const memory = s.context.workspaceState.get<Record<string, DataSource>>(MEMORY, {});
  const remembered = memory[templateFile];
  if (remembered && existsSync(remembered.file)) return { source: remembered, maxLength: DEFAULT_MAX_LENGTH };
  const file = await chooseFile(undefined, undefined, async () => (await vscode.workspace.findFiles(DATASET_GLOB, '**/{node_modules,.git,.adapt-lab}/**', 500)).map((u) => u.fsPath).sort(), `data file to run ${path.basename(templateFile)} on (no experiment uses it)`);
  if (!file) return undefined;
  const textField = await vscode.window.showInputBox({ prompt: `The text field (column) of ${path.basename(file)}`, value: 'text' });
  if (!textField) return undefined;
  const labelField = await vscode.window.showInputBox({ prompt: `The label field of ${path.basename(file)} (empty if it has none)`, value: 'label' });
  if (labelField === undefined) return undefined;
  const source = strip({ file, textField, labelField: labelField.trim() === '' ? undefined : labelField.trim() });
  await s.context.workspaceState.update(MEMORY, { ...memory, [templateFile]: source });
  return { source, maxLength: DEFAULT_MAX_LENGTH };
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
