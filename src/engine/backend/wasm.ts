// Starting the WebAssembly backend: where its .wasm files are, how many threads, and our kernel fixes.
//
// Threads: stock tfjs-backend-wasm runs single-threaded in Node. Our bundles (dist/) are built with the patch in
// wasm-build.mjs, which makes the multi-threaded binary usable there; running from source (tests under tsx) uses
// the stock package and so one thread. The patched build is recognised by its multithread flag evaluating true.
// XNNPACK splits a matrix product by output tiles, never along the summed dimension, so results (and gradients)
// are bit-identical whatever the thread count.
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { registerWasmKernels } from './wasm-kernels';

export interface WasmStart {
  threads: number;
  simd: boolean;
  /** Why fewer threads than requested, if so. */
  note?: string;
}

let started: Promise<WasmStart> | undefined;

/**
 * The folder holding the .wasm binaries: the running bundle's own folder (esbuild.mjs copies them into dist/),
 * else, when running from source, the package's dist/ folder.
 */
export function wasmFolder(): string | undefined {
  const binary = 'tfjs-backend-wasm-simd.wasm';
  if (existsSync(join(__dirname, binary))) return __dirname;
  try {
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.node.js'));
    return existsSync(join(dir, binary)) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the wasm backend once (the pool size is fixed at start) and makes it the active backend. */
export async function startWasm(threads: number): Promise<WasmStart> {
  started ??= initialise(threads);
  const result = await started;
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  return result;
}

async function initialise(threads: number): Promise<WasmStart> {
  const folder = wasmFolder();
  if (!folder) throw new Error('its .wasm files were found neither next to the program nor in node_modules');
  registerWasmKernels();
  const threadedBuild = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  const useThreads = threadedBuild && threads > 1;
  // With one thread the plain SIMD binary is used: the threaded one would start its worker pool for nothing.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', useThreads);
  if (useThreads) tfwasm.setThreadsCount(threads);
  tfwasm.setWasmPaths(folder.endsWith(sep) ? folder : folder + sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise (see the warning above)');
  const actual = tfwasm.getThreadsCount();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  let note: string | undefined;
  if (threads > 1 && !threadedBuild) {
    note = 'single-threaded: multi-threaded WebAssembly needs the bundled build (npm run build)';
  } else if (actual < threads) {
    note = `${actual} of ${threads} requested threads available to WebAssembly`;
  }
  return { threads: actual, simd, note };
}
