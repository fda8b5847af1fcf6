// A Hub model reference: `name`, `org/name`, or either followed by `@revision` (branch, tag or commit hash).
// The rules mirror huggingface_hub's `validate_repo_id`, so an id accepted here is one the Hub can hold, and an
// id refused here gets an error before any cache lookup or request is made.

export interface HubRef {
  repoId: string;
  /** Branch, tag or commit hash; `main` when the argument names none. */
  revision: string;
}

export const DEFAULT_REVISION = 'main';

/** The form shown to users when an argument is neither a folder nor a valid id. */
export const HUB_ID_FORM = '`org/name` or `org/name@revision` (letters, digits, `-`, `_`, `.`), e.g. `google/bert_uncased_L-2_H-128_A-2`';

// One path segment: starts and ends with a word character (python's `\b` boundaries), `-` and `.` inside.
const SEGMENT = '[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?';
const REPO_ID = new RegExp(`^(?:${SEGMENT}/)?${SEGMENT}$`);
const COMMIT_HASH = /^[0-9a-f]{40}$/;

export function isCommitHash(revision: string): boolean {
  return COMMIT_HASH.test(revision);
}

export function isValidRepoId(repoId: string): boolean {
  if (!REPO_ID.test(repoId)) return false;
  const name = repoId.slice(repoId.indexOf('/') + 1);
  // `--` is the cache's separator and `..` a path escape; the Hub forbids both, and `.git` suffixes.
  return name.length <= 96 && !repoId.includes('--') && !repoId.includes('..') && !repoId.endsWith('.git');
}

/** A revision is used as a path under `refs/`, so it may have `/` (e.g. `refs/pr/1`) but never escape. */
export function isValidRevision(revision: string): boolean {
  if (revision === '' || revision.includes('\\') || revision.startsWith('/')) return false;
  return revision.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Parses `org/name[@revision]`; undefined when the text is not a valid Hub reference. */
export function parseHubRef(arg: string): HubRef | undefined {
  const at = arg.indexOf('@');
  const repoId = at < 0 ? arg : arg.slice(0, at);
  const revision = at < 0 ? DEFAULT_REVISION : arg.slice(at + 1);
  if (!isValidRepoId(repoId) || !isValidRevision(revision)) return undefined;
  return { repoId, revision };
}

/** `models--org--name`: the folder that holds one model repository in the cache. */
export function repoFolderName(repoId: string): string {
  return ['models', ...repoId.split('/')].join('--');
}
