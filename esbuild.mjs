// Bundles every entry point of Adapt Lab. The node bundles keep native and optional modules external
// (tfjs-node is loaded at run time only when it is installed); the wasm binaries of the TF.js wasm
// backend are copied next to the bundles, where src/engine/backend finds them.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
};
// [entry, outfile, options]; an entry that does not exist yet is reported, not silently skipped.
const entries = [
  ['src/cli/main.ts', 'dist/cli.js', { ...node, banner: { js: '#!/usr/bin/env node' } }],
  ['src/engine/worker.ts', 'dist/worker.js', node],
  ['src/extension/extension.ts', 'dist/extension.js', node],
  ['bench/engine.ts', 'dist/bench.js', node],
  ['webview/main.ts', 'dist/webview.js', { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !production, minify: production, logLevel: 'warning' }],
];

mkdirSync('dist', { recursive: true });
const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join('dist', f));

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
