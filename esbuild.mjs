// Bundles every entry point of Adapt Lab. The node bundles keep native and optional modules external
// (tfjs-node is loaded at run time only when it is installed). The TF.js wasm backend is bundled patched so
// that it can run multi-threaded in Node, and its run-time files (.wasm binaries, pthread worker script) are
// written next to the bundles, where src/engine/backend finds them — see src/engine/backend/wasm-build.mjs.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { wasmFiles, wasmThreadsPlugin } from './src/engine/backend/wasm-build.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode', '@tensorflow/tfjs-node'],
  plugins: [wasmThreadsPlugin()],
};
const browser = { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !production, minify: production, logLevel: 'warning' };
// [entry, outfile, options]; an entry that does not exist yet is reported, not silently skipped.
const entries = [
  ['src/cli/main.ts', 'dist/cli.js', { ...node, banner: { js: '#!/usr/bin/env node' } }],
  ['src/engine/worker.ts', 'dist/worker.js', node],
  ['src/extension/extension.ts', 'dist/extension.js', node],
  ['bench/engine.ts', 'dist/bench.js', node],
  ['webview/dashboard/main.ts', 'dist/dashboard.js', browser],
  ['webview/labeling/main.ts', 'dist/labeling.js', browser],
  // The labeling page's style sheet, loaded by a <link> under the webview's CSP (esbuild copies it, minified in
  // production, and rewrites it on change with --watch).
  ['webview/labeling/labeling.css', 'dist/labeling.css', { bundle: true, minify: production, logLevel: 'warning' }],
];

mkdirSync('dist', { recursive: true });
wasmFiles('dist');

const contexts = [];
for (const [entry, outfile, options] of entries) {
  if (!existsSync(entry)) {
    console.log(`esbuild: ${entry} not present yet, ${outfile} not built`);
    continue;
  }
  const ctx = await esbuild.context({ ...options, entryPoints: [entry], outfile });
  if (watch) await ctx.watch();
  else {
    await ctx.rebuild();
    await ctx.dispose();
  }
  contexts.push(ctx);
}
if (!watch) console.log(`esbuild: built ${contexts.length} bundle(s)`);
