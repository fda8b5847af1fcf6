// The extension's training workers: node processes running dist/worker.js from the extension folder of one
// code-server run (the installed extension lives under that run's folder, so another run's workers never match).
import * as path from 'node:path';
import { listProcesses, type ProcessInfo } from './processes';

/** The worker processes alive now for the code-server whose run folder is `runDir`. */
export function workerProcesses(runDir: string): ProcessInfo[] {
  const extensions = path.join(runDir, 'exts') + path.sep;
  return listProcesses().filter((p) => p.args.includes(extensions) && /[\\/]dist[\\/]worker\.js\b/.test(p.args));
}
