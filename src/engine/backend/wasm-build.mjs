// Build-time half of the TF.js wasm backend in our bundles (the run-time half is wasm.ts).
// Plain JavaScript because esbuild.mjs imports it; a test (test/unit/backend/threads.test.ts) bundles with it too.
//
// 1. `wasmFiles(outDir)` puts next to a bundle everything the wasm backend loads at run time: the three .wasm
//    binaries, and for the multi-threaded binary its pthread worker script and the Emscripten main script that
//    each worker evaluates.
// 2. `wasmThreadsPlugin()` patches @tensorflow/tfjs-backend-wasm's Node bundle while esbuild bundles it, so
//    that the threaded (pthreads + SIMD) binary can run under Node's worker_threads. Stock 4.22 cannot:
//    - the WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false in Node (tfjs issue #3830);
//    - the worker script and main script are handed to workers as blob: URLs, which worker_threads cannot load
//      (its importScripts shim reads files), so we point them at the files written by `wasmFiles`;
//    - XNNPACK sizes its pool from emscripten_num_logical_cores()/2 (it assumes 2 hyper-threads per core), so a
//      2-vCPU machine got 1 thread whatever was asked; we report 2 × os.cpus() so the pool can use every vCPU
//      and the requested thread count (setThreadsCount) is what decides.
//    - a running pthread holds a reference on the event loop (worker.ref()), and XNNPACK's pool threads run for
//      the life of the module, so a process that used them never exits by itself. The main thread always waits
//      synchronously for the pool's work, so the pool's workers need not keep the process alive: we drop the ref.
//    Each patch must match exactly once: a tfjs upgrade that moves the code fails the build instead of silently
//    shipping a single-threaded (or broken) backend.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const wasmPackageDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
const WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js';
const MAIN = 'tfjs-backend-wasm-threaded-simd.js';

/** Writes the .wasm binaries, the pthread worker script and the threaded main script into outDir. */
export function wasmFiles(outDir) {
  mkdirSync(outDir, { recursive: true });
  const dist = join(wasmPackageDir, 'dist');
  for (const f of readdirSync(dist).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(dist, f), join(outDir, f));
  // The package ships the worker as a module exporting its source; the stock code escapes newlines before
  // making a Blob of it (string literals in it contain raw newlines), and so do we before writing the file.
  const { wasmWorkerContents } = require(join(wasmPackageDir, 'wasm-out', WORKER));
  writeFileSync(join(outDir, WORKER), wasmWorkerContents.replace(/\n/g, '\\n'));
  copyFileSync(join(wasmPackageDir, 'wasm-out', MAIN), join(outDir, MAIN));
}

const inNode = `(typeof process === 'object' && !!process.versions && !!process.versions.node)`;
// The folder given to setWasmPaths (select.ts always sets it), else the bundle's own folder.
const folder = `(wasmPathPrefix != null ? wasmPathPrefix : __dirname + '/')`;

const patches = [
  {
    what: 'multithread support flag',
    from: `        if (ENV.get('IS_NODE')) {
            return [2 /*return*/, false];
        }`,
    to: `        if (ENV.get('IS_NODE')) {
            return [2 /*return*/, typeof SharedArrayBuffer !== 'undefined'];
        }`,
  },
  {
    what: 'pthread worker script location',
    from: `                                if (path.endsWith('.worker.js')) {`,
    to: `                                if (path.endsWith('.worker.js') && ${inNode}) {
                                    return ${folder} + path;
                                }
                                if (path.endsWith('.worker.js')) {`,
  },
  {
    what: 'threaded main script location',
    from: `                                factoryConfig.mainScriptUrlOrBlob = new Blob(`,
    to: `                                factoryConfig.mainScriptUrlOrBlob = ${inNode} ? ${folder} + '${MAIN}' : new Blob(`,
  },
  {
    what: 'running pthreads keep the process alive',
    from: `worker.runPthread = function () { if (ENVIRONMENT_IS_NODE) {
                worker.ref();
            } worker.postMessage(`,
    to: `worker.runPthread = function () { worker.postMessage(`,
  },
  {
    what: 'logical core count',
    from: `return require$$4.cpus().length; return navigator["hardwareConcurrency"];`,
    to: `return 2 * require$$4.cpus().length; return navigator["hardwareConcurrency"];`,
  },
];

/** Applies the patches to the source of tf-backend-wasm.node.js; throws naming the first one that does not fit. */
export function patchWasmBackend(source) {
  let s = source;
  for (const p of patches) {
    const at = s.indexOf(p.from);
    if (at < 0 || s.indexOf(p.from, at + 1) >= 0) {
      throw new Error(`wasm threads patch "${p.what}" does not match @tensorflow/tfjs-backend-wasm exactly once`);
    }
    s = s.slice(0, at) + p.to + s.slice(at + p.from.length);
  }
  return s;
}

/** esbuild plugin: bundles the patched wasm backend in place of the stock Node bundle. */
export function wasmThreadsPlugin() {
  return {
    name: 'tfjs-wasm-threads',
    setup(build) {
      build.onLoad({ filter: /[\\/]tfjs-backend-wasm[\\/]dist[\\/]tf-backend-wasm\.node\.js$/ }, (args) => ({
        contents: patchWasmBackend(readFileSync(args.path, 'utf8')),
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
    },
  };
}
