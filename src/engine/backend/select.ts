// Chooses the TF.js compute backend for the whole process, once, and says what it chose — every CLI command
// and the extension report this (backend and thread count) next to their results.
//
// auto: native TensorFlow (@tensorflow/tfjs-node) when it is installed — 2–3× faster than the alternatives —
// else WebAssembly (XNNPACK, SIMD, threads in our bundles), else the pure-JS cpu backend (correct but 30× slower
// than wasm, so it is reported as a fallback). ADAPT_LAB_BACKEND=node|wasm|cpu forces one; a forced backend
// that cannot start is an error, never a silent fallback.
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../errors';
import { registerCpuKernels } from './cpu-kernels';
import { startNode } from './node';
import { planThreads, THREADS_ENV } from './threads';
import { startWasm } from './wasm';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | 'node' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** What was asked for: the preference passed in, or ADAPT_LAB_BACKEND when that was 'auto'. */
  requested: string;
  threads: number;
  /** wasm only: whether the SIMD binary runs. */
  simd?: boolean;
  tfjsVersion: string;
  /** Why the backend or thread count is not the best one possible, in a sentence. */
  note?: string;
}

export const BACKEND_ENV = 'ADAPT_LAB_BACKEND';
const PREFERENCES: readonly BackendPreference[] = ['auto', 'node', 'wasm', 'cpu'];

let current: { request: BackendPreference; info: Promise<BackendInfo> } | undefined;

/**
 * Starts (or returns the already started) backend. An explicit preference wins; 'auto' defers to
 * ADAPT_LAB_BACKEND when it is set. Asking again for the same thing returns the same answer; asking for another
 * backend switches to it (tests do this to run on each backend).
 */
export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  const request = preference === 'auto' ? fromEnvironment() : preference;
  if (current?.request !== request) {
    const info = start(request, preference === 'auto' && request !== 'auto');
    current = { request, info };
    info.catch(() => {
      if (current?.info === info) current = undefined;
    });
  }
  return current.info;
}

/** The backend started by initBackend, if any. */
export function currentBackend(): Promise<BackendInfo> | undefined {
  return current?.info;
}

function fromEnvironment(): BackendPreference {
  const raw = process.env[BACKEND_ENV]?.trim().toLowerCase();
  if (!raw) return 'auto';
  if ((PREFERENCES as readonly string[]).includes(raw)) return raw as BackendPreference;
  throw new UserError(
    `${BACKEND_ENV} must be one of ${PREFERENCES.join(', ')}, not "${process.env[BACKEND_ENV]}"`,
    { field: BACKEND_ENV },
    `Set ${BACKEND_ENV}=wasm (or node, cpu), or unset it to choose automatically.`,
  );
}

async function start(request: BackendPreference, fromEnv: boolean): Promise<BackendInfo> {
  const plan = planThreads();
  const threads = plan.threads;
  const base = { requested: request, tfjsVersion: tf.version_core };
  const place = fromEnv ? { field: BACKEND_ENV } : {};
  const fallbacks: string[] = []; // why auto did not get a faster backend

  if (request === 'node' || request === 'auto') {
    const node = await startNode(threads);
    if (node.ok) return { ...base, name: 'tensorflow', threads: node.threads, note: plan.note };
    if (request === 'node') {
      throw node.installed
        ? new UserError(
            `@tensorflow/tfjs-node is installed but does not load: ${node.reason}`,
            place,
            'Rebuild it (npm rebuild @tensorflow/tfjs-node) or use ADAPT_LAB_BACKEND=wasm.',
          )
        : new UserError(
            '@tensorflow/tfjs-node is not installed (its install downloads libtensorflow from the internet, so it is optional)',
            place,
            'Install it with `npm install @tensorflow/tfjs-node` on a machine with internet access, or use ADAPT_LAB_BACKEND=wasm.',
          );
    }
    if (node.installed) fallbacks.push(`@tensorflow/tfjs-node does not load (${node.reason})`);
  }

  if (request === 'wasm' || request === 'auto') {
    try {
      const wasm = await startWasm(threads);
      const note = [...fallbacks, wasm.threads === threads ? plan.note : undefined, wasm.note].filter(Boolean).join('; ') || undefined;
      return { ...base, name: 'wasm', threads: wasm.threads, simd: wasm.simd, note };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      if (request === 'wasm') {
        throw new UserError(
          `the WebAssembly backend cannot start: ${reason}`,
          place,
          'Rebuild (npm run build copies the .wasm files next to the program), or use ADAPT_LAB_BACKEND=cpu.',
        );
      }
      fallbacks.push(`WebAssembly cannot start (${reason})`);
    }
  }

  registerCpuKernels();
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  // tfjs-backend-cpu prints a "you are running TensorFlow.js in Node.js" banner on first use; our own note
  // below says the same thing in context, so the banner is switched off.
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  if (request === 'auto') fallbacks.push('using the slow pure-JavaScript cpu backend');
  if (threads > 1 && process.env[THREADS_ENV] !== undefined) fallbacks.push(`the cpu backend runs one thread, not ${threads}`);
  return { ...base, name: 'cpu', threads: 1, note: fallbacks.join('; ') || undefined };
}
