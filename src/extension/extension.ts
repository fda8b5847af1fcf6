// Adapt Lab's VS Code extension: the palette commands, the activity-bar views, prompt templates and experiment files
// in the editor, the labeling editor, and a job manager that runs every training, estimate and prediction in a
// forked engine worker (dist/worker.js) — TF.js is never loaded in the extension host.
//
// Activation is kept light (a test holds it under 100 ms): this module registers commands and views and creates
// only cheap objects; each command's module is loaded on first use, and the prompt-template language features
// (which load tokenizers) right after activation returns.
import * as vscode from 'vscode';
import { registerDashboard } from './dashboard';
import { ExperimentLens, EXPERIMENT_SELECTOR } from './experiment/experiment-lens';
import { JobManager } from './jobs/job-manager';
import { LabelingEditorProvider, LABELING_VIEW_TYPE } from './labeling/labeling-editor';
import { ReportDocuments } from './report-documents';
import type { Services } from './services';
import { DatasetsView } from './views/datasets-view';
import { ExperimentsView } from './views/experiments-view';
import { ModelsView } from './views/models-view';
import { RunsView } from './views/runs-view';
import { ExperimentIndex } from './workspace-index';

export function activate(context: vscode.ExtensionContext): Services {
  const output = vscode.window.createOutputChannel('Adapt Lab');
  // The Hugging Face token from SecretStorage goes to each worker in its environment only (see hf-token.ts).
  const jobs = new JobManager(context.extensionPath, output, async () => (await import('./hf-token.js')).storedHfToken(context.secrets));
  const experiments = new ExperimentIndex();
  const reports = new ReportDocuments();
  const runs = new RunsView(experiments, jobs);
  const experimentsView = new ExperimentsView(experiments);
  const models = new ModelsView();
  const datasets = new DatasetsView();
  const s: Services = { context, jobs, reports, experiments, runs };
  const labeling = new LabelingEditorProvider(s);

  context.subscriptions.push(
    output, jobs, experiments, reports, runs, experimentsView, models, datasets,
    vscode.window.registerTreeDataProvider('adaptLab.experiments', experimentsView),
    vscode.window.registerTreeDataProvider('adaptLab.runs', runs),
    vscode.window.registerTreeDataProvider('adaptLab.models', models),
    vscode.window.registerTreeDataProvider('adaptLab.datasets', datasets),
    vscode.languages.registerCodeLensProvider(EXPERIMENT_SELECTOR, new ExperimentLens()),
    vscode.window.registerCustomEditorProvider(LABELING_VIEW_TYPE, labeling, { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: false }),
    // The dashboard (src/extension/dashboard/, its own part): the Open Dashboard command and its panel serializer.
    ...registerDashboard(context),
  );

  const command = (id: string, run: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (e) {
        output.appendLine(`${id}: ${(e as Error)?.stack ?? String(e)}`);
        void vscode.window.showErrorMessage(`Adapt Lab: ${(e as Error)?.message ?? String(e)}`);
      }
    }));
  const experiment = () => import('./commands/experiment-commands.js');
  const template = () => import('./commands/template-commands.js');
  const runCommands = () => import('./commands/run-commands.js');
  const settings = () => import('./commands/setting-commands.js');
  const labelCommands = () => import('./commands/label-commands.js');

  command('adaptLab.runExperiment', async (arg) => (await experiment()).runExperiment(s, arg));
  command('adaptLab.estimateCost', async (arg) => (await experiment()).estimateCost(s, arg));
  command('adaptLab.newExperiment', async () => (await experiment()).newExperiment());
  command('adaptLab.cancelJob', async () => (await import('./commands/job-commands.js')).cancelJob(s));
  command('adaptLab.showJobs', async () => (await import('./commands/job-commands.js')).showJobs(s));
  command('adaptLab.showLog', () => output.show(true));
  command('adaptLab.newPromptTemplate', async () => (await template()).newPromptTemplate());
  command('adaptLab.previewPromptTemplate', async (arg) => (await template()).previewPromptTemplate(s, arg));
  command('adaptLab.zeroShotAccuracy', async (arg) => (await template()).zeroShotAccuracy(s, arg));
  command('adaptLab.labelData', async (arg) => (await labelCommands()).labelData(arg));
  command('adaptLab.labelUncertain', async (arg, helpers) => (await labelCommands()).labelUncertain(s, labeling, arg, helpers as { runsDir: string; runId: string }[] | undefined));
  command('adaptLab.launchDistillation', async (arg) => (await import('./commands/distill-command.js')).launchDistillation(s, arg));
  command('adaptLab.openRun', async (arg) => (await runCommands()).openRun(s, arg));
  command('adaptLab.exportModel', async (arg) => (await runCommands()).exportModel(s, arg));
  command('adaptLab.deleteRun', async (arg) => (await runCommands()).deleteRun(s, arg));
  command('adaptLab.selectBackend', async () => (await settings()).selectBackend());
  command('adaptLab.useAsDefaultModel', async (arg) => (await settings()).useAsDefaultModel(arg));
  command('adaptLab.setHuggingFaceToken', async (arg) => (await import('./hf-token.js')).setHfToken(context, arg));
  command('adaptLab.clearHuggingFaceToken', async () => (await import('./hf-token.js')).clearHfToken(context));
  command('adaptLab.refreshViews', () => {
    runs.refresh();
    experimentsView.refresh();
    models.refresh();
    datasets.refresh();
  });

  // Diagnostics, hovers and CodeLenses of prompt templates load the tokenizer code; they start just after activation.
  void import('./prompt/template-language.js').then(
    ({ TemplateLanguage }) => context.subscriptions.push(new TemplateLanguage(experiments, context.workspaceState)),
    (e: unknown) => output.appendLine(`prompt template features failed to start: ${(e as Error)?.stack ?? String(e)}`),
  );
  void import('./trust.js').then(({ announceRestrictedMode }) => announceRestrictedMode(context));
  return s;
}

export function deactivate(): void {
  // Everything is in context.subscriptions; the job manager's dispose cancels running workers.
}
