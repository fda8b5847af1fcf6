// The engine's one atomic writer (src/engine/fs/atomic.ts), in both forms: content replaces the target whole or
// not at all; a refused write (disk full, quota, read-only) is a StorageError naming the target — not its
// temporary file — and removes the temporary file; debris is recognisable and never collides with a new write.
// Refusals are injected at the fs layer with node:test's mock.method on the functions the writer calls.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isUserError } from '../../../src/engine/errors';
import { isTempFile, tempPathFor, writeAll, writeFileAtomic, writeFileAtomicSync } from '../../../src/engine/fs/atomic';
import { asStorageError, StorageError } from '../../../src/engine/fs/storage-error';
import { RUNS_FOLDER } from '../../../src/engine/runs/guard';

// The module object itself (not an ES namespace copy), so that mocks replace what the writer calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof import('node:fs') = require('node:fs');

function errno(code: string, syscall: string, file?: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: simulated, ${syscall}${file ? ` '${file}'` : ''}`);
  e.code = code;
  e.syscall = syscall;
  if (file) e.path = file;
  return e;
}

function scratch(): { dir: string; done: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-atomic-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('both forms write and replace whole files, from text, bytes or a streaming writer, leaving no temporary file', async () => {
  const t = scratch();
  try {
    const file = path.join(t.dir, 'a.json');
    writeFileAtomicSync(file, 'one');
    writeFileAtomicSync(file, new Uint8Array([0x74, 0x77, 0x6f]));
    assert.equal(readFileSync(file, 'utf8'), 'two');
    await writeFileAtomic(file, 'three ✓');
    assert.equal(readFileSync(file, 'utf8'), 'three ✓');
    await writeFileAtomic(file, async (h) => {
      await writeAll(h, Buffer.from('fo'));
      await writeAll(h, Buffer.from('ur'));
    });
    assert.equal(readFileSync(file, 'utf8'), 'four');
    assert.deepEqual(readdirSync(t.dir), ['a.json']);
  } finally {
    t.done();
  }
});

test('temporary names are hidden, per process and random, and recognised as debris; real files are not', () => {
  const a = tempPathFor('/x/runs/r1/run.json');
  const b = tempPathFor('/x/runs/r1/run.json');
  assert.notEqual(a, b);
  assert.equal(path.dirname(a), '/x/runs/r1');
  assert.match(path.basename(a), new RegExp(`^\\.run\\.json\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`));
  for (const name of [a, path.basename(b), '.run.json.12.3.tmp', '.model.safetensors.77.0a1b2c3d.tmp']) assert.ok(isTempFile(name), name);
  for (const name of ['run.json', '.lock', 'model.safetensors', 'predictions.jsonl', '.tmp', 'x.tmp', '.run.json.tmp']) assert.ok(!isTempFile(name), name);
});

test('debris of another process with a colliding name does not make a write fail', () => {
  const t = scratch();
  try {
    const file = path.join(t.dir, 'run.json');
    // The first temporary name the writer picks is already taken (as after a pid is reused in a container).
    const taken = tempPathFor(file);
    writeFileSync(taken, 'debris');
    const original = fs.openSync;
    const open = mock.method(fs, 'openSync', (p: string, flags: string) => original(open.mock.callCount() === 0 ? taken : p, flags));
    try {
      writeFileAtomicSync(file, 'fresh');
    } finally {
      open.mock.restore();
    }
    assert.equal(readFileSync(file, 'utf8'), 'fresh');
    assert.equal(readFileSync(taken, 'utf8'), 'debris', 'the other process\'s file is not touched');
  } finally {
    t.done();
  }
});

for (const [code, fn, expected] of [
  ['ENOSPC', 'writeSync', /: cannot be written: the disk is full \(ENOSPC\)\. Free some disk space and run again, or write it to another folder\.$/],
  ['EDQUOT', 'fsyncSync', /: cannot be written: the disk quota is used up \(EDQUOT\)\./],
  ['EROFS', 'renameSync', /: cannot be written: its folder is read-only \(EROFS\)\. Make that folder writable, or write it to another folder\.$/],
  ['EACCES', 'openSync', /: cannot be written: its folder is read-only \(EACCES\)\./],
] as const) {
  test(`sync: ${code} from ${fn} is a StorageError naming the target; the old file and the folder are as they were`, () => {
    const t = scratch();
    try {
      const file = path.join(t.dir, 'run.json');
      writeFileSync(file, '{"old":true}\n');
      const m = mock.method(fs, fn, () => {
        throw errno(code, fn, fn === 'renameSync' || fn === 'openSync' ? path.join(t.dir, '.run.json.1.ab.tmp') : undefined);
      });
      let caught: unknown;
      try {
        writeFileAtomicSync(file, '{"new":true}\n');
      } catch (e) {
        caught = e;
      } finally {
        m.mock.restore();
      }
      assert.ok(caught instanceof StorageError, String(caught));
      assert.equal(caught.code, code);
      assert.equal(caught.place.file, file, 'the target, not the temporary file');
      assert.match(caught.format(), new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${expected.source}`));
      assert.equal(readFileSync(file, 'utf8'), '{"old":true}\n');
      assert.deepEqual(readdirSync(t.dir), ['run.json'], 'no temporary file is left');
    } finally {
      t.done();
    }
  });
}

test('async: a refused streamed write (ENOSPC mid-file) or rename (EROFS) leaves the old file and no temporary file', async () => {
  const t = scratch();
  try {
    const file = path.join(t.dir, 'model.safetensors');
    writeFileSync(file, 'old weights');
    let writes = 0;
    const original = fs.promises.open;
    const open = mock.method(fs.promises, 'open', async (...args: Parameters<typeof fs.promises.open>) => {
      const handle = await original(...args);
      const write = handle.write.bind(handle) as (...a: unknown[]) => Promise<unknown>;
      (handle as unknown as { write: unknown }).write = async (...a: unknown[]) => {
        if (++writes === 3) throw errno('ENOSPC', 'write');
        return write(...a);
      };
      return handle;
    });
    try {
      await assert.rejects(
        writeFileAtomic(file, async (h) => {
          for (let i = 0; i < 5; i++) await writeAll(h, Buffer.alloc(1000, i));
        }),
        (e: unknown) => e instanceof StorageError && e.code === 'ENOSPC' && e.place.file === file,
      );
    } finally {
      open.mock.restore();
    }
    assert.equal(writes, 3);
    assert.equal(readFileSync(file, 'utf8'), 'old weights');
    assert.deepEqual(readdirSync(t.dir), ['model.safetensors']);

    const rename = mock.method(fs.promises, 'rename', async () => {
      throw errno('EROFS', 'rename');
    });
    try {
      await assert.rejects(writeFileAtomic(file, 'new'), (e: unknown) => e instanceof StorageError && e.code === 'EROFS' && e.place.file === file);
    } finally {
      rename.mock.restore();
    }
    assert.equal(readFileSync(file, 'utf8'), 'old weights');
    assert.deepEqual(readdirSync(t.dir), ['model.safetensors']);
  } finally {
    t.done();
  }
});

test('other failures pass through unchanged; a StorageError is re-worded for the folder it is in', async () => {
  const t = scratch();
  try {
    const file = path.join(t.dir, 'x.bin');
    const bug = new Error('not a storage problem');
    await assert.rejects(writeFileAtomic(file, async () => {
      throw bug;
    }), (e) => e === bug);
    assert.deepEqual(readdirSync(t.dir), []);
    const missing = errno('ENOENT', 'open', '/nope');
    assert.equal(asStorageError(missing, file), missing, 'a missing folder is a bug of the caller, not a full disk');

    const generic = new StorageError('ENOSPC', file);
    const runs = asStorageError(generic, 'ignored', RUNS_FOLDER) as StorageError;
    assert.ok(isUserError(runs) && runs.place.file === file);
    assert.equal(runs.format(), `${file}: cannot be written: the disk is full (ENOSPC). Free some disk space and run again, or choose another runs folder with --runs-dir (the adaptLab.runsFolder setting in VS Code).`);
    const readOnly = asStorageError(errno('EPERM', 'mkdir', '/r/runs/x'), 'fallback', RUNS_FOLDER) as StorageError;
    assert.equal(readOnly.format(), '/r/runs/x: cannot be written: the runs folder is read-only (EPERM). Make the runs folder writable, or choose another runs folder with --runs-dir (the adaptLab.runsFolder setting in VS Code).');
  } finally {
    t.done();
  }
});
