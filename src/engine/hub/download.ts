// Downloads the files of one model into the python-compatible cache (see cache.ts) with @huggingface/hub.
// Only the files a BERT-family model needs are fetched, not the whole repo (repos often also hold TF, Flax and ONNX
// copies of the weights). @huggingface/hub's own downloadFileToCacheDir is not used: it reports no progress, logs
// to stdout, names the snapshot after a file's last commit rather than the revision's, and keeps one fixed
// `.incomplete` name that two processes would share. Its lower-level calls are used instead, and the layout is
// written here: each blob is streamed to a private temporary name, checked, then renamed, and `refs/<revision>` is
// written last, so an interrupted download never makes a revision resolve to a partial snapshot.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { downloadFile, modelInfo, pathsInfo, type PathInfo } from '@huggingface/hub';
import { UserError } from '../errors';
import { renameIntoPlace, tempPathFor, writeAll, writeFileAtomic } from '../fs/atomic';
import { asStorageError, type WriteSite } from '../fs/storage-error';
import { hubCacheDir, repoCacheDir } from './cache';
import { DEFAULT_REVISION, isCommitHash } from './hub-id';
import { CONFIG_FILE, exists, SAFETENSORS_INDEX_FILE, shardNames, TOKENIZER_FILES, WEIGHT_FILES } from './model-files';
import { hubFailure } from './hub-failure';

type Env = Record<string, string | undefined>;

export interface DownloadProgress {
  /** File name inside the repo, e.g. `model.safetensors`. */
  file: string;
  loadedBytes: number;
  totalBytes?: number;
}
export type ProgressCallback = (p: DownloadProgress) => void;

export interface DownloadOptions {
  repoId: string;
  revision?: string;
  cacheDir?: string;
  /** Hub base URL; defaults to `HF_ENDPOINT`, else https://huggingface.co. */
  endpoint?: string;
  /** Access token for private or gated models; defaults to `HF_TOKEN`. Sent to the Hub only, never stored. */
  token?: string;
  onProgress?: ProgressCallback;
  env?: Env;
}

export interface DownloadResult {
  /** The snapshot folder, `<cache>/models--org--name/snapshots/<commit>`. */
  dir: string;
  commit: string;
  /** Files newly placed in the snapshot by this call; empty when the cache already had them all. */
  downloaded: string[];
}

export function hubEndpoint(env: Env = process.env): string {
  return (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
}

export async function downloadModel(opts: DownloadOptions): Promise<DownloadResult> {
  const env = opts.env ?? process.env;
  const { repoId } = opts;
  const revision = opts.revision ?? DEFAULT_REVISION;
  const cacheDir = opts.cacheDir ?? hubCacheDir(env);
  const endpoint = opts.endpoint ?? hubEndpoint(env);
  const hub = { repo: { type: 'model' as const, name: repoId }, hubUrl: endpoint, accessToken: opts.token || env.HF_TOKEN || undefined };
  const where = { repoId, revision, endpoint, cacheDir, file: undefined as string | undefined };
  try {
    const { sha: commit } = await modelInfo({ ...hub, name: repoId, revision, additionalFields: ['sha'] });
    if (typeof commit !== 'string' || !isCommitHash(commit)) {
      throw new UserError(`the Hub at ${endpoint} gave no commit hash for ${repoId}@${revision}`, { file: repoId }, 'Check HF_ENDPOINT points at a Hugging Face Hub.');
    }
    const repoDir = repoCacheDir(cacheDir, repoId);
    const snapshot = join(repoDir, 'snapshots', commit);
    const list = async (paths: string[]) =>
      new Map((await pathsInfo({ ...hub, paths, revision: commit })).filter((i) => i.type === 'file').map((i) => [i.path, i]));

    const listed = await list([CONFIG_FILE, ...WEIGHT_FILES, ...TOKENIZER_FILES]);
    if (!listed.has(CONFIG_FILE)) {
      throw new UserError(`${repoId}@${revision} has no ${CONFIG_FILE}, so it is not a transformers model`, { file: repoId }, 'Pick a model repo that has config.json (a BERT-family checkpoint).');
    }
    const weights = WEIGHT_FILES.find((f) => listed.has(f));
    if (weights === undefined) {
      throw new UserError(`${repoId}@${revision} has no weights (none of ${WEIGHT_FILES.join(', ')})`, { file: repoId }, 'Pick a revision or model that has PyTorch or safetensors weights.');
    }
    const downloaded: string[] = [];
    const fetchOne = async (file: string, info: PathInfo) => {
      where.file = file;
      if (await fetchIntoSnapshot({ file, info, repoDir, snapshot, commit, hub, onProgress: opts.onProgress })) downloaded.push(file);
      where.file = undefined;
    };
    for (const file of [CONFIG_FILE, weights, ...TOKENIZER_FILES.filter((f) => listed.has(f))]) {
      await fetchOne(file, listed.get(file)!);
    }
    if (weights === SAFETENSORS_INDEX_FILE) {
      const shards = shardNames(await readFile(join(snapshot, weights), 'utf8'), `${repoId}/${weights}`);
      const shardInfo = await list(shards);
      for (const shard of shards) {
        const info = shardInfo.get(shard);
        if (info === undefined) {
          throw new UserError(`${weights} names shard ${shard}, which ${repoId}@${revision} does not have`, { file: repoId }, 'Pick another revision; this one is incomplete on the Hub.');
        }
        await fetchOne(shard, info);
      }
    }
    // Record the tokenizer files the repo lacks, as python does, so a later lookup knows the snapshot is complete.
    for (const file of TOKENIZER_FILES.filter((f) => !listed.has(f))) {
      await mkdir(join(repoDir, '.no_exist', commit), { recursive: true });
      await writeFile(join(repoDir, '.no_exist', commit, file), '');
    }
    if (revision !== commit) await writeAtomically(join(repoDir, 'refs', revision), commit);
    return { dir: snapshot, commit, downloaded };
  } catch (e) {
    throw hubFailure(e, where, hub.accessToken);
  }
}

interface FetchJob {
  file: string;
  info: PathInfo;
  repoDir: string;
  snapshot: string;
  commit: string;
  hub: { repo: { type: 'model'; name: string }; hubUrl: string; accessToken?: string };
  onProgress?: ProgressCallback;
}

/**
 * Puts one file into the snapshot, downloading its blob unless the cache already holds it (e.g. from another
 * revision). False when the snapshot already had the file.
 */
async function fetchIntoSnapshot(job: FetchJob): Promise<boolean> {
  const { file, info, repoDir, snapshot } = job;
  const link = join(snapshot, file);
  if (await exists(link)) return false;
  // Python names blobs by etag: the sha256 for LFS files, the git blob sha1 for the others.
  const etag = info.lfs?.oid ?? info.oid;
  if (etag === undefined || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(etag)) {
    throw new UserError(`the Hub listed ${file} without a valid hash`, { file: job.hub.repo.name }, 'Check HF_ENDPOINT points at a Hugging Face Hub.');
  }
  const blob = join(repoDir, 'blobs', etag);
  if (!(await exists(blob))) await downloadBlob(job, blob, info.lfs ? etag : undefined);
  await linkInto(blob, link);
  return true;
}

async function downloadBlob(job: FetchJob, blob: string, sha256: string | undefined): Promise<void> {
  const { file, info, onProgress } = job;
  const data = await downloadFile({ ...job.hub, path: file, revision: job.commit });
  if (data === null) {
    throw new UserError(`the Hub lists ${file} in ${job.hub.repo.name}@${job.commit} but answers 404 for it`, { file: job.hub.repo.name }, 'Try again later or pick another revision.');
  }
  const hash = sha256 === undefined ? undefined : createHash('sha256');
  let loaded = 0;
  onProgress?.({ file, loadedBytes: 0, totalBytes: info.size });
  // Streamed into a private temporary file and checked before the rename: a cut or corrupt download leaves no blob.
  await inCache(blob, async () => {
    await mkdir(dirname(blob), { recursive: true });
    await writeFileAtomic(blob, async (handle) => {
      for await (const chunk of Readable.fromWeb(data.stream() as unknown as NodeReadableStream<Uint8Array>)) {
        hash?.update(chunk);
        loaded += chunk.byteLength;
        onProgress?.({ file, loadedBytes: loaded, totalBytes: info.size });
        await writeAll(handle, chunk);
      }
      if (loaded !== info.size) {
        throw new UserError(`download of ${file} was cut short (${loaded} of ${info.size} bytes)`, { file: job.hub.repo.name }, 'Run again to retry the download.');
      }
      if (hash !== undefined && hash.digest('hex') !== sha256) {
        throw new UserError(`download of ${file} is corrupt (its sha256 does not match the Hub's)`, { file: job.hub.repo.name }, 'Run again to retry the download.');
      }
    });
  });
}

/** Points `link` at `blob` with a relative symlink (python's layout); copies where symlinks are not allowed (Windows). */
async function linkInto(blob: string, link: string): Promise<void> {
  await inCache(link, async () => {
    await mkdir(dirname(link), { recursive: true });
    const temp = tempPathFor(link);
    try {
      try {
        await symlink(relative(dirname(link), blob), temp);
      } catch {
        await copyFile(blob, temp);
      }
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    await renameIntoPlace(temp, link);
  });
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await inCache(file, async () => {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, text);
  });
}

const HUB_CACHE: WriteSite = { folder: 'the Hugging Face cache', elsewhere: 'set HF_HUB_CACHE to a folder on a disk with room that you can write to' };

/** Runs a write into the cache; a full disk or a read-only cache becomes one error that says how to fix it. */
async function inCache(file: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (e) {
    throw asStorageError(e, file, HUB_CACHE);
  }
}
