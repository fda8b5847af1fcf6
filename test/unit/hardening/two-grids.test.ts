// Two `adapt-lab run` processes started at the same moment on the same experiment and runs folder. The folder's
// lock lets exactly one run the grid; the other stops before touching any run, with one line naming the process
// that holds the folder and what to do, and exit code 2. The runs are those of one grid: each cell once, attempt 1.
// (test/unit/runs/lock.test.ts races four processes for the lock itself; this races two whole grids.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { RunStore } from '../../../src/engine/runs/store';
import { experimentJson, L_A, makeWorld, repoRoot } from '../grid/helpers';

const MAIN = path.join(repoRoot, 'src', 'cli', 'main.ts');
/** Long enough (two cells of 150 steps) that the second process reaches the lock while the first still holds it. */
const LONG = experimentJson({ models: [L_A], methods: ['finetune'], trainSizes: [8], seeds: [1, 2], training: { finetune: { maxSteps: 150, batchSize: 4, maxLength: 32 } } });

function run(file: string): Promise<{ pid: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'run', file], { cwd: repoRoot, env: { ...process.env, ADAPT_LAB_BACKEND: 'wasm' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ pid: child.pid!, code, stderr }));
  });
}

test('two grids started at once on one runs folder: one runs, the other is refused with a clear message', async () => {
  const w = await makeWorld(LONG);
  try {
    const results = await Promise.all([run(w.file), run(w.file)]);
    const winners = results.filter((r) => r.code === 0);
    const losers = results.filter((r) => r.code !== 0);
    assert.equal(winners.length, 1, results.map((r) => `exit ${r.code}:\n${r.stderr}`).join('\n---\n'));
    const [winner, loser] = [winners[0], losers[0]];
    assert.equal(loser.code, 2, loser.stderr);
    const lock = path.join(w.runsDir, '.lock');
    const refusal = loser.stderr.trim().split('\n').filter((l) => !/^adapt-lab: (backend|experiment|warn: backend)\b/.test(l));
    assert.equal(refusal.length, 1, loser.stderr);
    assert.match(refusal[0], new RegExp(`^adapt-lab: ${lock.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the runs folder is in use by process ${winner.pid} \\(since [^)]+\\)\\. Wait for that grid to finish or cancel it; if process ${winner.pid} is not Adapt Lab, delete `));
    assert.doesNotMatch(loser.stderr, /training|step \d+/, 'the refused grid ran nothing');

    const { runs, problems } = new RunStore(w.runsDir).list();
    assert.deepEqual(problems, []);
    assert.deepEqual(runs.map((r) => [r.cellId, r.status, r.attempt, r.pid]), [
      ['finetune__tiny-a__n8__s1', 'done', 1, winner.pid],
      ['finetune__tiny-a__n8__s2', 'done', 1, winner.pid],
    ]);
    assert.equal(existsSync(lock), false, 'the winner released the lock');
  } finally {
    w.dispose();
  }
});
