// What "Open Dashboard" was invoked on: nothing (the palette), an experiment file (its CodeLens or the Experiments
// view), a run (the Runs view, Open Run), or a runs folder. Each becomes a runs folder to read and what to show
// first. Duck-typed, because callers pass what they hold: a Uri, a path, a Runs-view node, or a small object.
// Pure Node: no vscode (a Uri is recognised by its fsPath).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseExperiment } from '../../engine/experiment/schema';
import { defaultRunsDir } from '../../engine/runs/store';

export interface FocusRequest {
  /** A runs folder to add to the dashboard. */
  runsDir?: string;
  experiment?: string;
  /** The run folder's path (the webview's ref). */
  runRef?: string;
}

/**
 * Accepted: a Uri or path of an experiment file, a runs folder, a run folder or its run.json; an object
 * `{ experimentFile?, runsDir?, runId?, experiment? }`; a Runs-view node `{ kind: 'run', entry: { runsDir, run } }`
 * or `{ kind: 'experiment', name }`. `runsFolderFor` maps an experiment file to its runs folder (the setting).
 */
export function focusFromArgument(arg: unknown, runsFolderFor: (experimentFile: string) => string | undefined = () => undefined): FocusRequest {
  if (arg === undefined || arg === null) return {};
  const o = typeof arg === 'object' ? (arg as Record<string, unknown>) : {};
  const fsPath = typeof arg === 'string' ? arg : typeof o.fsPath === 'string' ? o.fsPath : undefined;
  if (fsPath !== undefined) return fromPath(fsPath, runsFolderFor);

  if (o.kind === 'run' && typeof o.entry === 'object' && o.entry !== null) {
    const entry = o.entry as { runsDir?: unknown; run?: { id?: unknown; experiment?: unknown } };
    if (typeof entry.runsDir === 'string' && typeof entry.run?.id === 'string') {
      return {
        runsDir: entry.runsDir,
        runRef: path.join(entry.runsDir, entry.run.id),
        ...(typeof entry.run.experiment === 'string' ? { experiment: entry.run.experiment } : {}),
      };
    }
  }
  if (o.kind === 'experiment' && typeof o.name === 'string') return { experiment: o.name };

  const out: FocusRequest = {};
  if (typeof o.experimentFile === 'string') Object.assign(out, fromPath(o.experimentFile, runsFolderFor));
  if (typeof o.runsDir === 'string') out.runsDir = path.resolve(o.runsDir);
  if (typeof o.experiment === 'string') out.experiment = o.experiment;
  if (typeof o.runId === 'string' && out.runsDir) out.runRef = path.join(out.runsDir, o.runId);
  return out;
}

function fromPath(p: string, runsFolderFor: (experimentFile: string) => string | undefined): FocusRequest {
  const abs = path.resolve(p);
  if (abs.endsWith('.experiment.json')) {
    const out: FocusRequest = { runsDir: runsFolderFor(abs) ?? defaultRunsDir(abs) };
    try {
      out.experiment = parseExperiment(readFileSync(abs, 'utf8'), abs).name;
    } catch {
      // An experiment file being edited may not parse; its runs folder is still worth showing.
    }
    return out;
  }
  if (path.basename(abs) === 'run.json') return runFolder(path.dirname(abs));
  if (existsSync(path.join(abs, 'run.json'))) return runFolder(abs);
  if (existsSync(abs) && statSync(abs).isDirectory()) return { runsDir: abs };
  return {};
}

function runFolder(dir: string): FocusRequest {
  return { runsDir: path.dirname(dir), runRef: dir };
}
