// A bad-input case of test/hardening/corpus/cases.json, made real: a temp folder holding the base experiment and
// its data (test/hardening/corpus/base), with the case's bad file put in place of one of them, or a damaged
// checkpoint folder, and the `adapt-lab` command line that reads it. Also the digests that prove inputs unchanged.
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { filesUnder } from '../lib/files';
import { FILE_GENERATORS, MODEL_GENERATORS } from './generators';

export const corpusDir = path.join(__dirname, 'corpus');

/** The file roles a case can replace, and the name each has in the case folder (plus the source's extension). */
const DATA_ROLES = ['train', 'dev', 'test', 'unlabeled'] as const;
type DataRole = (typeof DATA_ROLES)[number];

export interface CorpusCase {
  id: string;
  /** The item of issue 6 the case covers, e.g. "CSV with ragged rows". */
  covers: string;
  /** Replacement data files: a path under corpus/ or `gen:<name>` (test/hardening/generators.ts). */
  train?: string;
  dev?: string;
  test?: string;
  unlabeled?: string;
  prompt?: string;
  /** A replacement experiment file; otherwise the base one with `patch` merged in (null deletes a key). */
  experiment?: string;
  patch?: Record<string, unknown>;
  /** A generated checkpoint folder, written as `model/` (MODEL_GENERATORS). */
  model?: string;
  /** The JSONL input of `forward` (default: a good one). */
  input?: string;
  /** Default `run` (with --dry-run, so that a case that wrongly passes still trains nothing). */
  command?: 'run' | 'info' | 'forward';
  /** A regular expression the one-line message (after "adapt-lab: ") must match. */
  expect: string;
  /** The labeling editor's parser on the data file: it must list a problem, or merely not throw ("ok"). */
  labeling?: 'problem' | 'ok';
  /** The prompt template diagnostics: at least one diagnostic of this severity. */
  template?: 'error' | 'warning';
  /** parseExperiment (as the extension calls it, without touching the disk) must refuse the experiment. */
  schema?: true;
}

export interface BuiltCase {
  dir: string;
  argv: string[];
  /** Files the case's command may read; each must be byte-for-byte the same afterwards. */
  inputs: string[];
  /** Created only if something executed a hostile pickle. */
  marker: string;
  /** The data file in the labeling editor's formats, the prompt template, the experiment: for the in-process checks. */
  files: Partial<Record<DataRole | 'prompt' | 'experiment', string>>;
}

export function loadCases(): CorpusCase[] {
  return JSON.parse(readFileSync(path.join(corpusDir, 'cases.json'), 'utf8')).cases as CorpusCase[];
}

/** Writes the case's folder under `root`; `tinyModel` is the shared model folder that `./tiny` links to. */
export function buildCase(c: CorpusCase, root: string, tinyModel: string): BuiltCase {
  const dir = path.join(root, c.id);
  mkdirSync(dir, { recursive: true });
  const marker = path.join(dir, 'PWNED');
  const files: BuiltCase['files'] = {};
  const place = (source: string, baseName: string): string => {
    const generated = source.startsWith('gen:');
    const ext = generated ? extensionOf(source.slice(4)) : extensionOf(path.basename(source));
    const target = path.join(dir, baseName + ext);
    if (generated) {
      const generate = FILE_GENERATORS[source.slice(4)];
      if (!generate) throw new Error(`${c.id}: no file generator ${source}`);
      generate(target);
    } else {
      copyFileSync(path.join(corpusDir, source), target);
    }
    return target;
  };

  if (c.model !== undefined) {
    const generate = MODEL_GENERATORS[c.model];
    if (!generate) throw new Error(`${c.id}: no model generator ${c.model}`);
    generate(path.join(dir, 'model'), { marker });
  }
  if (c.command === 'info') return { dir, argv: ['info', '--model', path.join(dir, 'model')], inputs: filesUnder(dir), marker, files };
  if (c.command === 'forward') {
    const input = c.input === undefined ? writeGoodInput(path.join(dir, 'input.jsonl')) : place(c.input, 'input');
    const argv = ['forward', '--model', path.join(dir, 'model'), '--input', input, '--out', path.join(dir, 'out.jsonl')];
    return { dir, argv, inputs: filesUnder(dir), marker, files };
  }

  // `run`: the base world, with the case's files in place.
  for (const f of readdirSync(path.join(corpusDir, 'base'))) copyFileSync(path.join(corpusDir, 'base', f), path.join(dir, f));
  // Two names for the shared model (teacher and student must differ), and a model folder with nothing in it.
  symlinkSync(tinyModel, path.join(dir, 'tiny'), 'dir');
  symlinkSync(tinyModel, path.join(dir, 'tiny2'), 'dir');
  mkdirSync(path.join(dir, 'empty-model'));
  const experiment = JSON.parse(readFileSync(path.join(dir, 'case.experiment.json'), 'utf8')) as Record<string, unknown>;
  const dataset = { ...(experiment.dataset as Record<string, unknown>) };
  for (const role of DATA_ROLES) {
    const source = c[role];
    if (source === undefined) continue;
    const target = place(source, role);
    dataset[role] = path.basename(target);
    files[role] = target;
  }
  if (c.prompt !== undefined) files.prompt = place(c.prompt, 'task');
  else files.prompt = path.join(dir, 'task.prompt.json');
  const experimentFile = path.join(dir, 'case.experiment.json');
  if (c.experiment !== undefined) {
    if (place(c.experiment, 'case') !== experimentFile) throw new Error(`${c.id}: an experiment file must end in .experiment.json`);
  } else {
    const patched = merge({ ...experiment, dataset }, c.patch ?? {});
    if (c.prompt !== undefined) patched.prompt = path.basename(files.prompt);
    writeFileSync(experimentFile, JSON.stringify(patched, null, 2) + '\n');
  }
  files.experiment = experimentFile;
  return { dir, argv: ['run', experimentFile, '--dry-run'], inputs: filesUnder(dir), marker, files };
}

/** `.csv`, `.jsonl`, `.experiment.json`, `.prompt.json`, … */
function extensionOf(name: string): string {
  const m = /(\.(experiment|prompt))?\.[A-Za-z0-9]+$/.exec(name);
  return m ? m[0] : '';
}

function writeGoodInput(file: string): string {
  writeFileSync(file, '{"text": "free entry now"}\n{"text": "see you at lunch", "text_pair": "this is [MASK]"}\n');
  return file;
}

/** Deep merge for plain objects; arrays and scalars replace; null deletes. */
function merge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isObject(v) && isObject(out[k])) out[k] = merge(out[k] as Record<string, unknown>, v);
    else out[k] = v;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** sha256 of each file, streamed in pieces so a 200 MB input costs no 200 MB buffer. */
export function digests(files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    const hash = createHash('sha256');
    const fd = openSync(f, 'r');
    try {
      const buf = Buffer.alloc(1 << 20);
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        hash.update(buf.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    out.set(f, hash.digest('hex'));
  }
  return out;
}
