// The user's Hugging Face cache, located and laid out exactly as python's huggingface_hub does it, so a model
// downloaded by `huggingface-cli download` or `from_pretrained` is found here and one downloaded here is found there:
//
//   <cache>/models--org--name/refs/<revision>        file holding the commit hash the branch or tag points to
//   <cache>/models--org--name/snapshots/<commit>/<f>  symlink to ../../blobs/<etag>
//   <cache>/models--org--name/blobs/<etag>           the bytes (etag: sha256 for LFS files, git sha1 otherwise)
//   <cache>/models--org--name/.no_exist/<commit>/<f>  empty marker: the repo has no such file at that commit
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { isValidRevision, repoFolderName } from './hub-id';

type Env = Record<string, string | undefined>;

/**
 * The hub cache folder: `HF_HUB_CACHE`, else the legacy `HUGGINGFACE_HUB_CACHE`, else `HF_HOME/hub`, else
 * `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub` (huggingface_hub's constants.py, including its
 * `~` and `$VAR` expansion). Unlike python, a variable set to the empty string counts as unset: an empty cache path
 * would silently mean "the current folder".
 */
export function hubCacheDir(env: Env = process.env): string {
  const get = (name: string) => (env[name] === '' ? undefined : env[name]);
  const hfHome = expand(get('HF_HOME') ?? join(get('XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'huggingface'), env);
  return expand(get('HF_HUB_CACHE') ?? get('HUGGINGFACE_HUB_CACHE') ?? join(hfHome, 'hub'), env);
}

/** python's `os.path.expandvars(os.path.expanduser(p))`: a leading `~`, then `$VAR` / `${VAR}` (unset ones kept). */
function expand(p: string, env: Env): string {
  const home = p === '~' || p.startsWith('~/') || (sep === '\\' && p.startsWith('~\\')) ? homedir() + p.slice(1) : p;
  const vars = home.replace(/\$(\w+)|\$\{([^}]*)\}/g, (whole, a?: string, b?: string) => env[a ?? b ?? ''] ?? whole);
  return sep === '\\' ? vars.replace(/%([^%]+)%/g, (whole, name: string) => env[name] ?? whole) : vars;
}

export function repoCacheDir(cacheDir: string, repoId: string): string {
  return join(cacheDir, repoFolderName(repoId));
}

/**
 * The snapshot folder for a revision, or undefined when it is not cached. Like python's `try_to_load_from_cache`, a
 * revision with a file under `refs/` is resolved through it; any other revision (a commit hash) names the snapshot.
 */
export async function findCachedSnapshot(
  repoId: string,
  revision = 'main',
  cacheDir = hubCacheDir(),
): Promise<string | undefined> {
  if (!isValidRevision(revision)) return undefined;
  const repoDir = repoCacheDir(cacheDir, repoId);
  const ref = await readText(join(repoDir, 'refs', revision));
  const commit = ref === undefined ? revision : ref.trim();
  if (!isValidRevision(commit)) return undefined;
  const dir = join(repoDir, 'snapshots', commit);
  return (await isDir(dir)) ? dir : undefined;
}

export interface CachedModel {
  repoId: string;
  commit: string;
  /** The snapshot folder: load the model from here. */
  dir: string;
  /** Branches and tags that point at this commit, e.g. `['main']`; empty for a commit fetched by hash. */
  refs: string[];
}

/** Every model snapshot in the cache, sorted by id, snapshots with refs first. Datasets and spaces are skipped. */
export async function listCachedModels(cacheDir = hubCacheDir()): Promise<CachedModel[]> {
  const models: CachedModel[] = [];
  for (const folder of await listDir(cacheDir)) {
    if (!folder.startsWith('models--')) continue;
    const repoId = folder.slice('models--'.length).split('--').join('/');
    const repoDir = join(cacheDir, folder);
    const refsByCommit = new Map<string, string[]>();
    for (const refFile of await listFilesDeep(join(repoDir, 'refs'))) {
      const commit = (await readText(refFile))?.trim();
      if (commit === undefined) continue;
      const name = relative(join(repoDir, 'refs'), refFile).split(sep).join('/');
      refsByCommit.set(commit, [...(refsByCommit.get(commit) ?? []), name]);
    }
    for (const commit of await listDir(join(repoDir, 'snapshots'))) {
      const dir = join(repoDir, 'snapshots', commit);
      if (await isDir(dir)) models.push({ repoId, commit, dir, refs: (refsByCommit.get(commit) ?? []).sort() });
    }
  }
  return models.sort(
    (a, b) =>
      a.repoId.localeCompare(b.repoId) ||
      Number(b.refs.length > 0) - Number(a.refs.length > 0) ||
      a.commit.localeCompare(b.commit),
  );
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** Files under `dir`, recursively: refs such as `refs/pr/1` are nested. */
async function listFilesDeep(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFilesDeep(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}
