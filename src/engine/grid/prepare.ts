// Everything a grid reads once, and everything it can check before the first step of training: the data splits,
// the unlabeled file, each model's weights against its config.json (from the weight files' headers), the prompt
// template against each prompted model's vocabulary, lengths against each model's positions, train sizes against
// the data, and teachers named by run id. A mistake found here costs the user seconds; the same mistake found by
// the cell that trips over it would cost every cell before it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isUserError, UserError } from '../errors';
import { readDataset } from '../data/dataset';
import type { Example } from '../data/example';
import { loadSplits, type LoadedSplits } from '../data/splits';
import type { Cell } from '../experiment/cells';
import type { Experiment, ModelRef } from '../experiment/schema';
import { checkCheckpointShapes } from '../model/stored-shapes';
import { patternFiller } from '../prompt/fill';
import { checkTemplateFields, loadTemplate, type PromptTemplate } from '../prompt/template';
import { resolveVerbalizer } from '../prompt/verbalizer';
import type { RunStore } from '../runs/store';
import type { GridEventSink } from './events';
import type { ModelCache } from './models';

export interface GridInputs {
  splits: LoadedSplits;
  /** Rows of the experiment's unlabeled file (labels, if any, are dropped when the pool is built). */
  unlabeled: Example[];
  template?: PromptTemplate;
}

export async function loadGridInputs(e: Experiment, emit: GridEventSink): Promise<GridInputs> {
  const { textField, textPairField, labelField } = e.dataset;
  const splits = await loadSplits({ train: e.dataset.train, dev: e.dataset.dev, test: e.dataset.test }, { textField, textPairField, labelField });
  const skipped = [...splits.skipped];
  let unlabeled: Example[] = [];
  if (e.dataset.unlabeled !== undefined) {
    const read = await readDataset(e.dataset.unlabeled, { textField, textPairField, labeled: false });
    unlabeled = read.rows;
    skipped.push(...read.skipped.map((s) => ({ ...s, file: e.dataset.unlabeled! })));
  }
  const byFile = new Map<string, typeof skipped>();
  for (const s of skipped) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  for (const [file, rows] of byFile) {
    emit({ type: 'log', level: 'warn', message: `${file}: ${rows.length} row(s) skipped, e.g. line ${rows[0].line}: ${rows[0].reason}` });
  }
  const template = e.prompt === undefined ? undefined : await loadTemplate(e.prompt);
  return { splits, unlabeled, template };
}

/** Throws the first problem that would make a cell fail for a reason the user can fix now. */
export async function checkBeforeTraining(e: Experiment, cells: readonly Cell[], inputs: GridInputs, models: ModelCache, store: RunStore): Promise<void> {
  const { splits, template } = inputs;
  const trainFile = path.relative(process.cwd(), e.dataset.train) || e.dataset.train;

  for (const cell of cells) {
    if (cell.trainSize !== 'all' && cell.trainSize > splits.train.length) {
      throw new UserError(`train size ${cell.trainSize} is larger than the ${splits.train.length} labeled examples of ${trainFile}`,
        { file: e.file, field: 'trainSizes' }, `Use sizes up to ${splits.train.length}, or "all".`);
    }
  }

  // Every model is looked up once, now: a model that cannot be had stops the grid before any training.
  const refs = new Map<string, ModelRef>();
  for (const cell of cells) refs.set(cell.model.source, cell.model);
  for (const cell of cells) if (cell.method === 'distill' && cell.teacher.model) refs.set(cell.teacher.model.source, cell.teacher.model);
  for (const ref of refs.values()) {
    const model = await models.describe(ref);
    // A random-init stand-in has no checkpoint; any other model's `source` is its resolved folder. Weights whose
    // shapes disagree with config.json would fail every cell on the model, one after another: refuse them now.
    if (model.notice === undefined && model.source !== undefined) await checkCheckpointShapes(model.source, model.config);
  }

  for (const cell of cells) {
    const model = await models.describe(cell.model);
    const positions = model.config.maxPositionEmbeddings;
    if (cell.training.maxLength > positions) {
      throw new UserError(`maxLength ${cell.training.maxLength} (${cell.method}) is more than the ${positions} positions of ${cell.model.name}`,
        { file: e.file, field: `training.${cell.method}.maxLength` }, `Set maxLength to at most ${positions}.`);
    }
  }

  const prompted = new Map<string, { ref: ModelRef; maxLength: number }>();
  for (const cell of cells) {
    if (cell.method === 'prompt') prompted.set(cell.model.source, { ref: cell.model, maxLength: cell.training.maxLength });
    if (cell.method === 'distill' && cell.teacher.method === 'prompt' && cell.teacher.model) {
      prompted.set(cell.teacher.model.source, { ref: cell.teacher.model, maxLength: e.training.prompt.maxLength });
    }
  }
  if (prompted.size > 0) {
    if (!template) throw new Error('internal: prompt cells without a template (parseExperiment requires one)');
    checkTemplateFields(template, e.dataset.textPairField !== undefined, e.dataset.train);
    for (const { ref, maxLength } of prompted.values()) {
      const { tokenizer } = await models.describe(ref);
      resolveVerbalizer(template, tokenizer, splits.labels, template.file);
      // Throws when a pattern leaves no room for the text within maxLength; the filler cannot know where the
      // pattern is written, so the error is placed here, at the pattern in the template.
      template.parsed.forEach((p, i) => {
        try {
          patternFiller(p, tokenizer, maxLength, template.file);
        } catch (err) {
          if (!isUserError(err) || err.place.file !== undefined) throw err;
          const field = `patterns[${i}]`;
          throw new UserError(err.message, { file: template.file, line: template.json.lineOf(field), field },
            `Shorten the pattern, or raise maxLength in the "training" section of ${e.file}.`);
        }
      });
    }
  }

  for (const cell of cells) {
    if (cell.method !== 'distill' || cell.teacher.cellId !== undefined) continue;
    checkTeacherRun(store, cell.teacher.runId, e.file);
  }
}

/** A teacher named by run id must be a finished run with its model saved. */
export function checkTeacherRun(store: RunStore, runId: string, experimentFile: string): void {
  const where = { file: experimentFile, field: 'teacherRunId' };
  const run = store.get(runId);
  if (!run) {
    throw new UserError(`the teacher run "${runId}" is not in ${store.dir}`, where,
      'Copy the id of a finished run from `adapt-lab report`, or pass --runs-dir for the folder that holds it.');
  }
  if (run.status !== 'done') {
    throw new UserError(`the teacher run "${runId}" has not finished (it is ${run.status})`, where, 'Run its experiment to completion first.');
  }
  if (!existsSync(path.join(store.modelDir(runId), 'adapt-lab.json'))) {
    throw new UserError(`the teacher run "${runId}" did not save its model`, where,
      'Set "saveModels": true in the teacher\'s experiment, delete that run folder, and run the experiment again.');
  }
}
