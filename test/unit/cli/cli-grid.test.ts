// The CLI's run / report / predict as a user meets them, in a child process: exit codes, the report on stdout and
// progress on stderr, the one-line error contract, and what happens when the process is killed or interrupted
// in the middle of a cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunStore } from '../../../src/engine/runs/store';
import { experimentJson, L_A, makeWorld, repoRoot } from '../grid/helpers';

const MAIN = path.join(repoRoot, 'src', 'cli', 'main.ts');

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `adapt-lab` from source; `onStderrLine` may act on the child (e.g. kill it) as lines arrive. */
function cli(args: string[], onStderrLine?: (line: string, child: ReturnType<typeof spawn>) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: repoRoot, env: { ...process.env, ADAPT_LAB_BACKEND: 'wasm' } });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      partial += d;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) onStderrLine?.(line, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

test('a bad experiment file: exit 2 and one line naming the file, line and field', async () => {
  const w = await makeWorld(experimentJson({ seeds: 'one' }));
  try {
    const r = await cli(['run', w.file]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`^adapt-lab: ${w.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: seeds: expected a list`));

    const missing = await cli(['run', path.join(w.dir, 'nope.experiment.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.experiment\.json: the experiment file was not found/);
  } finally {
    w.dispose();
  }
});

test('run prints the report and where the runs are; report and predict read them back', async () => {
  const w = await makeWorld();
  try {
    const r = await cli(['run', w.file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^method +teacher +model +train n +seeds +accuracy +macro-F1 +train FLOPs +infer FLOPs\/ex +p50 ms$/m);
    assert.ok(r.stdout.trimEnd().endsWith(`Runs: ${w.runsDir}`), r.stdout);
    assert.match(r.stderr, /^\[8\/8\] distill__tiny-a__n8__s1__from-prompt-tiny-b: done — accuracy \d\.\d{3}/m);
    assert.match(r.stderr, /^adapt-lab: backend: wasm, \d+ thread\(s\)$/m);

    const text = await cli(['report', w.runsDir]);
    assert.equal(text.code, 0);
    assert.equal(text.stdout, r.stdout.slice(0, r.stdout.lastIndexOf('\nRuns: ')));
    const json = await cli(['report', w.file, '--json']);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.rows.length, 8);
    assert.deepEqual(parsed.notices, []);

    const store = new RunStore(w.runsDir);
    const teacher = store.list().runs.find((run) => run.cellId === 'finetune__tiny-b__n8__s1')!;
    const tests = readFileSync(path.join(w.dir, 'test.jsonl'), 'utf8').trim().split('\n').slice(0, 5);
    const input = path.join(w.dir, 'in.jsonl');
    const out = path.join(w.dir, 'out.jsonl');
    writeFileSync(input, tests.map((l) => JSON.stringify({ text: JSON.parse(l).text })).join('\n') + '\n');
    const p = await cli(['predict', '--run', teacher.id, '--runs-dir', w.runsDir, '--input', input, '--out', out]);
    assert.equal(p.code, 0, p.stderr);
    const predicted = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const recorded = store.readPredictions(teacher.id).slice(0, 5);
    assert.equal(predicted.length, 5);
    predicted.forEach((row, i) => {
      assert.deepEqual(Object.keys(row.probs), ['ham', 'spam']);
      assert.equal(row.label, recorded[i].predicted, 'the saved model predicts what the run recorded');
      assert.ok(Math.abs(row.probs.ham - recorded[i].probs[0]) < 1e-5 && Math.abs(row.probs.spam - recorded[i].probs[1]) < 1e-5);
    });

    const zeroShot = store.list().runs.find((run) => run.cellId === 'prompt__tiny-a__n0__s1')!;
    const unsaved = await cli(['predict', '--run', path.join(w.runsDir, zeroShot.id), '--input', input]);
    assert.equal(unsaved.code, 2);
    assert.match(unsaved.stderr, /--run: this run did not save its model\. Set "saveModels": true/);
  } finally {
    w.dispose();
  }
});

/** Two long fine-tuning cells, so that a signal reliably lands in the middle of one. */
const LONG = experimentJson({ models: [L_A], methods: ['finetune'], trainSizes: [8], seeds: [1, 2], training: { finetune: { maxSteps: 150, batchSize: 4, maxLength: 32 } } });

test('killed in the middle of a cell (SIGKILL): the next run re-runs that cell and completes the grid', async () => {
  const w = await makeWorld(LONG);
  try {
    const killed = await cli(['run', w.file], (line, child) => {
      if (/^\[2\/2\] .*: step \d+\/150/.test(line)) child.kill('SIGKILL');
    });
    assert.equal(killed.signal, 'SIGKILL');
    const store = new RunStore(w.runsDir);
    const byCell = () => Object.fromEntries(store.list().runs.map((r) => [r.cellId, r]));
    assert.equal(byCell()['finetune__tiny-a__n8__s1'].status, 'done');
    assert.equal(byCell()['finetune__tiny-a__n8__s2'].status, 'running', 'left running by a process that no longer exists');

    const again = await cli(['run', w.file]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /\[1\/2\] finetune__tiny-a__n8__s1: skipped \(already done\)/);
    assert.match(again.stderr, /finetune__tiny-a__n8__s2: interrupted \(process \d+ is gone\); running it again/);
    const s2 = byCell()['finetune__tiny-a__n8__s2'];
    assert.equal(s2.status, 'done');
    assert.equal(s2.attempt, 2);
  } finally {
    w.dispose();
  }
});

test('interrupted (SIGINT): exit 130, the run is marked cancelled, the lock released, the report still printed', async () => {
  const w = await makeWorld(LONG);
  try {
    let sent = false;
    const r = await cli(['run', w.file], (line, child) => {
      if (!sent && /^\[1\/2\] .*: step \d+\/150/.test(line)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /SIGINT: stopping after the current step/);
    assert.match(r.stdout, /Not in the table: 1 cancelled\./);
    const runs = new RunStore(w.runsDir).list().runs;
    assert.deepEqual(runs.map((run) => [run.cellId, run.status]), [['finetune__tiny-a__n8__s1', 'cancelled']]);
    assert.equal(existsSync(path.join(w.runsDir, '.lock')), false);
  } finally {
    w.dispose();
  }
});
