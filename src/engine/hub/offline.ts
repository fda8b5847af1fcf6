// Working without the Hub: when downloads are off, and what to tell a user whose model is not on this machine.
// Every "cannot get the model" error ends with the same instructions, so the user learns one way to fix it.
import { DEFAULT_REVISION } from './hub-id';

type Env = Record<string, string | undefined>;

const TRUE_VALUES = new Set(['1', 'ON', 'YES', 'TRUE']);

/**
 * Why downloads are off, or undefined when they are allowed. Mirrors huggingface_hub:
 * `HF_HUB_OFFLINE = _is_true(HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE)`, so a set HF_HUB_OFFLINE wins over the other.
 */
export function offlineReason(env: Env = process.env, offline?: boolean): string | undefined {
  if (offline === true) return 'offline mode is on';
  const name = env.HF_HUB_OFFLINE ? 'HF_HUB_OFFLINE' : env.TRANSFORMERS_OFFLINE ? 'TRANSFORMERS_OFFLINE' : undefined;
  if (name === undefined || !TRUE_VALUES.has(env[name]!.toUpperCase())) return undefined;
  return `${name}=${env[name]} is set`;
}

/** How to put a model on a machine that cannot download it. */
export function provideModelFix(repoId: string, revision: string, cacheDir: string): string {
  const rev = revision === DEFAULT_REVISION ? '' : ` --revision ${revision}`;
  return (
    `Run \`huggingface-cli download ${repoId}${rev}\` on a machine with internet and copy its ` +
    `~/.cache/huggingface/hub to ${cacheDir} (or point HF_HUB_CACHE at the copy), ` +
    'or pass a local folder saved with save_pretrained().'
  );
}
