// Test helper: switch TF.js to the cpu or wasm backend. wasm is what users run; cpu is the reference.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
let wasmPathsSet = false;

export const BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: (typeof BACKENDS)[number]): Promise<void> {
  if (name === 'wasm' && !wasmPathsSet) {
    // The trailing slash matters: the .wasm file names are appended to this prefix.
    setWasmPaths(path.join(repoRoot, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
    wasmPathsSet = true;
  }
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`could not switch TF.js to the ${name} backend`);
}
