// The extension bundle loaded outside VS Code with a stand-in vscode module: what the activation test checks and
// what `npm run bench:activation` times.
import { mkdtempSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { fakeVscode, type Recorded } from './fake-vscode';
import { repoRoot } from './helpers';

export async function bundle(): Promise<{ file: string; inputs: string[]; dir: string }> {
  const r = await esbuild.build({
    entryPoints: [path.join(repoRoot, 'src', 'extension', 'extension.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', '@tensorflow/tfjs-node'],
    write: false, metafile: true, logLevel: 'error',
  });
  // Inside the repository, so that the bundle's own lookups (the shipped vocabulary) resolve as from dist/.
  const dir = mkdtempSync(path.join(repoRoot, 'dist', '.activation-test-'));
  const file = path.join(dir, 'extension.js');
  writeFileSync(file, r.outputFiles[0].text);
  return { file, inputs: Object.keys(r.metafile.inputs), dir };
}

export function load(file: string, recorded: Recorded): { activate(ctx: unknown): unknown } {
  const vscode = fakeVscode(recorded);
  const original = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: typeof original })._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? vscode : original(request, ...rest));
  try {
    delete require.cache[file];
    return require(file);
  } finally {
    (Module as unknown as { _load: typeof original })._load = original;
  }
}

export const context = () => ({
  subscriptions: [] as unknown[],
  extensionPath: repoRoot,
  extensionUri: { fsPath: repoRoot, path: repoRoot, scheme: 'file' },
  workspaceState: { get: (_k: string, d: unknown) => d, update: async () => {} },
  globalState: { get: (_k: string, d: unknown) => d, update: async () => {} },
});
