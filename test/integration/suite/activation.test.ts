// Runs inside the extension host, next to the extension under development (this repository).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';

const EXTENSION_ID = 'adapt-lab.adapt-lab';
/** This file is bundled to out/integration/suite/, three levels below the repository root. */
const repoRoot = path.resolve(__dirname, '..', '..', '..');

interface ContributedCommand {
  command: string;
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

suite('Adapt Lab in a real extension host', () => {
  test('the extension loaded is this repository, and it activates', async () => {
    const ext = extension();
    // An installed copy of the extension would shadow the one under test and make every result meaningless.
    assert.equal(ext.extensionUri.fsPath, repoRoot);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('every command in package.json contributes.commands is registered after activation', async () => {
    const ext = extension();
    const contributed = ((ext.packageJSON.contributes?.commands ?? []) as ContributedCommand[]).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    await ext.activate();
    // getCommands lists what is registered with the command registry; a command that is only declared in
    // package.json appears in the palette but fails with "command not found" when run.
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });
});
