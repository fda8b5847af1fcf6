// Activation outside VS Code, with a stand-in vscode module: the extension bundle never contains TF.js (training
// runs in the worker), and activation registers every command, view and editor that package.json contributes.
// How long activation takes is measured by `npm run bench:activation`, not asserted here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Recorded } from './fake-vscode';
import { repoRoot } from './helpers';
import { bundle, context, load } from './load-extension';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

test('the extension host bundle holds no TF.js: models train and predict only in the worker', async () => {
  const { inputs, dir } = await bundle();
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(inputs.filter((i) => i.includes('@tensorflow')), []);
  // No engine module that imports TF.js (model, training, methods, backend code) is bundled, even unused.
  const importsTf = inputs.filter((i) => i.startsWith('src/') && /from '@tensorflow\//.test(readFileSync(path.join(repoRoot, i), 'utf8')));
  assert.deepEqual(importsTf, []);
});

test('activation registers every contributed command, view and editor', async () => {
  const { file, dir } = await bundle();
  try {
    const recorded: Recorded = { commands: [], treeViews: [], customEditors: [], codeLensSelectors: [] };
    load(file, recorded).activate(context());
    const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual([...new Set(recorded.commands)].sort(), contributed);
    assert.deepEqual(recorded.treeViews.sort(), (pkg.contributes.views.adaptLab as { id: string }[]).map((v) => v.id).sort());
    assert.deepEqual(recorded.customEditors, (pkg.contributes.customEditors as { viewType: string }[]).map((e) => e.viewType));
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
