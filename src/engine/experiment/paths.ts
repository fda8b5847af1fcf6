// Paths in an experiment file are relative to the file's folder, not to wherever the CLI or the editor happens to
// run, so an experiment means the same thing from any working directory. A model is either a local folder (a path)
// or a Hugging Face Hub id; like transformers' `from_pretrained`, an existing local folder wins over a Hub id.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Resolves a path as written in the experiment file against the file's folder; `~/` is the home folder. */
export function resolveFrom(baseDir: string, written: string): string {
  if (written === '~' || written.startsWith('~/') || written.startsWith('~\\')) {
    return path.join(homedir(), written.slice(1));
  }
  return path.resolve(baseDir, written);
}

export interface ModelRef {
  /** As written (slashes normalised): names the model in run ids, hashes and reports, so these stay the same
   *  when the project folder moves. */
  name: string;
  /** Where to load it from: an absolute folder for a local model, else the Hub id. */
  source: string;
  local: boolean;
}

/** `org/name` or a legacy bare `name`, as the Hub allows them. */
const HUB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** True when `written` can only be a path, or names a folder that exists next to the experiment. */
export function looksLikeLocalModel(written: string, baseDir: string, isDir: (p: string) => boolean = isDirectory): boolean {
  if (/^(\.{1,2}([/\\]|$)|[/\\~]|[A-Za-z]:[/\\])/.test(written) || written.includes('\\')) return true;
  if (!HUB_ID.test(written)) return true;
  return isDir(resolveFrom(baseDir, written));
}

export function resolveModel(written: string, baseDir: string, isDir: (p: string) => boolean = isDirectory): ModelRef {
  if (!looksLikeLocalModel(written, baseDir, isDir)) return { name: written, source: written, local: false };
  const name = path.posix.normalize(written.replace(/\\/g, '/')).replace(/(.)\/$/, '$1');
  return { name, source: resolveFrom(baseDir, written), local: true };
}
