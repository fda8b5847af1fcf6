// Activation outside VS Code, with a stand-in vscode module: the extension bundle never contains TF.js (training
// runs in the worker), activation registers every command, view and editor that package.json contributes, and it
// takes under 100 ms (bundle load included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { fakeVscode, type Recorded } from './fake-vscode';
import { repoRoot } from './helpers';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

async function bundle(): Promise<{ file: string; inputs: string[]; dir: string }> {
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

function load(file: string, recorded: Recorded): { activate(ctx: unknown): unknown } {
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

const context = () => ({
  subscriptions: [] as unknown[],
  extensionPath: repoRoot,
  extensionUri: { fsPath: repoRoot, path: repoRoot, scheme: 'file' },
  workspaceState: { get: (_k: string, d: unknown) => d, update: async () => {} },
  globalState: { get: (_k: string, d: unknown) => d, update: async () => {} },
});

test('the extension host bundle holds no TF.js: models train and predict only in the worker', async () => {
  const { inputs, dir } = await bundle();
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(inputs.filter((i) => i.includes('@tensorflow')), []);
  // No engine module that imports TF.js (model, training, methods, backend code) is bundled, even unused.
  const importsTf = inputs.filter((i) => i.startsWith('src/') && /from '@tensorflow\//.test(readFileSync(path.join(repoRoot, i), 'utf8')));
  assert.deepEqual(importsTf, []);
});

test('activation registers every contributed command, view and editor, in under 100 ms', async () => {
  const { file, dir } = await bundle();
  try {
    const times: number[] = [];
    let recorded!: Recorded;
    // The fastest of three cold loads: the first load of a test process also warms up Node itself.
    for (let i = 0; i < 3; i++) {
      recorded = { commands: [], treeViews: [], customEditors: [], codeLensSelectors: [] };
      const t0 = performance.now();
      const ext = load(file, recorded);
      ext.activate(context());
      times.push(performance.now() - t0);
    }
    const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual([...new Set(recorded.commands)].sort(), contributed);
    assert.deepEqual(recorded.treeViews.sort(), (pkg.contributes.views.adaptLab as { id: string }[]).map((v) => v.id).sort());
    assert.deepEqual(recorded.customEditors, (pkg.contributes.customEditors as { viewType: string }[]).map((e) => e.viewType));
    const best = Math.min(...times);
    console.log(`activation (bundle load + activate): ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
    assert.ok(best < 100, `activation took ${best.toFixed(1)} ms (runs: ${times.map((t) => t.toFixed(1)).join(', ')})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('package.json points the JSON schemas at files that exist, and menus name contributed commands only', () => {
  for (const v of pkg.contributes.jsonValidation as { url: string }[]) {
    assert.doesNotThrow(() => JSON.parse(readFileSync(path.join(repoRoot, v.url), 'utf8')), v.url);
  }
  const ids = new Set((pkg.contributes.commands as { command: string }[]).map((c) => c.command));
  for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
    for (const item of items) assert.ok(ids.has(item.command), `${menu}: ${item.command}`);
  }
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});
