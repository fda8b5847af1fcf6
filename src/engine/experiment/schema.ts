// The experiment file (`*.experiment.json`): which data, which models, which train sizes and seeds, which methods.
// `parseExperiment` is the one gate every experiment passes (CLI, extension, tests): everything is checked here, at
// load time, with the file, line and field path of each mistake, so that a grid never fails an hour in on a typo.
// schemas/experiment.schema.json describes the same format for the editor (completion, hover); a test keeps the
// two in step.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FieldReader } from '../json/fields';
import { childPath } from '../json/path';
import { isDirectory, resolveFrom, resolveModel, type ModelRef } from './paths';
import {
  DEFAULT_TRAINING,
  mergeTraining,
  METHODS,
  parseTrainingLayer,
  type DistillOptions,
  type Method,
  type TrainingByMethod,
} from './training';

export type { ModelRef } from './paths';
export type { Method } from './training';

/** A number of labeled training examples (0 = zero-shot), or the whole training file. */
export type TrainSize = number | 'all';

export interface DatasetSpec {
  /** Absolute paths (resolved against the experiment file's folder). */
  train: string;
  dev?: string;
  test: string;
  unlabeled?: string;
  textField: string;
  textPairField?: string;
  labelField: string;
}

/** Where a distillation's soft labels come from: a cell of this experiment, or a finished run named by id. */
export type TeacherSpec =
  | { kind: 'cell'; method: 'finetune' | 'prompt'; model: ModelRef }
  | { kind: 'run'; runId: string };

export type MethodEntry =
  | { method: 'finetune' }
  | { method: 'prompt' }
  | { method: 'distill'; teacher: TeacherSpec; students: ModelRef[]; training: DistillOptions };

export interface Experiment {
  /** Absolute path of the experiment file, and its folder (the base of every relative path). */
  file: string;
  dir: string;
  name: string;
  dataset: DatasetSpec;
  /** Absolute path of the prompt template; present whenever a prompt method or prompt teacher is. */
  prompt?: string;
  models: ModelRef[];
  trainSizes: TrainSize[];
  seeds: number[];
  methods: MethodEntry[];
  /** Defaults merged with the file's `training` section (distill entries carry their own, further merged, copy). */
  training: TrainingByMethod;
  /** When a Hub model cannot be had (offline, not cached), use a randomly initialised model of the same shape
   *  instead of failing; every run then carries a notice. Meant for demonstrations (the embedded default). */
  allowRandomInit: boolean;
  /** Save every run's trained model to `<run>/model/` (teachers of a distillation are always saved). */
  saveModels: boolean;
}

export interface ParseOptions {
  /** Also check that the data files, the prompt and local model folders exist (off for pure validation). */
  checkFiles?: boolean;
}

// Allowed keys, exported so a test can hold the JSON schema to them.
export const EXPERIMENT_KEYS = ['$schema', 'name', 'dataset', 'prompt', 'models', 'trainSizes', 'seeds', 'methods', 'training', 'allowRandomInit', 'saveModels'] as const;
export const DATASET_KEYS = ['train', 'dev', 'test', 'unlabeled', 'textField', 'textPairField', 'labelField'] as const;
export const DISTILL_KEYS = ['teacher', 'teacherRunId', 'student', 'temperature', 'alpha', 'training'] as const;
export const TEACHER_KEYS = ['method', 'model'] as const;
export const STUDENT_KEYS = ['model'] as const;

/** Run ids are folder names: letters, digits, `.`, `_`, `-`. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const EXAMPLE_METHODS = '["finetune", "prompt", {"distill": {"teacher": {"method": "prompt", "model": "..."}}}]';

export function parseExperiment(jsonText: string, file: string, opts: ParseOptions = {}): Experiment {
  const absFile = path.resolve(file);
  const dir = path.dirname(absFile);
  const { doc, fields } = FieldReader.parse(jsonText, file);
  const root = fields.object(doc, '', 'a JSON object describing the experiment');
  fields.keys(root, '', EXPERIMENT_KEYS);

  const name = fields.string(fields.required(root, '', 'name', '"my-experiment"'), 'name', '"sms-spam-default"');
  const dataset = parseDataset(fields.required(root, '', 'dataset', '{"train": "...", "test": "..."}'), dir, fields);
  const prompt = root.prompt === undefined ? undefined : resolveFrom(dir, fields.string(root.prompt, 'prompt', '"templates/task.prompt.json"'));

  const models = fields
    .array(fields.required(root, '', 'models', '["google/bert_uncased_L-2_H-128_A-2"]'), 'models', { nonEmpty: true, example: '["google/bert_uncased_L-2_H-128_A-2"]' })
    .map((m, i) => resolveModel(fields.string(m, childPath('models', i), '"google/bert_uncased_L-2_H-128_A-2"'), dir));
  fields.unique(models, 'models', (m) => m.source);

  const trainSizes = fields
    .array(fields.required(root, '', 'trainSizes', '[0, 32, "all"]'), 'trainSizes', { nonEmpty: true, example: '[0, 32, "all"]' })
    .map((s, i) => parseTrainSize(s, childPath('trainSizes', i), fields));
  fields.unique(trainSizes, 'trainSizes');

  const seeds = fields
    .array(fields.required(root, '', 'seeds', '[1, 2, 3]'), 'seeds', { nonEmpty: true, example: '[1, 2, 3]' })
    .map((s, i) => fields.number(s, childPath('seeds', i), { integer: true, example: 1 }));
  fields.unique(seeds, 'seeds');

  const training = parseTraining(root.training, fields);
  const rawMethods = fields.array(fields.required(root, '', 'methods', EXAMPLE_METHODS), 'methods', { nonEmpty: true, example: EXAMPLE_METHODS });
  const methods = rawMethods.map((m, i) => parseMethod(m, childPath('methods', i), { dir, models, training, fields }));
  checkDistinctMethods(methods, fields);

  // Cross-field rules, now that every part is known.
  methods.forEach((m, i) => {
    if (m.method !== 'distill' || m.teacher.kind !== 'cell') return;
    const at = childPath(childPath(childPath('methods', i), 'distill'), 'teacher');
    const teacher = m.teacher;
    if (!methods.some((other) => other.method === teacher.method)) {
      throw fields.error(childPath(at, 'method'), `the teacher's method "${teacher.method}" is not among the experiment's methods`,
        `Add "${teacher.method}" to "methods" so the teacher is trained first, or name a finished run with "teacherRunId".`);
    }
    if (!models.some((x) => x.source === teacher.model.source)) {
      throw fields.error(childPath(at, 'model'), `the teacher's model "${teacher.model.name}" is not among the experiment's models`,
        `Add it to "models" (teacher and model must match an entry exactly), or name a finished run with "teacherRunId".`);
    }
  });
  const needsPrompt = methods.some((m) => m.method === 'prompt' || (m.method === 'distill' && m.teacher.kind === 'cell' && m.teacher.method === 'prompt'));
  if (needsPrompt && prompt === undefined) {
    throw fields.error('prompt', 'a prompt method is listed but the experiment has no "prompt" template',
      'Add "prompt": "path/to/task.prompt.json" (a pattern and a verbalizer for your labels), or remove the prompt method.');
  }

  const allowRandomInit = root.allowRandomInit === undefined ? false : fields.boolean(root.allowRandomInit, 'allowRandomInit');
  const saveModels = root.saveModels === undefined ? false : fields.boolean(root.saveModels, 'saveModels');
  const experiment: Experiment = { file: absFile, dir, name, dataset, prompt, models, trainSizes, seeds, methods, training, allowRandomInit, saveModels };
  if (opts.checkFiles) checkFiles(experiment, fields);
  return experiment;
}

function parseDataset(value: unknown, dir: string, fields: FieldReader): DatasetSpec {
  const obj = fields.object(value, 'dataset', 'an object naming the data files');
  fields.keys(obj, 'dataset', DATASET_KEYS);
  const file = (key: 'train' | 'dev' | 'test' | 'unlabeled', required: boolean): string | undefined => {
    const at = childPath('dataset', key);
    if (obj[key] === undefined && !required) return undefined;
    const example = `"data/${key}.jsonl"`;
    return resolveFrom(dir, fields.string(required ? fields.required(obj, 'dataset', key, example) : obj[key], at, example));
  };
  const field = (key: 'textField' | 'textPairField' | 'labelField') => fields.optionalString(obj[key], childPath('dataset', key), '"text"');
  return stripUndefined({
    train: file('train', true)!,
    dev: file('dev', false),
    test: file('test', true)!,
    unlabeled: file('unlabeled', false),
    textField: field('textField') ?? 'text',
    textPairField: field('textPairField'),
    labelField: field('labelField') ?? 'label',
  });
}

function parseTrainSize(value: unknown, at: string, fields: FieldReader): TrainSize {
  if (value === 'all') return 'all';
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw fields.error(at, `a train size must be 0 (zero-shot), a positive whole number of examples, or "all"; found ${JSON.stringify(value)}`,
    'Write e.g. 0, 32 or "all".');
}

function parseTraining(value: unknown, fields: FieldReader): TrainingByMethod {
  if (value === undefined) return structuredClone(DEFAULT_TRAINING) as TrainingByMethod;
  const obj = fields.object(value, 'training', 'an object with per-method options: {"finetune": {...}, "prompt": {...}, "distill": {...}}');
  fields.keys(obj, 'training', METHODS);
  const layer = <M extends Method>(m: M) => (obj[m] === undefined ? {} : parseTrainingLayer(m, obj[m], childPath('training', m), fields));
  return {
    finetune: mergeTraining(DEFAULT_TRAINING.finetune, layer('finetune')),
    prompt: mergeTraining(DEFAULT_TRAINING.prompt, layer('prompt')),
    distill: mergeTraining(DEFAULT_TRAINING.distill, layer('distill')),
  };
}

interface MethodContext {
  dir: string;
  models: ModelRef[];
  training: TrainingByMethod;
  fields: FieldReader;
}

function parseMethod(value: unknown, at: string, ctx: MethodContext): MethodEntry {
  const { fields } = ctx;
  if (typeof value === 'string') {
    if (value === 'distill') {
      throw fields.error(at, 'distill needs a teacher', 'Write {"distill": {"teacher": {"method": "prompt", "model": "..."}}} instead of "distill".');
    }
    return { method: fields.oneOf(value, at, ['finetune', 'prompt'] as const) };
  }
  const obj = fields.object(value, at, `"finetune", "prompt" or {"distill": {...}}`);
  const keys = Object.keys(obj);
  if (keys.length !== 1 || keys[0] !== 'distill') {
    fields.keys(obj, at, ['distill']);
    throw fields.error(at, 'a method object must have exactly one key, "distill"', 'Write {"distill": {"teacher": {...}}}; finetune and prompt are plain strings.');
  }
  return parseDistill(obj.distill, childPath(at, 'distill'), ctx);
}

function parseDistill(value: unknown, at: string, ctx: MethodContext): MethodEntry {
  const { fields, dir, models } = ctx;
  const obj = fields.object(value, at, 'an object with the teacher and the distillation settings');
  fields.keys(obj, at, DISTILL_KEYS);

  let teacher: TeacherSpec;
  if (obj.teacher !== undefined && obj.teacherRunId !== undefined) {
    throw fields.error(childPath(at, 'teacherRunId'), 'both "teacher" and "teacherRunId" are set', 'Keep one: a teacher trained in this experiment, or a finished run by id.');
  }
  if (obj.teacherRunId !== undefined) {
    const runId = fields.string(obj.teacherRunId, childPath(at, 'teacherRunId'));
    if (!RUN_ID.test(runId)) {
      throw fields.error(childPath(at, 'teacherRunId'), `"${runId}" is not a run id`, 'Copy the id of a finished run (its folder name under .adapt-lab/runs).');
    }
    teacher = { kind: 'run', runId };
  } else {
    const tAt = childPath(at, 'teacher');
    const t = fields.object(fields.required(obj, at, 'teacher', '{"method": "prompt", "model": "..."}'), tAt, 'an object {"method": ..., "model": ...}');
    fields.keys(t, tAt, TEACHER_KEYS);
    const method = fields.oneOf(fields.required(t, tAt, 'method', '"prompt"'), childPath(tAt, 'method'), ['finetune', 'prompt'] as const);
    const model = resolveModel(fields.string(fields.required(t, tAt, 'model', '"google/bert_uncased_L-4_H-256_A-4"'), childPath(tAt, 'model')), dir);
    teacher = { kind: 'cell', method, model };
  }

  let students: ModelRef[];
  if (obj.student !== undefined) {
    const sAt = childPath(at, 'student');
    const s = fields.object(obj.student, sAt, 'an object {"model": ...}');
    fields.keys(s, sAt, STUDENT_KEYS);
    students = [resolveModel(fields.string(fields.required(s, sAt, 'model', '"google/bert_uncased_L-2_H-128_A-2"'), childPath(sAt, 'model')), dir)];
  } else {
    // No student named: every model of the experiment learns from the teacher, except the teacher's own.
    students = models.filter((m) => teacher.kind !== 'cell' || m.source !== teacher.model.source);
    if (students.length === 0) {
      throw fields.error(at, 'no student model: the only model of the experiment is the teacher\'s', 'Add "student": {"model": "..."} naming a smaller model, or add one to "models".');
    }
  }

  const layer = obj.training === undefined ? {} : parseTrainingLayer('distill', obj.training, childPath(at, 'training'), fields);
  const shorthand: Partial<DistillOptions> = {};
  for (const key of ['temperature', 'alpha'] as const) {
    if (obj[key] === undefined) continue;
    if (layer[key] !== undefined) {
      throw fields.error(childPath(at, key), `"${key}" is set both here and in this entry's "training"`, 'Keep one of them.');
    }
    const spec = key === 'temperature' ? { above: 0, example: 2 } : { min: 0, max: 1, example: 0.5 };
    shorthand[key] = fields.number(obj[key], childPath(at, key), spec);
  }
  return { method: 'distill', teacher, students, training: mergeTraining(ctx.training.distill, layer, shorthand) };
}

/** Plain methods may appear once; a distillation once per (teacher, student) pair, since that pair names its cells. */
function checkDistinctMethods(methods: MethodEntry[], fields: FieldReader): void {
  const seen = new Map<string, number>();
  methods.forEach((m, i) => {
    const keys =
      m.method !== 'distill'
        ? [m.method]
        : m.students.map((s) => `distill ${m.teacher.kind === 'cell' ? `${m.teacher.method}:${m.teacher.model.source}` : `run:${m.teacher.runId}`} → ${s.source}`);
    for (const key of keys) {
      const first = seen.get(key);
      if (first !== undefined) {
        const what = m.method === 'distill' ? 'this teacher and student pair' : `"${m.method}"`;
        throw fields.error(childPath('methods', i), `${what} is already listed at methods[${first}]`,
          m.method === 'distill'
            ? 'Remove the duplicate; to compare distillation settings, use a second experiment file.'
            : 'Remove the duplicate.');
      }
      seen.set(key, i);
    }
  });
}

function checkFiles(e: Experiment, fields: FieldReader): void {
  const fix = `Check the path; it is relative to the experiment file's folder (${e.dir}).`;
  for (const key of ['train', 'dev', 'test', 'unlabeled'] as const) {
    const p = e.dataset[key];
    if (p !== undefined && !existsSync(p)) throw fields.error(`dataset.${key}`, `the ${key} file was not found: ${p}`, fix);
    if (p !== undefined && isDirectory(p)) throw fields.error(`dataset.${key}`, `the ${key} file is a folder: ${p}`, 'Name the data file itself (.csv, .tsv, .jsonl or .json).');
  }
  if (e.prompt !== undefined && !existsSync(e.prompt)) throw fields.error('prompt', `the prompt template was not found: ${e.prompt}`, fix);
  const localModels: [string, ModelRef][] = e.models.map((m, i) => [childPath('models', i), m]);
  e.methods.forEach((m, i) => {
    if (m.method !== 'distill') return;
    const at = childPath(childPath('methods', i), 'distill');
    m.students.forEach((s) => localModels.push([childPath(childPath(at, 'student'), 'model'), s]));
  });
  for (const [at, m] of localModels) {
    if (m.local && !isDirectory(m.source)) {
      throw fields.error(at, `the model folder was not found: ${m.source}`,
        'Give a folder with config.json and the weights (relative to the experiment file), or a Hub id such as "google/bert_uncased_L-2_H-128_A-2".');
    }
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
