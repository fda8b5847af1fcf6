// The labeling editor opens on a dataset as a custom text editor over the file (the document stays the source of
// truth), and Label Data… opens it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { makeWorld, services } from './adapt-lab-world';

suite('Adapt Lab labeling editor', () => {
  const world = makeWorld('labeling');

  test('Label Data… opens a JSON Lines file in the labeling editor', async () => {
    await services();
    const file = path.join(world.dir, 'to-label.jsonl');
    fs.writeFileSync(file, '{"text": "first"}\n{"text": "second", "label": "b"}\n');
    await vscode.commands.executeCommand('adaptLab.labelData', vscode.Uri.file(file));
    let input: unknown;
    for (let i = 0; i < 50; i++) {
      input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      if (input instanceof vscode.TabInputCustom) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(input instanceof vscode.TabInputCustom, 'a custom editor tab is active');
    assert.equal(input.viewType, 'adaptLab.labeling');
    assert.equal(input.uri.fsPath, file);
    // A custom TEXT editor: the file is an ordinary text document too.
    assert.ok(vscode.workspace.textDocuments.some((d) => d.uri.fsPath === file));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
