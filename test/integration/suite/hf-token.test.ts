// The Hugging Face token from the real extension host: "Set Hugging Face Token…" stores it in SecretStorage, the
// worker of the next job has it as HF_TOKEN in its environment (read from the running process, on Linux) and in
// neither its command line nor its job message, and nothing written under the workspace or into the settings holds
// it. A token of the wrong form is refused; "Clear Hugging Face Token" removes it.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { filesUnder } from '../../lib/files';
import { HF_TOKEN_SECRET } from '../../../src/extension/hf-token';
import { makeWorld, services, startGrid } from './adapt-lab-world';

suite('Hugging Face token', () => {
  const world = makeWorld('hf-token');
  const token = `hf_${randomBytes(17).toString('hex')}`;

  test('Set Hugging Face Token stores it in SecretStorage, and the next worker gets it in its environment only', async function () {
    this.timeout(180_000);
    const s = await services();
    const stored = await vscode.commands.executeCommand<boolean>('adaptLab.setHuggingFaceToken', token);
    assert.equal(stored, true);
    assert.equal(await s.context.secrets.get(HF_TOKEN_SECRET), token);
    const launch = await s.jobs.workerLaunch();
    assert.equal(launch.env?.HF_TOKEN, token, 'the stored token wins over an inherited HF_TOKEN');

    // A real grid: while its worker runs, its environment holds the token and its command line does not.
    const { pid, running } = await startGrid(s, world, 'token-run', 1_000_000);
    assert.ok(pid && pid !== process.pid, 'the run names its worker');
    if (process.platform === 'linux') {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      assert.ok(environ.includes(`HF_TOKEN=${token}`), 'the worker\'s environment holds the stored token');
      assert.ok(!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(token), 'the worker\'s command line holds the token');
    }
    await vscode.commands.executeCommand('adaptLab.cancelJob');
    const outcome = await running;
    assert.equal(outcome?.result?.cancelled, true, outcome?.failure?.message);

    // Nothing written under the workspace (the run, its log, the experiment) or in the settings holds the token.
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const files = filesUnder(root);
    assert.ok(files.some((f) => f.endsWith('run.json')), 'the run was written under the workspace');
    assert.deepEqual(files.filter((f) => fs.readFileSync(f).includes(token)), [], 'files holding the token');
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('adaptLab')).includes(token), 'a setting holds the token');
  });

  test('a token of the wrong form is refused and the stored one kept; Clear removes it', async () => {
    const s = await services();
    assert.equal(await vscode.commands.executeCommand<boolean>('adaptLab.setHuggingFaceToken', 'not-a-token-1234'), false);
    assert.equal(await vscode.commands.executeCommand<boolean>('adaptLab.setHuggingFaceToken', 'hf_with a space inside'), false);
    assert.equal(await s.context.secrets.get(HF_TOKEN_SECRET), token);
    assert.equal(await vscode.commands.executeCommand<boolean>('adaptLab.clearHuggingFaceToken'), true);
    assert.equal(await s.context.secrets.get(HF_TOKEN_SECRET), undefined);
    // Without a stored token the worker gets whatever HF_TOKEN VS Code was started with (none here).
    assert.equal((await s.jobs.workerLaunch()).env?.HF_TOKEN, process.env.HF_TOKEN);
  });
});
