// Training jobs from the real extension host: a tiny experiment runs through the forked worker and writes its run;
// Cancel Job stops it and the run is recorded as cancelled; a worker killed with SIGKILL leaves its run failed with
// the reason, and the next job runs; Estimate Cost returns the grid's estimate.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import type { GridOutcome } from '../../../src/extension/jobs/job-manager';
import type { JobResult } from '../../../src/engine/worker/protocol';
import { makeWorld, readRun, services, startGrid } from './adapt-lab-world';

suite('Adapt Lab jobs in the worker', () => {
  const world = makeWorld('jobs');

  test('Run Experiment trains a tiny experiment in the worker and writes its run', async () => {
    const file = world.experiment('tiny', 3);
    const outcome = await vscode.commands.executeCommand<GridOutcome>('adaptLab.runExperiment', vscode.Uri.file(file));
    assert.ok(outcome?.result, `no result: ${outcome?.failure?.message}`);
    assert.equal(outcome.runsDir, world.runsDir);
    assert.deepEqual(outcome.result.cells.map((c) => c.status), ['done']);
    const run = readRun(world.runsDir, outcome.result.cells[0].runId);
    assert.equal(run.status, 'done');
    assert.notEqual(run.pid, process.pid, 'trained in the worker, not in the extension host');
    // The Runs view lists it under its experiment, with its status.
    const s = await services();
    const groups = await s.runs.getChildren();
    const group = groups.find((g) => s.runs.getTreeItem(g).label === 'tiny');
    assert.ok(group, 'the experiment is a group of the Runs view');
    assert.equal(s.runs.getTreeItem(group).description, '1/1 done');
    const [item] = (await s.runs.getChildren(group)).map((n) => s.runs.getTreeItem(n));
    assert.equal(item.contextValue, 'run:done');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
  });

  test('Cancel Job stops the grid and the run is recorded as cancelled', async () => {
    const s = await services();
    const { running } = await startGrid(s, world, 'long-cancel', 1_000_000);
    await vscode.commands.executeCommand('adaptLab.cancelJob');
    const outcome = await running;
    assert.ok(outcome?.result, `no result: ${outcome?.failure?.message}`);
    assert.equal(outcome.result.cancelled, true);
    assert.equal(readRun(world.runsDir, outcome.result.cells[0].runId).status, 'cancelled');
  });

  test('a worker killed with SIGKILL leaves its run failed with the reason, and the next job runs', async () => {
    const s = await services();
    const { runId, pid, running } = await startGrid(s, world, 'long-kill', 1_000_000);
    assert.ok(pid && pid !== process.pid);
    process.kill(pid, 'SIGKILL');
    const outcome = await running;
    assert.ok(outcome?.failure, 'the job failed');
    assert.match(outcome.failure.message, /the worker process was killed \(SIGKILL\)/);
    assert.deepEqual(outcome.abandoned, [runId]);
    const run = readRun(world.runsDir, runId);
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /killed \(SIGKILL\)/);

    const next = await vscode.commands.executeCommand<GridOutcome>('adaptLab.runExperiment', vscode.Uri.file(world.experiment('after-kill', 2)));
    assert.deepEqual(next?.result?.cells.map((c) => c.status), ['done']);
  });

  test('Estimate Cost of Experiment returns the cells with FLOPs and time, without training', async () => {
    const file = world.experiment('estimate', 40);
    const estimate = await vscode.commands.executeCommand<Extract<JobResult, { kind: 'estimate' }>>('adaptLab.estimateCost', vscode.Uri.file(file));
    assert.ok(estimate);
    assert.equal(estimate.estimates.length, 1);
    assert.equal(estimate.estimates[0].action, 'run');
    assert.ok(estimate.estimates[0].trainFlops > 0 && estimate.estimates[0].seconds > 0);
  });
});
