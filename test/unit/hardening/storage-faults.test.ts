// A full disk or a read-only runs folder, met by a real grid (runExperiment, in this process) at each kind of write
// it makes: taking the lock, creating run.json, appending metrics, writing predictions, saving the model, recording
// the run done. Each time the grid stops with one StorageError naming the file it could not write, what happened
// and the fix; the finished run is byte-for-byte as it was, the run.json being replaced keeps its old content,
// every run.json parses, no temporary file is left, and the next grid completes the experiment. The refusal is
// injected at the fs layer (node:test mock.method on what the writers call); once the disk "fills", every later
// write is refused too, as a real full disk or read-only remount would. The last test uses a real read-only folder.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { runExperiment } from '../../../src/engine/grid';
import { isTempFile } from '../../../src/engine/fs/atomic';
import { StorageError } from '../../../src/engine/fs/storage-error';
import { parseRunRecord } from '../../../src/engine/runs/record';
import { RunStore } from '../../../src/engine/runs/store';
import { experimentJson, L_A, makeWorld, QUICK_MEASURE, repoRoot, type World } from '../grid/helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof import('node:fs') = require('node:fs');

const FINETUNE = 'finetune__tiny-a__n8__s1';
const PROMPT = 'prompt__tiny-a__n8__s1';

/** Two cells that both save their model, so every kind of write happens in each. */
const EXPERIMENT = experimentJson({ models: [L_A], methods: ['finetune', 'prompt'], trainSizes: [8], saveModels: true });

/** Every file under `dir`, relative path → bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = path.join(dir, rel);
    if (statSync(p).isFile()) out.set(rel, readFileSync(p));
  }
  return out;
}

/** The file a temporary file of an atomic write stands for (`.run.json.<pid>.<hex>.tmp` → `run.json`). */
function targetOf(file: string): string {
  return isTempFile(file) ? path.join(path.dirname(file), path.basename(file).replace(/^\.(.+)\.\d+\.[0-9a-f]+\.tmp$/, '$1')) : file;
}

interface Fault {
  name: string;
  code: string;
  /** Whether the write about to happen (to `file`, by `op`; a rename's `from`) is where the disk fills. */
  trigger: (op: string, file: string, from?: string) => boolean;
  /** Only the triggering write fails (a transient refusal); by default every write from then on does. */
  once?: boolean;
}

/**
 * Installs the fault: until `trigger` fires, writes go through; when it fires, the target's content is recorded,
 * and from then on every write (or only that one) fails with `code`. Reads are never touched.
 */
function install(fault: Fault): { fired: () => { target: string; before?: Buffer } | undefined; restore: () => void } {
  let fired: { target: string; before?: Buffer } | undefined;
  let spent = false;
  const fdPaths = new Map<number, string>();
  const refuse = (op: string, file: string | undefined, from?: string): void => {
    if (!fired && file !== undefined && fault.trigger(op, file, from)) {
      const target = targetOf(file);
      fired = { target, before: existsSync(target) ? readFileSync(target) : undefined };
    } else if (!fired || spent || fault.once) {
      return;
    }
    spent = fault.once === true;
    const e: NodeJS.ErrnoException = new Error(`${fault.code}: simulated, ${op}`);
    e.code = fault.code;
    e.syscall = op;
    if (file !== undefined) e.path = file;
    throw e;
  };
  const writing = (flags: unknown) => typeof flags === 'string' && /[wa+]/.test(flags);
  const originals = { openSync: fs.openSync, closeSync: fs.closeSync, writeSync: fs.writeSync, open: fs.promises.open };
  const mocks = [
    mock.method(fs, 'openSync', (file: string, flags?: string, mode?: number) => {
      if (writing(flags)) refuse('open', String(file));
      const fd = originals.openSync(file, flags as string, mode);
      fdPaths.set(fd, String(file));
      return fd;
    }),
    mock.method(fs, 'closeSync', (fd: number) => {
      fdPaths.delete(fd);
      return originals.closeSync(fd);
    }),
    mock.method(fs, 'writeSync', (fd: number, ...rest: unknown[]) => {
      refuse('write', fdPaths.get(fd));
      return (originals.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    }),
    ...(['renameSync', 'appendFileSync', 'mkdirSync'] as const).map((name) => {
      const original = fs[name] as (...a: unknown[]) => unknown;
      return mock.method(fs, name, (...args: unknown[]) => {
        if (name === 'renameSync') refuse('rename', String(args[1]), String(args[0]));
        else refuse(name.replace(/Sync$/, ''), String(args[0]));
        return original(...args);
      });
    }),
    mock.method(fs.promises, 'open', async (file: string, flags?: string, mode?: number) => {
      if (writing(flags)) refuse('open', String(file));
      const handle: FileHandle = await originals.open(file, flags, mode);
      const write = handle.write.bind(handle) as (...a: unknown[]) => Promise<unknown>;
      (handle as unknown as { write: unknown }).write = async (...a: unknown[]) => {
        refuse('write', String(file));
        return write(...a);
      };
      return handle;
    }),
    ...(['rename', 'mkdir', 'writeFile'] as const).map((name) => {
      const original = fs.promises[name] as (...a: unknown[]) => Promise<unknown>;
      return mock.method(fs.promises, name, async (...args: unknown[]) => {
        if (name === 'rename') refuse('rename', String(args[1]), String(args[0]));
        else refuse(name, String(args[0]));
        return original(...args);
      });
    }),
  ];
  return { fired: () => fired, restore: () => mocks.forEach((m) => m.mock.restore()) };
}

const inRun = (cell: string, file: string) => (p: string) => path.basename(path.dirname(p)).startsWith(cell + '__') && targetOf(p).endsWith(path.sep + file);

const FAULTS: Fault[] = [
  { name: 'taking the lock: read-only', code: 'EROFS', trigger: (op, p) => op === 'open' && path.basename(p) === '.lock' },
  { name: 'creating run.json: disk full', code: 'ENOSPC', trigger: (op, p) => op === 'write' && inRun(PROMPT, 'run.json')(p) },
  { name: 'appending metrics: quota', code: 'EDQUOT', trigger: (_op, p) => inRun(PROMPT, 'metrics.jsonl')(p) },
  { name: 'writing predictions: disk full', code: 'ENOSPC', trigger: (op, p) => op === 'write' && inRun(PROMPT, 'predictions.jsonl')(p) },
  { name: 'saving the model: disk full', code: 'ENOSPC', trigger: (op, p) => op === 'write' && p.includes(path.sep + 'model' + path.sep) && p.includes('model.safetensors') },
  {
    name: 'recording the run done: read-only', code: 'EROFS',
    trigger: (op, p, from) => op === 'rename' && inRun(PROMPT, 'run.json')(p) && readFileSync(from!, 'utf8').includes('"status": "done"'),
  },
  { name: 'writing predictions, once (the failure is recorded)', code: 'ENOSPC', once: true, trigger: (op, p) => op === 'write' && inRun(PROMPT, 'predictions.jsonl')(p) },
];

/** Every run.json under the runs folder parses and validates, and no temporary file is anywhere. */
function assertSound(w: World): void {
  for (const rel of readdirSync(w.runsDir, { recursive: true, encoding: 'utf8' })) {
    assert.ok(!isTempFile(rel), `temporary file left: ${rel}`);
    if (path.basename(rel) === 'run.json') parseRunRecord(readFileSync(path.join(w.runsDir, rel), 'utf8'), rel);
  }
  assert.deepEqual(new RunStore(w.runsDir).list().problems, []);
  assert.equal(existsSync(path.join(w.runsDir, '.lock')), false, 'the lock is released');
}

test('a full disk or read-only runs folder at each kind of write: one clear error, nothing finished touched, and the next run completes', async () => {
  const w = await makeWorld(EXPERIMENT);
  try {
    const first = await runExperiment(w.file, { measure: QUICK_MEASURE, only: FINETUNE });
    assert.deepEqual(first.cells.map((c) => c.status), ['done']);
    const finishedDir = path.join(w.runsDir, first.cells[0].runId);
    const finished = snapshot(finishedDir);
    assert.ok(finished.has('run.json') && finished.has('predictions.jsonl') && finished.has('metrics.jsonl') && finished.has(path.join('model', 'model.safetensors')));

    for (const fault of FAULTS) {
      const disk = install(fault);
      let caught: unknown;
      try {
        await runExperiment(w.file, { measure: QUICK_MEASURE });
      } catch (e) {
        caught = e;
      } finally {
        disk.restore();
      }
      const fired = disk.fired();
      assert.ok(fired, `${fault.name}: the fault was reached`);
      assert.ok(caught instanceof StorageError, `${fault.name}: ${String(caught)}`);
      assert.equal(caught.code, fault.code);
      assert.equal(caught.place.file, fired.target, `${fault.name}: names the file it was writing`);
      const what = fault.code === 'EROFS' ? 'the runs folder is read-only' : fault.code === 'EDQUOT' ? 'the disk quota is used up' : 'the disk is full';
      assert.equal(caught.format(), `${fired.target}: cannot be written: ${what} (${fault.code}). ${fault.code === 'EROFS' ? 'Make the runs folder writable' : 'Free some disk space and run again'}, or choose another runs folder with --runs-dir (the adaptLab.runsFolder setting in VS Code).`);

      assert.deepEqual(snapshot(finishedDir), finished, `${fault.name}: the finished run is untouched`);
      assertSound(w);
      const prompt = new RunStore(w.runsDir).list().runs.find((r) => r.cellId === PROMPT);
      if (path.basename(fired.target) === 'run.json' && !fault.once) {
        const now = existsSync(fired.target) ? readFileSync(fired.target) : undefined;
        assert.deepEqual(now, fired.before, `${fault.name}: the run.json being replaced keeps its old content`);
      }
      if (fault.once) {
        assert.equal(prompt?.status, 'failed', 'a refusal that passes is recorded');
        assert.match(prompt!.error!, /predictions\.jsonl: cannot be written: the disk is full/);
      } else if (prompt) {
        assert.notEqual(prompt.status, 'done', fault.name);
      }
    }

    const store = new RunStore(w.runsDir);
    const attemptsBefore = store.list().runs.find((r) => r.cellId === PROMPT)!.attempt;
    const last = await runExperiment(w.file, { measure: QUICK_MEASURE });
    assert.deepEqual(last.cells.map((c) => [c.cellId, c.status]), [[FINETUNE, 'skipped'], [PROMPT, 'done']]);
    assert.equal(store.list().runs.find((r) => r.cellId === PROMPT)!.attempt, attemptsBefore + 1);
    assert.deepEqual(snapshot(finishedDir), finished);
    assertSound(w);
  } finally {
    w.dispose();
  }
});

/**
 * A real read-only runs folder. As root, permission bits do not stop writes, so the CLI runs as `nobody` through
 * setpriv (util-linux), which needs no mount privileges; as any other user chmod alone does it.
 */
const asRoot = process.getuid?.() === 0;
const setpriv = asRoot ? spawnSync('setpriv', ['--version']).status === 0 : true;
const skip = process.platform === 'win32' ? 'POSIX permissions' : !setpriv ? 'running as root and setpriv (util-linux) is not installed, so no user can be denied writes' : false;
if (skip) console.log(`# read-only runs folder test skipped: ${skip}`);

test('a real read-only runs folder: exit 2, one line naming it and the fix, every file unchanged', { skip }, async () => {
  const w = await makeWorld(experimentJson({ models: [L_A], methods: ['finetune'], trainSizes: [8], seeds: [1, 2] }));
  const dirs: string[] = [];
  try {
    const first = await runExperiment(w.file, { measure: QUICK_MEASURE, only: '__s1' });
    assert.deepEqual(first.cells.map((c) => c.status), ['done']);
    const before = snapshot(w.runsDir);
    // The world must be readable by `nobody`; only the runs folder (and what is in it) is made read-only.
    for (let d = w.runsDir; d !== w.dir; d = path.dirname(d)) dirs.push(d);
    for (const rel of readdirSync(w.runsDir, { recursive: true, encoding: 'utf8' })) {
      const p = path.join(w.runsDir, rel);
      if (statSync(p).isDirectory()) dirs.push(p);
    }
    chmodSync(w.dir, 0o755);
    for (const d of dirs) chmodSync(d, 0o555);
    // The CLI bundled into the world: `nobody` may not be able to reach the repository (a clone in a private
    // folder), and only the runs folder is to be out of its reach.
    const bundle = path.join(w.dir, 'bin', 'cli.js');
    await esbuild.build({ entryPoints: [path.join(repoRoot, 'src', 'cli', 'main.ts')], outfile: bundle, bundle: true, platform: 'node',
      format: 'cjs', target: 'node20', external: ['@tensorflow/tfjs-node'], logLevel: 'error' });
    const cli = [process.execPath, bundle, 'run', w.file];
    const command = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...cli] : cli;
    const r = spawnSync(command[0], command.slice(1), { cwd: w.dir, encoding: 'utf8', env: { ...process.env, ADAPT_LAB_BACKEND: 'cpu' } });
    assert.equal(r.status, 2, r.stderr);
    const lines = r.stderr.trim().split('\n').filter((l) => !/^adapt-lab: (backend|experiment|warn: backend)\b/.test(l));
    assert.equal(lines.length, 1, r.stderr);
    assert.equal(lines[0], `adapt-lab: ${path.join(w.runsDir, '.lock')}: cannot be written: the runs folder is read-only (EACCES). Make the runs folder writable, or choose another runs folder with --runs-dir (the adaptLab.runsFolder setting in VS Code).`);
    assert.equal(r.stdout, '');
    assert.deepEqual(snapshot(w.runsDir), before, 'nothing in the runs folder changed');
  } finally {
    for (const d of dirs) chmodSync(d, 0o755);
    w.dispose();
  }
});
