// When a worker dies (killed, out of memory, crashed) it cannot record that its run ended: the run's run.json still
// says "running", with the dead worker's pid. A later grid would see that the pid is gone and re-run it, but the
// person looking at the Runs view now deserves to see that it failed and why. So the extension host, which saw the
// worker die, records it: every run that worker left running becomes failed with the reason (or cancelled, when
// the worker was killed because the user cancelled and it did not stop in time).
import { RunStore } from '../../engine/runs/store';

export interface Abandoned {
  runsDir: string;
  /** The dead worker's pid: runs it marked running are its. */
  pid?: number;
  /** Runs known from its events to have started and not ended. */
  runIds?: readonly string[];
  status: 'failed' | 'cancelled';
  reason: string;
}

/** Marks the worker's unfinished runs; returns the ids changed. Unreadable runs are left for the listing to report. */
export function markAbandonedRuns(a: Abandoned): string[] {
  const store = new RunStore(a.runsDir);
  const ids = new Set(a.runIds ?? []);
  const changed: string[] = [];
  for (const run of store.list().runs) {
    const unfinished = run.status === 'running' || run.status === 'queued';
    const ours = ids.has(run.id) || (a.pid !== undefined && run.pid === a.pid);
    if (!unfinished || !ours) continue;
    store.update(run.id, a.status === 'failed' ? { status: 'failed', error: a.reason } : { status: 'cancelled', error: undefined });
    changed.push(run.id);
  }
  return changed;
}
