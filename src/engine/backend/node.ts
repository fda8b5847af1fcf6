// The native TensorFlow backend, @tensorflow/tfjs-node: an optional dependency (its install script downloads
// libtensorflow, which fails offline). It is never bundled; when installed next to the extension or CLI it is
// found with a plain run-time require. It registers the 'tensorflow' backend with the global TF.js engine, which
// our bundled TF.js shares (the engine and kernel registry live on the global object).
import * as tf from '@tensorflow/tfjs';

export type NodeLoad = { ok: true; threads: number } | { ok: false; installed: boolean; reason: string };

let loaded: NodeLoad | undefined;

/** Loads tfjs-node (once) and makes 'tensorflow' the active backend; reports why not when it cannot. */
export async function startNode(threads: number): Promise<NodeLoad> {
  if (!loaded) loaded = loadNode(threads);
  if (!loaded.ok) return loaded;
  if (!(await tf.setBackend('tensorflow'))) {
    return { ok: false, installed: true, reason: 'the tensorflow backend did not initialise' };
  }
  return loaded;
}

function loadNode(threads: number): NodeLoad {
  // TensorFlow reads its intra-op pool size when the library loads, so it must be set before the require.
  process.env.TF_NUM_INTRAOP_THREADS ??= String(threads);
  // TensorFlow's C++ start-up chatter (oneDNN notices, absl warnings) is not for our users; they can turn it back on.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  // tfjs-node brings its own copy of @tensorflow/tfjs, which registers every kernel again in the registry our
  // bundled copy already filled and warns once per kernel (hundreds of lines). The registrations are identical,
  // so those warnings, and only those, are dropped while it loads.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = String(args[0]);
    if (/already registered|has already been set|Reusing existing backend factory/.test(text)) return;
    warn(...args);
  };
  try {
    // A literal require that esbuild leaves alone (the package is marked external in esbuild.mjs).
    require('@tensorflow/tfjs-node');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const missing = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && message.includes("'@tensorflow/tfjs-node'");
    return { ok: false, installed: !missing, reason: missing ? 'not installed' : message.split('\n')[0] };
  } finally {
    console.warn = warn;
  }
  return { ok: true, threads: Number(process.env.TF_NUM_INTRAOP_THREADS) || threads };
}
