// Runs a TypeScript snippet in a separate Node process (with tsx), for tests that need a real second process: one
// that is killed mid-write, that holds a lock, or that races for one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './helpers';

const src = (rel: string) => JSON.stringify(path.join(repoRoot, 'src', 'engine', rel));

/** Writes `body` as a script in `dir`, after imports of the (synchronous) atomic writer and the lock. */
export function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, `${name}.ts`);
  writeFileSync(file, `import { writeFileAtomicSync as writeFileAtomic } from ${src('fs/atomic')};\nimport { RunsLock } from ${src('runs/lock')};\nvoid writeFileAtomic; void RunsLock;\n${body}\n`);
  return file;
}

export function runSync(file: string, args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: repoRoot, encoding: 'utf8' });
}

export function start(file: string, args: string[] = []): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
}

/** Resolves with the child's first stdout line. */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before writing a line: ${buf}`)));
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}
