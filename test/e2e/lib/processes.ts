// The processes behind a workbench, read from /proc (Linux, where the UI tests run): code-server runs in its own
// process group (test/vscode/code-server.ts), and VS Code forks the extension host inside it, so a test can find
// that one process and kill it the way a crash would.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** The command line, arguments joined by spaces. */
  args: string;
}

/** Every process that can be read now (one that exits while being read is left out). */
export function listProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(path.join('/proc', entry, 'stat'), 'utf8');
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so the fields count from its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const args = fs.readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8').split('\0').filter(Boolean).join(' ');
      out.push({ pid: Number(entry), ppid: Number(fields[1]), pgid: Number(fields[2]), args });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The processes of the code-server whose run folder is `runDir`: its process group (the server is its leader). */
export function codeServerProcesses(runDir: string): ProcessInfo[] {
  const all = listProcesses();
  const marker = `--user-data-dir ${path.join(runDir, 'ud')} `;
  const server = all.find((p) => p.pid === p.pgid && p.args.includes(marker));
  if (!server) throw new Error(`no code-server process with "${marker.trim()}" is running`);
  return all.filter((p) => p.pgid === server.pgid);
}

/** How VS Code starts an extension host process (code-server's server forks it with this argument). */
const EXTENSION_HOST = /--type=extensionHost\b|extensionHostProcess/;

/** The extension host of that code-server; throws unless there is exactly one, listing the group. */
export function extensionHostProcess(runDir: string): ProcessInfo {
  const group = codeServerProcesses(runDir);
  const hosts = group.filter((p) => EXTENSION_HOST.test(p.args));
  if (hosts.length !== 1) {
    throw new Error(`expected one extension host process, found ${hosts.length} in:\n${group.map((p) => `  ${p.pid} ${p.args.slice(0, 200)}`).join('\n')}`);
  }
  return hosts[0];
}

/** Whether `pid` is still a live process (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
