import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isTempFile, writeFileAtomicSync as writeFileAtomic } from '../../../src/engine/fs/atomic';
import { RunStore } from '../../../src/engine/runs/store';
import { firstLine, runSync, script, start, exited } from './child';
import { sampleGrid, tempDir } from './helpers';

test('writes and replaces content, leaving no temporary file', () => {
  const t = tempDir();
  try {
    const file = path.join(t.dir, 'run.json');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two ✓');
    assert.equal(readFileSync(file, 'utf8'), 'two ✓');
    assert.deepEqual(readdirSync(t.dir), ['run.json']);
  } finally {
    t.done();
  }
});

test('a crash between the temporary write and the rename leaves the old run.json intact and readable', () => {
  const t = tempDir();
  try {
    const { experiment, cells } = sampleGrid();
    const crash = new Error('simulated crash');
    const store = new RunStore(t.dir, {
      beforeRename: () => {
        if (armed) throw crash;
      },
    });
    let armed = false;
    const run = store.create(cells[0], experiment);
    armed = true;
    assert.throws(() => store.update(run.id, { status: 'running' }), (e) => e === crash);
    assert.deepEqual(store.get(run.id), run, 'the old record is still there, whole');
    const debris = readdirSync(store.runDir(run.id)).filter((n) => n !== 'run.json');
    assert.equal(debris.length, 1);
    assert.ok(isTempFile(debris[0]), debris[0]);
    assert.deepEqual(store.list().runs, [run], 'listings are not confused by the debris');
  } finally {
    t.done();
  }
});

test('a process killed (SIGKILL) before the rename leaves the old file, never a partial one', { skip: process.platform === 'win32' }, () => {
  const t = tempDir();
  try {
    const target = path.join(t.dir, 'run.json');
    writeFileSync(target, '{"old": true}');
    const file = script(t.dir, 'killed', `writeFileAtomic(process.argv[2], JSON.stringify({ big: 'x'.repeat(1 << 20) }), { beforeRename: () => { process.kill(process.pid, 'SIGKILL'); } });`);
    const r = runSync(file, [target]);
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    assert.equal(readFileSync(target, 'utf8'), '{"old": true}');
    const temp = readdirSync(t.dir).filter(isTempFile);
    assert.equal(temp.length, 1, 'the new content had reached its temporary file');
    assert.equal(JSON.parse(readFileSync(path.join(t.dir, temp[0]), 'utf8')).big.length, 1 << 20);
  } finally {
    t.done();
  }
});

test('a reader racing a writer in another process only ever sees a complete file', async () => {
  const t = tempDir();
  try {
    const target = path.join(t.dir, 'run.json');
    const a = JSON.stringify({ v: 'a'.repeat(300_000) });
    const b = JSON.stringify({ v: 'b'.repeat(500_000) });
    writeFileSync(target, a);
    const file = script(t.dir, 'writer', `
      const [target] = process.argv.slice(2);
      const a = JSON.stringify({ v: 'a'.repeat(300_000) });
      const b = JSON.stringify({ v: 'b'.repeat(500_000) });
      console.log('start');
      for (let i = 0; i < 150; i++) writeFileAtomic(target, i % 2 ? a : b);
    `);
    const child = start(file, [target]);
    await firstLine(child);
    let reads = 0;
    let sawB = false;
    const done = exited(child);
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      const text = readFileSync(target, 'utf8');
      assert.ok(text === a || text === b, `read a partial file of ${text.length} characters`);
      sawB ||= text === b;
      reads++;
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(await done, 0);
    assert.ok(reads > 10 && sawB, `the reader overlapped the writer (${reads} reads)`);
    assert.equal(existsSync(target), true);
  } finally {
    t.done();
  }
});
