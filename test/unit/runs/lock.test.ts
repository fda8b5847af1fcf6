import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { RunsLock } from '../../../src/engine/runs/lock';
import { isProcessAlive } from '../../../src/engine/runs/process';
import { exited, firstLine, runSync, script, start } from './child';
import { tempDir } from './helpers';

const holderOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, '.lock'), 'utf8'));

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  assert.ok(r.pid && !isProcessAlive(r.pid));
  return r.pid;
}

test('acquire records this process; a second grid in the same process is refused; release frees it', () => {
  const t = tempDir();
  try {
    const dir = path.join(t.dir, 'runs');
    const lock = RunsLock.acquire(dir);
    assert.equal(holderOf(dir).pid, process.pid);
    assert.equal(holderOf(dir).host, hostname());
    assert.throws(() => RunsLock.acquire(dir), (e: unknown) => e instanceof UserError && /already running a grid/.test(e.message));
    lock.release();
    lock.release();
    assert.equal(existsSync(path.join(dir, '.lock')), false);
    RunsLock.acquire(dir).release();
  } finally {
    t.done();
  }
});

test('a lock held by another live process is refused with its pid; once that process is killed, it is taken over', async () => {
  const t = tempDir();
  try {
    const dir = path.join(t.dir, 'runs');
    const file = script(t.dir, 'holder', `RunsLock.acquire(process.argv[2]); console.log('locked'); setInterval(() => {}, 1000);`);
    const child = start(file, [dir]);
    try {
      assert.equal(await firstLine(child), 'locked');
      assert.throws(() => RunsLock.acquire(dir), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, new RegExp(`in use by process ${child.pid}\\b`));
        assert.equal(e.place.file, path.join(dir, '.lock'));
        return true;
      });
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
    assert.equal(holderOf(dir).pid, child.pid, 'a killed process leaves its lock behind');
    const lock = RunsLock.acquire(dir);
    assert.equal(holderOf(dir).pid, process.pid);
    lock.release();
  } finally {
    t.done();
  }
});

test('a process that exits without releasing removes its lock on the way out', () => {
  const t = tempDir();
  try {
    const dir = path.join(t.dir, 'runs');
    const r = runSync(script(t.dir, 'forgetful', `RunsLock.acquire(process.argv[2]); console.log('ok');`), [dir]);
    assert.equal(r.stdout.trim(), 'ok', r.stderr);
    assert.equal(existsSync(path.join(dir, '.lock')), false);
  } finally {
    t.done();
  }
});

test('of several processes racing for the lock, exactly one gets it; the others name it', async () => {
  const t = tempDir();
  try {
    const dir = path.join(t.dir, 'runs');
    const file = script(t.dir, 'racer', `
      try { RunsLock.acquire(process.argv[2]); console.log('ok ' + process.pid); }
      catch (e) { console.log('busy ' + (e as Error).message); }
      process.stdin.resume();
      process.stdin.on('end', () => process.exit(0));
    `);
    // Every racer holds on (the winner keeps the lock) until all have answered: no late starter can find it free.
    const children = Array.from({ length: 4 }, () => start(file, [dir]));
    const lines = await Promise.all(children.map(firstLine));
    for (const c of children) c.stdin!.end();
    await Promise.all(children.map(exited));
    const winners = lines.filter((l) => l.startsWith('ok '));
    assert.equal(winners.length, 1, lines.join('\n'));
    const winnerPid = winners[0].slice(3);
    for (const l of lines.filter((x) => x.startsWith('busy '))) assert.match(l, new RegExp(`process ${winnerPid}\\b`));
  } finally {
    t.done();
  }
});

test('stale locks are taken over: a dead pid, or unreadable content past its grace period', () => {
  const t = tempDir();
  try {
    const lockFile = path.join(t.dir, '.lock');
    writeFileSync(lockFile, JSON.stringify({ pid: deadPid(), host: hostname(), since: '2024-01-01T00:00:00Z' }));
    RunsLock.acquire(t.dir).release();

    writeFileSync(lockFile, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockFile, old, old);
    const lock = RunsLock.acquire(t.dir);
    assert.equal(holderOf(t.dir).pid, process.pid);
    lock.release();
  } finally {
    t.done();
  }
});

test('a lock from another machine is not second-guessed', () => {
  const t = tempDir();
  try {
    writeFileSync(path.join(t.dir, '.lock'), JSON.stringify({ pid: 4242, host: 'build-server-7' }));
    assert.throws(() => RunsLock.acquire(t.dir), (e: unknown) => e instanceof UserError && /process 4242 on another machine \(build-server-7\)/.test(e.message));
  } finally {
    t.done();
  }
});
