// The extension host loads plain CommonJS, so the integration tests (TypeScript, type-checked with the rest of
// the repository) are bundled into out/integration/ first: index.js plus suite/<name>.test.js, one file per
// suite. Packages stay external and resolve from the repository's node_modules (out/ lies inside it), so
// `vscode` comes from the extension host and `mocha` is the one index.js configured.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { integrationOutDir, repoRoot } from '../vscode/paths';

/** Bundles the runner index and every suite/*.test.{ts,js}; returns the absolute path of index.js. */
export async function bundleIntegrationTests(): Promise<string> {
  const here = path.join(repoRoot, 'test', 'integration');
  const suites = fs
    .readdirSync(path.join(here, 'suite'))
    .filter((f) => /\.test\.[jt]s$/.test(f))
    .map((f) => path.join(here, 'suite', f));
  fs.rmSync(integrationOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(here, 'index.ts'), ...suites],
    outbase: here,
    outdir: integrationOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // VS Code 1.85 (the oldest our engines field allows) runs extensions on Node 18.
    target: 'node18',
    sourcemap: 'inline',
    packages: 'external',
    logLevel: 'warning',
  });
  return path.join(integrationOutDir, 'index.js');
}
