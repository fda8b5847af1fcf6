// Every local path an experiment file (or a prompt template) makes the engine read: data files, the prompt
// template, local model folders and the folders of teacher runs — each with the field and line that names it,
// resolved against the file's folder and through symlinks, so a caller can tell which ones lie outside a folder.
// A workspace from the internet could point these at ~/.ssh or /etc; the VS Code extension asks before running
// such an experiment (src/extension/experiment/path-guard.ts). The CLI does not ask: whoever names the experiment
// file on the command line has chosen to run what it names.
// Hub ids are not listed: they are downloaded into the Hugging Face cache, which is not the workspace's to name.
// Pure (no vscode): reads only the file system's links.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { parseLocatedJson } from '../json/located';
import { childPath } from '../json/path';
import { defaultRunsDir } from '../runs/store';
import { resolveFrom, resolveModel } from './paths';
import { parseExperiment } from './schema';

export type ReferenceKind = 'data' | 'prompt' | 'model' | 'teacher-run';

export interface ReferencedPath {
  kind: ReferenceKind;
  /** The field path as errors name it: `dataset.train`, `models[1]`, `methods[2].distill.student.model`. */
  field: string;
  /** 1-based line of the field in the file, when known. */
  line?: number;
  /** As written in the file (for a teacher run, its id). */
  written: string;
  /** Absolute, with every symlink on the way resolved (as far as the path exists). */
  path: string;
}

const DATA_KEYS = ['train', 'dev', 'test', 'unlabeled'] as const;

/**
 * The local paths the experiment in `text` (the contents of `file`) refers to. Throws the experiment's UserError
 * when it is not valid: then it is not run either, and nothing it names is read. Teacher runs named by id are
 * folders of `runsDir` (default: `.adapt-lab/runs` beside the file).
 */
export function experimentReferencedPaths(text: string, file: string, opts: { runsDir?: string } = {}): ReferencedPath[] {
  const experiment = parseExperiment(text, file);
  const { value, lineOf } = parseLocatedJson(text, file);
  const doc = value as Record<string, unknown>;
  const dir = experiment.dir;
  const out: ReferencedPath[] = [];
  const add = (kind: ReferenceKind, field: string, written: string, absolute: string) =>
    out.push({ kind, field, line: lineOf(field), written, path: realPath(absolute) });
  const model = (field: string, written: unknown) => {
    if (typeof written !== 'string') return;
    const ref = resolveModel(written, dir);
    if (ref.local) add('model', field, written, ref.source);
  };

  const dataset = doc.dataset as Record<string, unknown>;
  for (const key of DATA_KEYS) {
    const written = dataset[key];
    if (typeof written === 'string') add('data', childPath('dataset', key), written, resolveFrom(dir, written));
  }
  if (typeof doc.prompt === 'string') add('prompt', 'prompt', doc.prompt, resolveFrom(dir, doc.prompt));
  (doc.models as unknown[]).forEach((m, i) => model(childPath('models', i), m));
  const runsDir = path.resolve(opts.runsDir ?? defaultRunsDir(experiment.file));
  (doc.methods as unknown[]).forEach((m, i) => {
    // parseExperiment has checked the shape: a method is a string, or {"distill": {...}}.
    if (typeof m !== 'object' || m === null) return;
    const distill = (m as { distill: Record<string, unknown> }).distill;
    const at = childPath(childPath('methods', i), 'distill');
    const teacher = distill.teacher as { model?: unknown } | undefined;
    if (teacher !== undefined) model(childPath(childPath(at, 'teacher'), 'model'), teacher.model);
    const student = distill.student as { model?: unknown } | undefined;
    if (student !== undefined) model(childPath(childPath(at, 'student'), 'model'), student.model);
    if (typeof distill.teacherRunId === 'string') add('teacher-run', childPath(at, 'teacherRunId'), distill.teacherRunId, path.join(runsDir, distill.teacherRunId));
  });
  return out;
}

/**
 * The local model folder a prompt template names in its `model` field, if it names one (a Hub id is not listed).
 * A template that is not valid JSON names nothing: the engine refuses it before reading anything.
 */
export function templateReferencedPaths(text: string, file: string): ReferencedPath[] {
  let located;
  try {
    located = parseLocatedJson(text, file);
  } catch {
    return [];
  }
  const written = (located.value as { model?: unknown } | null)?.model;
  if (typeof written !== 'string' || written.trim() === '') return [];
  const ref = resolveModel(written.trim(), path.dirname(path.resolve(file)));
  return ref.local ? [{ kind: 'model', field: 'model', line: located.lineOf('model'), written, path: realPath(ref.source) }] : [];
}

/**
 * `p` made absolute with its symlinks resolved: the real path where it exists, else the real path of its nearest
 * existing folder joined with the rest (a file that does not exist yet, behind a link, is still behind it).
 */
export function realPath(p: string): string {
  const absolute = path.resolve(p);
  try {
    return realpathSync.native(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realPath(parent), path.basename(absolute));
  }
}

/** Whether `p` is `folder` or inside it (both absolute and already real). */
export function isInside(p: string, folder: string): boolean {
  const rel = path.relative(folder, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The references outside every one of `roots` (real paths, e.g. the workspace folders). */
export function outsideOf<T extends Pick<ReferencedPath, 'path'>>(refs: readonly T[], roots: readonly string[]): T[] {
  return refs.filter((r) => !roots.some((root) => isInside(r.path, root)));
}
