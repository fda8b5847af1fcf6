// A first-in-first-out queue that runs one job at a time. Training jobs of a workspace share one queue: two grids
// training at once would each run at half speed and could fight over a runs folder's lock. A job that fails or
// is cancelled does not stop the queue; the next one starts. Pure (no vscode), unit-tested.

export interface JobInfo {
  id: number;
  title: string;
}

export class JobCancelledError extends Error {
  constructor(title: string) {
    super(`${title}: cancelled before it started`);
    this.name = 'JobCancelledError';
  }
}

interface Entry extends JobInfo {
  controller: AbortController;
  start(): void;
  reject(e: unknown): void;
}

export class JobQueue {
  private readonly waiting: Entry[] = [];
  private active: Entry | undefined;
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  /** Queues `run`; it starts when every job queued before it has ended. `signal` aborts when it is cancelled. */
  enqueue<R>(title: string, run: (signal: AbortSignal) => Promise<R>): { id: number; promise: Promise<R> } {
    const id = this.nextId++;
    const controller = new AbortController();
    let entry!: Entry;
    const promise = new Promise<R>((resolve, reject) => {
      entry = {
        id, title, controller, reject,
        start: () => {
          this.active = entry;
          this.changed();
          let result: Promise<R>;
          try {
            result = run(controller.signal);
          } catch (e) {
            result = Promise.reject(e);
          }
          // The queue moves on before the job's caller hears of the end, so that the caller sees the next state.
          const finish = () => {
            this.active = undefined;
            this.startNext();
          };
          result.then(
            (v) => (finish(), resolve(v)),
            (e) => (finish(), reject(e)),
          );
        },
      };
    });
    this.waiting.push(entry);
    if (this.active === undefined) this.startNext();
    else this.changed();
    return { id, promise };
  }

  get running(): JobInfo | undefined {
    return this.active && { id: this.active.id, title: this.active.title };
  }

  get pending(): JobInfo[] {
    return this.waiting.map(({ id, title }) => ({ id, title }));
  }

  /** Cancels the job `id` (default: the running one): a waiting job is removed, a running one is signalled. */
  cancel(id?: number): boolean {
    const target = id ?? this.active?.id;
    if (target === undefined) return false;
    if (this.active?.id === target) {
      this.active.controller.abort();
      this.changed();
      return true;
    }
    const i = this.waiting.findIndex((e) => e.id === target);
    if (i === -1) return false;
    const [entry] = this.waiting.splice(i, 1);
    entry.controller.abort();
    entry.reject(new JobCancelledError(entry.title));
    this.changed();
    return true;
  }

  /** Cancels the running job and every waiting one (the extension is deactivating). */
  cancelAll(): void {
    for (const e of [...this.waiting]) this.cancel(e.id);
    this.cancel();
  }

  onChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private startNext(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.changed();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
