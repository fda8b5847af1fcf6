// `adapt-lab run` killed with SIGKILL at random moments of a grid (fine-tuning, prompting and distillation, two
// seeds), then run again, until the grid completes. After every kill: each run.json parses with the run store's
// own reader, every run finished before the kill is byte-for-byte as it was, no temporary file is taken for a run,
// and the run that was cut short is left "running" for a dead process (or "queued") so the next run re-runs it.
// While each process runs, a reader in this process reads every run.json over and over and must never see a
// partial one. In the end every cell is done exactly once and the report lists each run once.
// The kill points come from a seeded generator: ADAPT_LAB_KILL_SEED replays a sequence, ADAPT_LAB_KILLS sets how
// many kills (default 5). This builds on the single kill-and-resume test in test/unit/cli/cli-grid.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Rng } from '../../../src/engine/rng';
import { isTempFile } from '../../../src/engine/fs/atomic';
import { isProcessAlive } from '../../../src/engine/runs/process';
import { reportJson } from '../../../src/engine/runs/report';
import { RunStore } from '../../../src/engine/runs/store';
import { experimentJson, L_A, makeWorld, repoRoot } from '../grid/helpers';

const MAIN = path.join(repoRoot, 'src', 'cli', 'main.ts');
const SEED = Number(process.env.ADAPT_LAB_KILL_SEED ?? 20240611);
const KILLS = Number(process.env.ADAPT_LAB_KILLS ?? 5);

const short = { maxSteps: 20, batchSize: 4, maxLength: 32, evalEverySteps: 50 };
const EXPERIMENT = experimentJson({
  models: [L_A],
  trainSizes: [8],
  seeds: [1, 2],
  methods: ['finetune', 'prompt', { distill: { teacher: { method: 'finetune', model: L_A }, student: { model: L_A } } }],
  training: { finetune: short, prompt: { ...short, ensemble: 'trainAccuracy' }, distill: { ...short, unlabeledCap: 12 } },
});
const CELLS = [
  'finetune__tiny-a__n8__s1', 'finetune__tiny-a__n8__s2', 'prompt__tiny-a__n8__s1', 'prompt__tiny-a__n8__s2',
  'distill__tiny-a__n8__s1__from-finetune-tiny-a', 'distill__tiny-a__n8__s2__from-finetune-tiny-a',
];

interface Attempt {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
  /** run.json reads by the concurrent reader. */
  reads: number;
}

/**
 * Runs `adapt-lab run` once; when `killAt` is given, SIGKILLs it `killAt.delayMs` after its `killAt.line`-th line on
 * stderr. Meanwhile every run.json is read through the store as fast as the event loop allows.
 */
function attempt(file: string, runsDir: string, killAt?: { line: number; delayMs: number }): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'run', file], { cwd: repoRoot, env: { ...process.env, ADAPT_LAB_BACKEND: 'wasm' } });
    let stderr = '';
    let stdout = '';
    let lines = 0;
    let reading = true;
    let reads = 0;
    let partial: string | undefined;
    const reader = (async () => {
      const store = new RunStore(runsDir);
      while (reading) {
        const { runs, problems } = store.list();
        reads += runs.length;
        if (problems.length > 0 && partial === undefined) partial = problems.map((p) => p.format()).join('\n');
        await new Promise((r) => setImmediate(r));
      }
    })();
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      const before = lines;
      lines += d.toString().split('\n').length - 1;
      if (killAt && before < killAt.line && lines >= killAt.line) setTimeout(() => child.kill('SIGKILL'), killAt.delayMs);
    });
    child.on('error', reject);
    child.on('close', async (code, signal) => {
      reading = false;
      await reader;
      if (partial !== undefined) reject(new Error(`a reader saw an unreadable run.json while process ${child.pid} ran (seed ${SEED}):\n${partial}`));
      else resolve({ pid: child.pid!, code, signal, stderr, stdout, reads });
    });
  });
}

/** run.json, metrics, predictions and the saved model of every finished run, as bytes. */
function finishedFiles(runsDir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const run of new RunStore(runsDir).list().runs.filter((r) => r.status === 'done')) {
    const dir = path.join(runsDir, run.id);
    const files = ['run.json', 'metrics.jsonl', 'predictions.jsonl'];
    if (existsSync(path.join(dir, 'model'))) files.push(...readdirSync(path.join(dir, 'model'), { recursive: true, encoding: 'utf8' }).map((f) => path.join('model', f)));
    for (const f of files) {
      const p = path.join(dir, f);
      if (statSync(p).isFile()) out.set(path.join(run.id, f), readFileSync(p));
    }
  }
  return out;
}

/** The store's own reader finds every run.json valid, and takes no temporary file or folder for a run. */
function assertReadable(runsDir: string, context: string): void {
  const { runs, problems } = new RunStore(runsDir).list();
  assert.deepEqual(problems.map((p) => p.format()), [], context);
  const withRecord = readdirSync(runsDir).filter((n) => !n.startsWith('.') && existsSync(path.join(runsDir, n, 'run.json')));
  assert.deepEqual(runs.map((r) => r.id), withRecord.sort(), context);
  for (const r of runs) {
    assert.ok(!isTempFile(r.id), `${context}: ${r.id}`);
    assert.ok(CELLS.includes(r.cellId), `${context}: ${r.cellId}`);
  }
  assert.equal(new Set(runs.map((r) => r.cellId)).size, runs.length, `${context}: one run per cell`);
}

test(`SIGKILL at ${KILLS} random moments of a grid loses nothing; resuming completes it with every cell done once (seed ${SEED})`, async () => {
  const w = await makeWorld(EXPERIMENT);
  try {
    const rng = new Rng(SEED);
    let reads = 0;
    const killedPids: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const context = `kill ${k + 1} (seed ${SEED})`;
      const before = finishedFiles(w.runsDir);
      // After one of the first lines (status, grid start, a cell's start or steps), a little later: the kill lands
      // before the lock, in training, in evaluation, while a model or a record is being written.
      const killAt = { line: 1 + rng.int(30), delayMs: rng.int(300) };
      const a = await attempt(w.file, w.runsDir, killAt);
      reads += a.reads;
      assertReadable(w.runsDir, context);
      const after = finishedFiles(w.runsDir);
      for (const [file, bytes] of before) assert.ok(after.get(file)?.equals(bytes), `${context}: ${file} changed after the kill`);
      if (a.signal !== 'SIGKILL') {
        assert.equal(a.code, 0, `${context}: the grid finished before the kill\n${a.stderr}`);
        break;
      }
      killedPids.push(a.pid);
      const unfinished = new RunStore(w.runsDir).list().runs.filter((r) => r.status !== 'done');
      for (const r of unfinished) {
        assert.ok(r.status === 'running' || r.status === 'queued', `${context}: ${r.id} is ${r.status}`);
        if (r.status === 'running') {
          // This kill, or an earlier one that landed while this process had not reached the cell yet.
          assert.ok(r.pid !== undefined && killedPids.includes(r.pid), `${context}: ${r.id} was being run by a killed process, not ${r.pid}`);
          assert.equal(isProcessAlive(r.pid), false);
        }
      }
    }

    const before = finishedFiles(w.runsDir);
    const interrupted = new RunStore(w.runsDir).list().runs.filter((r) => r.status === 'running');
    const last = await attempt(w.file, w.runsDir);
    reads += last.reads;
    assert.equal(last.code, 0, last.stderr);
    for (const r of interrupted) {
      assert.match(last.stderr, new RegExp(`${r.cellId}: interrupted \\(process ${r.pid} is gone\\); running it again`));
    }
    const after = finishedFiles(w.runsDir);
    for (const [file, bytes] of before) assert.ok(after.get(file)?.equals(bytes), `the last run changed ${file}`);

    assertReadable(w.runsDir, 'at the end');
    const runs = new RunStore(w.runsDir).list().runs;
    assert.deepEqual(runs.map((r) => r.cellId).sort(), [...CELLS].sort());
    assert.ok(runs.every((r) => r.status === 'done'), runs.map((r) => `${r.cellId} ${r.status}`).join(', '));
    const report = reportJson(runs);
    const listed = report.rows.flatMap((row) => row.runIds);
    assert.deepEqual([...listed].sort(), runs.map((r) => r.id).sort(), 'the report lists each run once');
    assert.equal(report.rows.reduce((a, row) => a + row.superseded, 0), 0);
    assert.equal(last.stdout.split('\n').filter((l) => /^(finetune|prompt|distill) /.test(l)).length, 3, last.stdout);
    assert.ok(reads > 0, 'the reader overlapped the writers');
    assert.ok(killedPids.length >= 1, `at least one kill landed (seed ${SEED})`);
  } finally {
    w.dispose();
  }
});
