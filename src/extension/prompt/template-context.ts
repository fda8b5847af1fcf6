// What a prompt template is checked against in the editor: the vocabulary of its model (the template's "model", or
// the adaptLab.defaultModel setting) and the labels of the data it is used with (the training file of an experiment
// that names the template). All of it is found offline and without TF.js — the extension host never downloads a
// model or loads weights; a model that is not on this machine is said so, and its words are not checked.
// Pure Node (no vscode), so it is unit-tested.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isUserError } from '../../engine/errors';
import { readDataset } from '../../engine/data/dataset';
import type { Example } from '../../engine/data/example';
import { labelSet } from '../../engine/data/labels';
import { resolveModel as resolveModelRef } from '../../engine/experiment/paths';
import { parseExperiment, type Experiment } from '../../engine/experiment/schema';
import { findCachedSnapshot, hubCacheDir } from '../../engine/hub/cache';
import { parseHubRef } from '../../engine/hub/hub-id';
import { bundledVocabDir, compactBertConfig } from '../../engine/pretrained';
import { loadTokenizer } from '../../engine/tokenizer';
import type { Tokenizer } from '../../engine/tokenizer/types';

export interface ModelVocabulary {
  /** As written, for messages. */
  model: string;
  /** Where the model loads from: an absolute folder or a Hub id (what a worker job is given). */
  source: string;
  tokenizer?: Tokenizer;
  /** Where the vocabulary came from when not the model's own files, or why there is none. */
  note?: string;
}

/** Models whose vocabulary is bert-base-uncased's, which Adapt Lab ships. */
const UNCASED_BERT = new Set(['bert-base-uncased', 'google-bert/bert-base-uncased', 'bert-large-uncased', 'google-bert/bert-large-uncased']);

const tokenizers = new Map<string, Promise<Tokenizer>>();

function tokenizerOf(dir: string): Promise<Tokenizer> {
  let t = tokenizers.get(dir);
  if (!t) {
    t = loadTokenizer(dir);
    tokenizers.set(dir, t);
    t.catch(() => tokenizers.delete(dir));
  }
  return t;
}

export interface VocabularyOptions {
  trusted: boolean;
  cacheDir?: string;
  /** Whether a local model folder may be read (one outside the workspace needs the person's consent first). */
  mayRead?: (folder: string) => boolean;
}

export async function vocabularyFor(written: string, baseDir: string, opts: VocabularyOptions): Promise<ModelVocabulary> {
  const ref = resolveModelRef(written, baseDir);
  const base = { model: written, source: ref.source };
  try {
    if (ref.local) {
      if (!opts.trusted) return { ...base, note: `The words are not checked: ${written} is a folder of this workspace, and nothing is loaded from an untrusted workspace.` };
      if (opts.mayRead && !opts.mayRead(ref.source)) {
        return { ...base, note: `The words are not checked: ${written} is outside the workspace. Run "Preview on 8 rows" once and allow it, and they are.` };
      }
      return { ...base, tokenizer: await tokenizerOf(ref.source) };
    }
    const hub = parseHubRef(written);
    if (!hub) return { ...base, note: `"${written}" is neither a model folder nor a Hub id; the words are not checked.` };
    const cacheDir = opts.cacheDir || hubCacheDir();
    const snapshot = await findCachedSnapshot(hub.repoId, hub.revision, cacheDir);
    if (snapshot) return { ...base, tokenizer: await tokenizerOf(snapshot) };
    if (UNCASED_BERT.has(hub.repoId) || compactBertConfig(hub.repoId)) {
      return { ...base, tokenizer: await tokenizerOf(bundledVocabDir()), note: `Words are checked against the bert-base-uncased vocabulary shipped with Adapt Lab, which ${hub.repoId} uses (the model is not in the Hugging Face cache).` };
    }
    return { ...base, note: `The words are not checked: ${hub.repoId} is not in the Hugging Face cache (${cacheDir}). Download it, or set "model" in the template (or adaptLab.defaultModel) to a model on this machine.` };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { ...base, note: `The words are not checked: ${e.format()}` };
  }
}

/** The experiments among `files` whose "prompt" is `templateFile` (unparseable experiments are skipped). */
export function experimentsUsing(templateFile: string, files: readonly string[], read: (file: string) => string = (f) => readFileSync(f, 'utf8')): Experiment[] {
  const target = path.resolve(templateFile);
  const out: Experiment[] = [];
  for (const file of files) {
    try {
      const e = parseExperiment(read(file), file);
      if (e.prompt !== undefined && path.resolve(e.prompt) === target) out.push(e);
    } catch {
      // A broken experiment file has its own diagnostics; it just cannot tell us about the data.
    }
  }
  return out;
}

export interface DataLabels {
  labels: string[];
  file: string;
  hasTextPair: boolean;
}

const rowCache = new Map<string, { stamp: string; rows: Promise<Example[]> }>();

/** The rows of an experiment's training file, read once until the file (or the field names) change. */
export async function trainRows(e: Experiment): Promise<Example[] | undefined> {
  const file = e.dataset.train;
  const { textField, textPairField, labelField } = e.dataset;
  let stamp: string;
  try {
    const s = statSync(file);
    stamp = `${s.mtimeMs}:${s.size}:${textField}:${textPairField ?? ''}:${labelField}`;
  } catch {
    return undefined;
  }
  let entry = rowCache.get(file);
  if (entry?.stamp !== stamp) {
    entry = { stamp, rows: readDataset(file, { textField, textPairField, labelField, labeled: true }).then((r) => r.rows) };
    rowCache.set(file, entry);
  }
  try {
    return await entry.rows;
  } catch {
    return undefined;
  }
}

/** The label set of an experiment's training file; undefined when it cannot be read. */
export async function trainLabels(e: Experiment): Promise<DataLabels | undefined> {
  const rows = await trainRows(e);
  if (!rows) return undefined;
  try {
    return { labels: labelSet(rows, e.dataset.train), file: path.basename(e.dataset.train), hasTextPair: e.dataset.textPairField !== undefined };
  } catch {
    return undefined;
  }
}
