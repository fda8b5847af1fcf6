// How many threads the engine's compute may use: the cores not already busy, unless ADAPT_LAB_THREADS says.
// Why not simply every core: XNNPACK's pool waits for all its threads at every matrix product, so one thread
// sharing a core with another program holds up the rest — measured here, 2 threads on 2 cores with one core
// taken ran a training step 1.7× SLOWER than 1 thread. Read once per backend start (pools are fixed at start).
import { availableParallelism, loadavg } from 'node:os';
import { UserError } from '../errors';

export const THREADS_ENV = 'ADAPT_LAB_THREADS';

export interface ThreadPlan {
  threads: number;
  /** Set when fewer threads than cores are used and the user did not ask for that. */
  note?: string;
}

/** ADAPT_LAB_THREADS if set (a positive integer); else the cores minus the 1-minute load average, at least 1. */
export function planThreads(env: NodeJS.ProcessEnv = process.env, load = loadavg()[0], cores = availableParallelism()): ThreadPlan {
  const raw = env[THREADS_ENV];
  if (raw !== undefined && raw.trim() !== '') {
    const n = Number(raw.trim());
    if (!Number.isInteger(n) || n < 1 || n > 256) {
      throw new UserError(
        `${THREADS_ENV} must be a whole number of threads between 1 and 256, not "${raw}"`,
        { field: THREADS_ENV },
        `Set ${THREADS_ENV} to e.g. 2, or unset it to use the free cores.`,
      );
    }
    return { threads: n };
  }
  const busy = Math.min(cores - 1, Math.max(0, Math.round(load)));
  if (busy === 0) return { threads: Math.max(1, cores) };
  return {
    threads: cores - busy,
    note: `${busy} of ${cores} cores busy with other work, so ${cores - busy} thread${cores - busy > 1 ? 's' : ''} (set ${THREADS_ENV} to choose)`,
  };
}
