// How a worker is started from the user's settings: which runtime, and the environment that carries the compute
// backend and the Hugging Face cache and offline choices to the engine (which reads them as the CLI does).
// The Hugging Face token travels the same way and only this way: as HF_TOKEN in the child's environment, never in
// argv, the job message, a run record or a setting. The token stored with "Adapt Lab: Set Hugging Face Token…"
// (VS Code's SecretStorage) wins over an HF_TOKEN VS Code itself was started with: storing one is the explicit,
// later choice; without a stored token the inherited HF_TOKEN is passed on as is, as the CLI would use it.
// Pure: unit-tested without VS Code.
import path from 'node:path';
import type { WorkerLaunch } from './worker-process';

export type BackendSetting = 'auto' | 'node' | 'wasm' | 'cpu';
export const BACKEND_SETTINGS: readonly BackendSetting[] = ['auto', 'node', 'wasm', 'cpu'];

export interface EngineSettings {
  backend: BackendSetting;
  /** A Node binary for the worker; empty: VS Code's own runtime. */
  workerNodePath: string;
  /** The Hugging Face hub cache folder; empty: huggingface_hub's default (HF_HUB_CACHE, HF_HOME, ~/.cache/...). */
  hfCacheDir: string;
  hfOffline: boolean;
}

export function workerEnv(s: EngineSettings, base: NodeJS.ProcessEnv = process.env, hfToken?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  if (hfToken !== undefined && hfToken !== '') env.HF_TOKEN = hfToken;
  if (s.backend !== 'auto') env.ADAPT_LAB_BACKEND = s.backend;
  if (s.hfCacheDir.trim() !== '') env.HF_HUB_CACHE = s.hfCacheDir.trim();
  if (s.hfOffline) env.HF_HUB_OFFLINE = '1';
  return env;
}

/** The launch of dist/worker.js inside the extension folder; `hfToken` is the stored token, if one is. */
export function workerLaunch(extensionPath: string, s: EngineSettings, base: NodeJS.ProcessEnv = process.env, hfToken?: string): WorkerLaunch {
  const launch: WorkerLaunch = { script: path.join(extensionPath, 'dist', 'worker.js'), env: workerEnv(s, base, hfToken) };
  if (s.workerNodePath.trim() !== '') launch.execPath = s.workerNodePath.trim();
  return launch;
}
