// Launch Knowledge Distillation…: a guided flow — a finished teacher run (fine-tuned or prompted; the list shows
// method, model, train size and accuracy), a student model, the unlabeled data, temperature and epochs — that
// writes the distillation into an experiment file beside the teacher's (distill-file.ts), opens it, and runs it.
import * as vscode from 'vscode';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hubCacheDir, listCachedModels } from '../../engine/hub/cache';
import { parseExperiment, type Experiment } from '../../engine/experiment/schema';
import type { RunRecord } from '../../engine/runs/record';
import type { GridOutcome } from '../jobs/job-manager';
import { distillFile, distillFilePath } from '../distill/distill-file';
import { describeRun, teacherCandidates } from '../runs/catalog';
import type { Services } from '../services';
import { defaultModel, engineSettings } from '../settings';
import { requireTrust } from '../trust';
import { DATASET_GLOB } from '../views/datasets-view';
import { runOfNode } from '../views/runs-view';
import { runExperiment } from './experiment-commands';

const COMPACT = ['google/bert_uncased_L-2_H-128_A-2', 'google/bert_uncased_L-4_H-256_A-4', 'google/bert_uncased_L-4_H-512_A-8', 'google/bert_uncased_L-6_H-512_A-8'];
const TITLE = 'Knowledge distillation';

/** Everything the flow asks, for a caller that already knows it (tests, other extensions): no questions asked. */
export interface DistillRequest {
  teacher: { runsDir: string; runId: string };
  student: string;
  unlabeled?: string;
  temperature: number;
  epochs: number;
}

export async function launchDistillation(s: Services, arg?: unknown): Promise<GridOutcome | undefined> {
  if (!requireTrust('Distillation')) return undefined;
  const request = asRequest(arg);
  // 1. The teacher.
  let teacher = request ? (await s.runs.allRuns()).find((e) => e.run.id === request.teacher.runId && path.resolve(e.runsDir) === path.resolve(request.teacher.runsDir)) : runOfNode(arg);
  if (request && !teacher) throw new Error(`no run ${request.teacher.runId} in ${request.teacher.runsDir}`);
  if (!teacher) {
    const candidates = teacherCandidates(await s.runs.allRuns());
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('Adapt Lab: no finished run can teach yet. A teacher is a done fine-tuning or prompting run with its model saved: set "saveModels": true in its experiment and run it.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(candidates.map((entry) => ({ ...describeRun(entry.run), entry })), { title: `${TITLE} (1/5)`, placeHolder: 'The teacher: a finished fine-tuned or prompted run', matchOnDescription: true });
    teacher = pick?.entry;
  }
  if (!teacher) return undefined;
  const run = teacher.run;
  if (!run.experimentFile || !existsSync(run.experimentFile)) {
    void vscode.window.showErrorMessage(`Adapt Lab: the experiment file of ${run.id} (${run.experimentFile ?? 'unknown'}) is gone; the distillation is written beside it.`);
    return undefined;
  }
  if (run.trainSize === 0) {
    void vscode.window.showErrorMessage('Adapt Lab: a zero-shot run cannot teach: distillation starts from a teacher trained on labeled examples.');
    return undefined;
  }
  const teacherText = readFileSync(run.experimentFile, 'utf8');
  const teacherExperiment = parseExperiment(teacherText, run.experimentFile);

  const answers = request ?? (await ask(run, teacherExperiment));
  if (!answers) return undefined;
  const choice = { ...answers, teacher: { ...run, experimentFile: run.experimentFile } };
  const file = distillFilePath(choice.teacher);
  const written = distillFile(choice, teacherText, existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  writeFileSync(written.file, written.text);
  await vscode.window.showTextDocument(vscode.Uri.file(written.file), { preview: false });
  return runExperiment(s, vscode.Uri.file(written.file));
}

/** Steps 2 to 5: the student, the unlabeled data, temperature and epochs; undefined when the person cancels. */
async function ask(run: RunRecord, teacherExperiment: Experiment): Promise<Omit<DistillRequest, 'teacher'> | undefined> {
  // 2. The student.
  const cached = (await listCachedModels(engineSettings().hfCacheDir || hubCacheDir())).map((m) => m.repoId);
  const models = [...new Set([defaultModel(), ...COMPACT, ...cached, ...teacherExperiment.models.map((m) => m.name)])];
  const cachedSet = new Set(cached);
  const OTHER = '$(edit) Another model (Hub id or folder)…';
  const studentPick = await vscode.window.showQuickPick(
    [...models.map((m) => ({ label: m, description: [m === run.model ? 'the teacher\'s model' : '', cachedSet.has(m) ? 'in the Hugging Face cache' : ''].filter(Boolean).join(' · ') })), { label: OTHER, description: '' }],
    { title: `${TITLE} (2/5)`, placeHolder: `The student (the teacher is ${run.model}); smaller models are faster to run` },
  );
  if (!studentPick) return undefined;
  const student = studentPick.label === OTHER ? (await vscode.window.showInputBox({ title: `${TITLE} (2/5)`, prompt: 'Hub id (org/name) or a model folder relative to the experiment' }))?.trim() : studentPick.label;
  if (!student) return undefined;

  // 3. The unlabeled data.
  const NONE = '$(circle-slash) No extra data — the training rows the teacher did not see';
  const files = (await vscode.workspace.findFiles(DATASET_GLOB, '**/{node_modules,.git,.adapt-lab}/**', 500)).map((u) => u.fsPath).sort();
  const dataPick = await vscode.window.showQuickPick(
    [{ label: NONE, description: '', file: undefined as string | undefined }, ...files.map((f) => ({ label: path.basename(f), description: vscode.workspace.asRelativePath(f), file: f as string | undefined }))],
    { title: `${TITLE} (3/5)`, placeHolder: 'Unlabeled text for the teacher to label (soft labels) — more helps the student' },
  );
  if (!dataPick) return undefined;

  // 4 and 5. Temperature and epochs.
  const positive = (v: string) => (Number.isFinite(Number(v)) && Number(v) > 0 ? undefined : 'A number greater than 0');
  const temperature = await vscode.window.showInputBox({ title: `${TITLE} (4/5)`, prompt: 'Temperature of the soft labels (higher: softer; PET uses 2)', value: String(teacherExperiment.training.distill.temperature), validateInput: positive });
  if (!temperature) return undefined;
  const epochs = await vscode.window.showInputBox({ title: `${TITLE} (5/5)`, prompt: 'Epochs over the labeled and teacher-labeled examples', value: String(teacherExperiment.training.distill.epochs ?? 4), validateInput: positive });
  if (!epochs) return undefined;

  return { student, unlabeled: dataPick.file, temperature: Number(temperature), epochs: Number(epochs) };
}

function asRequest(arg: unknown): DistillRequest | undefined {
  const r = arg as Partial<DistillRequest> | undefined;
  const ok = r && typeof r === 'object' && typeof r.teacher?.runId === 'string' && typeof r.teacher.runsDir === 'string' && typeof r.student === 'string' &&
    typeof r.temperature === 'number' && r.temperature > 0 && typeof r.epochs === 'number' && r.epochs > 0 && (r.unlabeled === undefined || typeof r.unlabeled === 'string');
  return ok ? (r as DistillRequest) : undefined;
}
