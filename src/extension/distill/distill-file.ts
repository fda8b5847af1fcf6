// The experiment file a "Launch Knowledge Distillation" flow writes: one file per teacher run, beside the teacher's
// experiment (so it shares its runs folder, where the teacher's saved model is), with the teacher's data, its train
// size and seed (the student gets exactly the teacher's labeled budget), and one distill entry per student. Running
// it again after adding a student trains only the new student: finished cells are kept.
// Pure: takes the teacher's experiment text, returns the new file's text; unit-tested.
import path from 'node:path';
import { resolveModel } from '../../engine/experiment/paths';
import { parseExperiment } from '../../engine/experiment/schema';
import type { RunRecord } from '../../engine/runs/record';

export interface DistillChoice {
  /** A done fine-tuned or prompted run with its model saved, and the experiment file it came from. */
  teacher: RunRecord & { experimentFile: string };
  /** Hub id or folder, as the user wrote it. */
  student: string;
  /** Absolute path of an unlabeled data file, if one was chosen. */
  unlabeled?: string;
  temperature: number;
  epochs: number;
}

export interface DistillFile {
  file: string;
  text: string;
  /** False when an identical entry was already in the file (it is then only run). */
  added: boolean;
}

/** Where the distillations from `teacher` are written: beside its experiment file, named for its cell. */
export function distillFilePath(teacher: Pick<RunRecord, 'cellId'> & { experimentFile: string }): string {
  return path.join(path.dirname(teacher.experimentFile), `${path.basename(teacher.experimentFile, '.experiment.json')}.kd-${teacher.cellId}.experiment.json`);
}

/**
 * The distillation file for `choice`: `existing` is its current text when it exists already (the new student is
 * added to it), `teacherText` the teacher's experiment file.
 */
export function distillFile(choice: DistillChoice, teacherText: string, existing?: string): DistillFile {
  const teacherFile = choice.teacher.experimentFile;
  const dir = path.dirname(teacherFile);
  const teacherExperiment = parseExperiment(teacherText, teacherFile);
  const raw = JSON.parse(teacherText) as Record<string, unknown>;
  const file = distillFilePath(choice.teacher);
  const entry = {
    distill: {
      teacherRunId: choice.teacher.id,
      student: { model: choice.student },
      temperature: choice.temperature,
      training: { epochs: choice.epochs },
    },
  };
  const relative = (p: string) => path.relative(dir, p).split(path.sep).join('/');

  if (existing !== undefined) {
    const doc = JSON.parse(existing) as { models?: unknown[]; methods?: unknown[]; dataset?: Record<string, unknown> };
    const methods = Array.isArray(doc.methods) ? doc.methods : [];
    const student = resolveModel(choice.student, dir).source;
    const same = methods.findIndex((m) => {
      const d = (m as { distill?: { teacherRunId?: unknown; student?: { model?: unknown } } }).distill;
      return d?.teacherRunId === choice.teacher.id && typeof d.student?.model === 'string' && resolveModel(d.student.model, dir).source === student;
    });
    if (same !== -1) methods[same] = entry; // the same pair again: its settings are the ones chosen now
    else methods.push(entry);
    const models = Array.isArray(doc.models) ? doc.models : [];
    if (!models.some((m) => typeof m === 'string' && resolveModel(m, dir).source === student)) models.push(choice.student);
    if (choice.unlabeled && doc.dataset) doc.dataset.unlabeled = relative(choice.unlabeled);
    return { file, text: JSON.stringify({ ...doc, models, methods }, null, 2) + '\n', added: same === -1 };
  }

  const dataset = { ...(raw.dataset as Record<string, unknown>) };
  if (choice.unlabeled) dataset.unlabeled = relative(choice.unlabeled);
  const training = raw.training as Record<string, unknown> | undefined;
  const doc: Record<string, unknown> = {
    name: `${teacherExperiment.name}-kd`,
    dataset,
    models: [choice.student],
    trainSizes: [choice.teacher.trainSize],
    seeds: [choice.teacher.seed],
    methods: [entry],
    // The teacher experiment's distillation settings (lengths, learning rate) still apply; the entry's epochs win.
    ...(training?.distill !== undefined ? { training: { distill: training.distill } } : {}),
    ...(teacherExperiment.allowRandomInit ? { allowRandomInit: true } : {}),
    // A distilled student is the model to deploy: saved, so that Export Model… and active learning can use it.
    saveModels: true,
  };
  return { file, text: JSON.stringify(doc, null, 2) + '\n', added: true };
}
