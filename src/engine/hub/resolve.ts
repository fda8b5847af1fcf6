// Turns the user's model argument into a folder on disk: a local folder as is, a Hub id from the Hugging Face cache,
// or, when neither has it and downloads are allowed, from the Hub into that cache.
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve, sep } from 'node:path';
import { isUserError, UserError } from '../errors';
import { findCachedSnapshot, hubCacheDir, repoCacheDir } from './cache';
import { downloadModel, type ProgressCallback } from './download';
import { HUB_ID_FORM, parseHubRef, type HubRef } from './hub-id';
import { checkModelFolder, CONFIG_FILE } from './model-files';
import { offlineReason, provideModelFix } from './offline';

export interface ResolveOptions {
  /** Never download; also on when HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE is true in `env`. */
  offline?: boolean;
  /** Access token for private or gated models; defaults to `HF_TOKEN`. */
  token?: string;
  onProgress?: ProgressCallback;
  /** The hub cache folder; defaults to huggingface_hub's (HF_HUB_CACHE, HF_HOME, ...). */
  cacheDir?: string;
  /** Hub base URL; defaults to `HF_ENDPOINT`, else https://huggingface.co. */
  endpoint?: string;
  /** Environment to read HF_* variables from; defaults to process.env. */
  env?: Record<string, string | undefined>;
}

export interface ResolvedModel {
  /** Folder holding config.json, the weights and the tokenizer files. */
  dir: string;
  source: 'folder' | 'cache' | 'download';
  repoId?: string;
  /** The revision asked for (`main` unless the argument said `id@revision`). */
  revision?: string;
  /** The commit the revision resolved to, for recording exactly which weights were used. */
  commit?: string;
}

const FOLDER_FIX = 'Pass the folder a model was saved to with save_pretrained() (it holds config.json and the weights).';

export async function resolveModel(arg: string, opts: ResolveOptions = {}): Promise<ResolvedModel> {
  const text = arg.trim();
  if (text === '') {
    throw new UserError('no model given', { field: 'model' }, `Pass a model folder or a Hub id of the form ${HUB_ID_FORM}.`);
  }
  const local = resolve(text === '~' || text.startsWith('~/') || text.startsWith('~\\') ? homedir() + text.slice(1) : text);
  const found = await stat(local).catch(() => undefined);
  if (found?.isDirectory()) {
    if (!(await stat(join(local, CONFIG_FILE)).catch(() => undefined))?.isFile()) {
      throw new UserError(`model folder ${local} has no ${CONFIG_FILE}`, { file: local }, FOLDER_FIX);
    }
    return { dir: local, source: 'folder' };
  }
  if (found !== undefined) throw new UserError(`${local} is a file, not a model folder`, { file: local }, FOLDER_FIX);

  const ref = parseHubRef(text);
  const pathLike = text.startsWith('.') || text.startsWith('~') || isAbsolute(text);
  if (pathLike || (ref === undefined && (text.includes('/') || text.includes(sep)))) {
    // `org/na--me` may be a mistyped Hub id as much as a missing folder: then say it is neither.
    const notId = pathLike ? '' : `, and ${JSON.stringify(text)} is not a valid Hub id either`;
    throw new UserError(`folder not found: ${local}${notId}`, { file: local }, `Check the path, or pass a Hub id of the form ${HUB_ID_FORM}.`);
  }
  if (ref === undefined) {
    throw new UserError(`${JSON.stringify(text)} is neither a model folder nor a valid Hub id`, { file: text }, `Pass a model folder, or a Hub id of the form ${HUB_ID_FORM}.`);
  }
  return resolveFromHub(ref, opts);
}

async function resolveFromHub(ref: HubRef, opts: ResolveOptions): Promise<ResolvedModel> {
  const { repoId, revision } = ref;
  const env = opts.env ?? process.env;
  const cacheDir = opts.cacheDir ?? hubCacheDir(env);
  const offline = offlineReason(env, opts.offline);
  const download = (rev: string) =>
    downloadModel({ repoId, revision: rev, cacheDir, endpoint: opts.endpoint, token: opts.token, onProgress: opts.onProgress, env });

  const cached = await findCachedSnapshot(repoId, revision, cacheDir);
  if (cached === undefined) {
    if (offline !== undefined) {
      throw new UserError(
        `model ${repoId}@${revision} is not in the Hugging Face cache at ${cacheDir}, and downloads are off (${offline})`,
        { file: repoId },
        provideModelFix(repoId, revision, cacheDir),
      );
    }
    const got = await download(revision);
    return { dir: got.dir, source: 'download', repoId, revision, commit: got.commit };
  }

  const commit = basename(cached);
  const fromCache: ResolvedModel = { dir: cached, source: 'cache', repoId, revision, commit };
  const check = await checkModelFolder(cached, join(repoCacheDir(cacheDir, repoId), '.no_exist', commit));
  if (check.missing.length === 0 && (check.unknown.length === 0 || offline !== undefined)) return fromCache;
  if (offline !== undefined) {
    throw new UserError(
      `the cached snapshot of ${repoId}@${revision} lacks ${check.missing.join(', ')}, and downloads are off (${offline})`,
      { file: cached },
      provideModelFix(repoId, revision, cacheDir),
    );
  }
  // Fill in what this snapshot lacks (e.g. python fetched the model but not its tokenizer). The cached commit is
  // asked for, not the revision, so a branch that moved on does not turn a small top-up into a new download.
  try {
    const got = await download(commit);
    return { ...fromCache, source: got.downloaded.length > 0 ? 'download' : 'cache' };
  } catch (e) {
    // Only optional tokenizer files were unknown: the cached model is usable without the Hub.
    if (check.missing.length === 0 && isUserError(e)) return fromCache;
    throw e;
  }
}
