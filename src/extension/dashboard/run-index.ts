// The runs the dashboard shows, kept in memory and updated file by file. A grid of 5,000 runs rewrites one
// run.json at a time; re-reading every run on each change would make live updates cost seconds, so the index
// re-reads only the runs whose files changed. Pure Node (the run store), no vscode: unit-tested directly.
import path from 'node:path';
import { isUserError } from '../../engine/errors';
import { RUN_ID } from '../../engine/experiment/schema';
import type { RunRecord } from '../../engine/runs/record';
import { RunStore } from '../../engine/runs/store';
import { toSummary } from './summaries';
import type { RunSummary } from '../../../webview/dashboard/protocol';

interface Folder {
  store: RunStore;
  runs: Map<string, RunRecord>;
  /** Problems of unreadable run.json files, by run id. */
  problems: Map<string, string>;
}

export interface RunRef {
  store: RunStore;
  id: string;
  run: RunRecord;
}

export class RunIndex {
  private readonly folders = new Map<string, Folder>();

  /** The runs folders, in the order added. */
  get dirs(): string[] {
    return [...this.folders.keys()];
  }

  /** Adds a runs folder (reading all its runs); true when it was new. */
  addFolder(dir: string): boolean {
    const abs = path.resolve(dir);
    if (this.folders.has(abs)) return false;
    const folder: Folder = { store: new RunStore(abs), runs: new Map(), problems: new Map() };
    this.folders.set(abs, folder);
    this.reload(folder);
    return true;
  }

  /** Re-reads every folder from scratch (after the watcher may have missed events, e.g. the panel was hidden). */
  reloadAll(): void {
    for (const folder of this.folders.values()) this.reload(folder);
  }

  /**
   * Takes changed paths (anything under a runs folder) and re-reads the runs they belong to. Returns whether any
   * listed run changed. A path in a folder not yet known is ignored (the caller adds folders).
   */
  applyChanges(paths: Iterable<string>): boolean {
    const touched = new Map<Folder, Set<string>>();
    for (const p of paths) {
      const abs = path.resolve(p);
      for (const [dir, folder] of this.folders) {
        if (abs === dir) {
          this.reload(folder);
          touched.set(folder, new Set(['*']));
        } else if (abs.startsWith(dir + path.sep)) {
          const id = abs.slice(dir.length + 1).split(path.sep)[0];
          const rest = abs.slice(dir.length + 1 + id.length);
          // The folder's lock (.lock) and other non-run names are not runs, as RunStore.list() decides too.
          if (id.startsWith('.') || !RUN_ID.test(id)) continue;
          // Only run.json (or the folder itself) changes what is listed; logs, predictions and models do not.
          if (rest === '' || rest === `${path.sep}run.json`) {
            const set = touched.get(folder) ?? new Set<string>();
            set.add(id);
            touched.set(folder, set);
          }
        }
      }
    }
    let changed = false;
    for (const [folder, ids] of touched) {
      if (ids.has('*')) {
        changed = true;
        continue;
      }
      for (const id of ids) changed = this.reloadRun(folder, id) || changed;
    }
    return changed;
  }

  summaries(): RunSummary[] {
    const out: RunSummary[] = [];
    for (const folder of this.folders.values()) for (const run of folder.runs.values()) out.push(toSummary(run, this.refOf(folder.store, run.id)));
    return out;
  }

  problems(): string[] {
    return [...this.folders.values()].flatMap((f) => [...f.problems.values()]);
  }

  /** The ref the webview knows a run by: its folder's path. */
  refOf(store: RunStore, id: string): string {
    return path.join(store.dir, id);
  }

  resolve(ref: string): RunRef | undefined {
    const abs = path.resolve(ref);
    const folder = this.folders.get(path.dirname(abs));
    const id = path.basename(abs);
    const run = folder?.runs.get(id);
    return folder && run ? { store: folder.store, id, run } : undefined;
  }

  private reload(folder: Folder): void {
    const { runs, problems } = folder.store.list();
    folder.runs = new Map(runs.map((r) => [r.id, r]));
    folder.problems = new Map(problems.map((p) => [path.basename(path.dirname(p.place.file ?? '')), p.format()]));
  }

  /** Re-reads one run; true when what is listed changed. */
  private reloadRun(folder: Folder, id: string): boolean {
    const before = folder.runs.get(id);
    const problemBefore = folder.problems.get(id);
    try {
      const run = folder.store.get(id);
      folder.problems.delete(id);
      if (run) folder.runs.set(id, run);
      else folder.runs.delete(id);
      const appeared = (run === undefined) !== (before === undefined);
      return appeared || run?.updatedAt !== before?.updatedAt || problemBefore !== undefined;
    } catch (e) {
      // A run.json caught mid-write cannot happen (writes are atomic), so this is a damaged or foreign file.
      if (!isUserError(e)) throw e;
      folder.runs.delete(id);
      folder.problems.set(id, e.format());
      return true;
    }
  }
}
