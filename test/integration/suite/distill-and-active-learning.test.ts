// Launch Knowledge Distillation from a finished teacher run (with its answers given, as the guided flow would
// collect them), and Label Next Uncertain Examples with one helper run (uncertainty) and two (disagreement).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import type { GridOutcome } from '../../../src/extension/jobs/job-manager';
import type { Queue } from '../../../src/extension/labeling/session';
import { fixtureModel, makeWorld, readRun, services } from './adapt-lab-world';

suite('Adapt Lab distillation and active learning', () => {
  const world = makeWorld('kd');
  let teacherId = '';
  let studentId = '';

  test('Launch Knowledge Distillation writes the distillation beside the teacher\'s experiment and trains the student', async () => {
    await services();
    const teacherFile = world.experiment('teacher', 2, { saveModels: true });
    const teacher = await vscode.commands.executeCommand<GridOutcome>('adaptLab.runExperiment', vscode.Uri.file(teacherFile));
    teacherId = teacher?.result?.cells[0].runId ?? '';
    assert.equal(readRun(world.runsDir, teacherId).status, 'done');

    const outcome = await vscode.commands.executeCommand<GridOutcome>('adaptLab.launchDistillation', {
      teacher: { runsDir: world.runsDir, runId: teacherId }, student: fixtureModel, temperature: 3, epochs: 1,
    });
    assert.ok(outcome?.result, `no result: ${outcome?.failure?.message}`);
    assert.deepEqual(outcome.result.cells.map((c) => c.status), ['done']);
    studentId = outcome.result.cells[0].runId;
    const teacherCell = JSON.parse(fs.readFileSync(path.join(world.runsDir, teacherId, 'run.json'), 'utf8')).cellId;
    const kdFile = path.join(world.dir, `teacher.kd-${teacherCell}.experiment.json`);
    assert.ok(fs.existsSync(kdFile), kdFile);
    const student = JSON.parse(fs.readFileSync(path.join(world.runsDir, studentId, 'run.json'), 'utf8'));
    assert.equal(student.method, 'distill');
    assert.equal(student.teacher.runId, teacherId);
    assert.equal(student.training.temperature, 3);
  });

  test('Label Next Uncertain Examples orders the unlabeled rows by the helper\'s uncertainty, with suggestions', async () => {
    const file = path.join(world.dir, 'pool.jsonl');
    const rows = fs.readFileSync(path.join(world.dir, 'test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).text as string);
    fs.writeFileSync(file, [JSON.stringify({ text: rows[0], label: 'ham' }), ...rows.slice(1, 7).map((text) => JSON.stringify({ text }))].join('\n') + '\n');
    const queue = await vscode.commands.executeCommand<Queue>('adaptLab.labelUncertain', vscode.Uri.file(file), [{ runsDir: world.runsDir, runId: teacherId }]);
    assert.ok(queue);
    assert.match(queue.title, /^Most uncertain first/);
    assert.deepEqual([...queue.texts].sort(), rows.slice(1, 7).sort(), 'the unlabeled rows, each once');
    const scores = queue.texts.map((t) => queue.suggestions.get(t)!.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    for (const s of queue.suggestions.values()) {
      assert.ok(['ham', 'spam'].includes(s.label));
      assert.ok(s.confidence >= 0.5 && s.confidence <= 1);
    }
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(tab instanceof vscode.TabInputCustom && tab.viewType === 'adaptLab.labeling');

    const disagreement = await vscode.commands.executeCommand<Queue>('adaptLab.labelUncertain', vscode.Uri.file(file), [
      { runsDir: world.runsDir, runId: teacherId }, { runsDir: world.runsDir, runId: studentId },
    ]);
    assert.match(disagreement?.title ?? '', /^Most disagreed-on first/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
