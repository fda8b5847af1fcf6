// The extension's jobs: every training, estimate, preview and prediction runs in a forked engine worker. Grids
// (training) share one queue per workspace — one at a time; the short interactive jobs (estimates, previews,
// predictions) have their own one-at-a-time lane so that a preview does not wait hours behind a grid. Each job
// shows a cancellable progress notification, the status bar shows the running grid, and the "Adapt Lab" output
// channel gets the worker's log. When a worker dies, the runs it left running are marked failed with the reason,
// and the queue moves on. The stored Hugging Face token is read when each worker starts and handed to it in its
// environment only (see launch.ts).
import * as vscode from 'vscode';
import path from 'node:path';
import type { GridEvent } from '../../engine/grid/events';
import { defaultRunsDir, RunStore } from '../../engine/runs/store';
import type { JobError, JobRequest, JobResult } from '../../engine/worker/protocol';
import { engineSettings } from '../settings';
import { markAbandonedRuns } from './abandoned-runs';
import { eventLogger } from './event-log';
import { GridProgress, type GridSnapshot } from './grid-progress';
import { workerLaunch } from './launch';
import { JobCancelledError, JobQueue } from './queue';
import { WorkerProcess, type WorkerLaunch, type WorkerOutcome } from './worker-process';

/** A job that ended without a result. `error` is set when the worker described the problem. */
export class JobFailure extends Error {
  constructor(
    message: string,
    readonly cancelled: boolean,
    readonly error?: JobError,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

export interface GridOutcome {
  experimentFile: string;
  runsDir: string;
  /** The worker's result; absent when the worker failed or died (then `failure` says why). */
  result?: Extract<JobResult, { kind: 'run' }>;
  failure?: JobFailure;
  /** Runs the host marked failed or cancelled because the worker died leaving them running. */
  abandoned: string[];
}

export class JobManager implements vscode.Disposable {
  private readonly training = new JobQueue();
  private readonly interactive = new JobQueue();
  private readonly status: vscode.StatusBarItem;
  private readonly gridEvents = new vscode.EventEmitter<GridEvent>();
  private readonly runsChanged = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private progress: GridProgress | undefined;
  private readonly workers = new Set<WorkerProcess>();

  /** Every grid event of the running grid (the Runs view shows live progress from these). */
  readonly onGridEvent = this.gridEvents.event;
  /** A runs folder whose runs changed (a cell ended, a dead worker's run was marked). */
  readonly onRunsChanged = this.runsChanged.event;

  constructor(
    private readonly extensionPath: string,
    readonly output: vscode.OutputChannel,
    /** The Hugging Face token stored in SecretStorage, if any (read per job: it can be set or cleared any time). */
    private readonly storedHfToken: () => PromiseLike<string | undefined> = async () => undefined,
  ) {
    this.status = vscode.window.createStatusBarItem('adaptLab.job', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'Adapt Lab job';
    this.status.command = 'adaptLab.showJobs';
    this.disposables.push(this.status, this.gridEvents, this.runsChanged);
    this.disposables.push(this.training.onChange(() => this.refreshStatus()), this.interactive.onChange(() => this.refreshStatus()));
  }

  /** The running grid's progress, if one is running. */
  get gridSnapshot(): GridSnapshot | undefined {
    return this.progress?.snapshot();
  }

  get running(): { title: string; lane: 'training' | 'interactive'; id: number }[] {
    const out: { title: string; lane: 'training' | 'interactive'; id: number }[] = [];
    if (this.training.running) out.push({ ...this.training.running, lane: 'training' });
    for (const p of this.training.pending) out.push({ ...p, title: `${p.title} (queued)`, lane: 'training' });
    if (this.interactive.running) out.push({ ...this.interactive.running, lane: 'interactive' });
    for (const p of this.interactive.pending) out.push({ ...p, title: `${p.title} (queued)`, lane: 'interactive' });
    return out;
  }

  cancel(lane: 'training' | 'interactive', id?: number): boolean {
    return (lane === 'training' ? this.training : this.interactive).cancel(id);
  }

  /** Queues a grid; resolves when it has ended (however it ended). */
  runExperiment(experimentFile: string, opts: { runsDir?: string; only?: string } = {}): Promise<GridOutcome> {
    const title = `Run ${path.basename(experimentFile)}${opts.only ? ` (${opts.only})` : ''}`;
    const { promise } = this.training.enqueue(title, (signal) => this.executeGrid(title, experimentFile, opts, signal));
    return promise.catch((e) => {
      if (e instanceof JobCancelledError) {
        return { experimentFile, runsDir: opts.runsDir ?? defaultRunsDir(experimentFile), failure: new JobFailure(e.message, true), abandoned: [] };
      }
      throw e;
    });
  }

  /** Runs a short job (estimate, preview, predictions) with a cancellable notification; rejects with JobFailure. */
  runInteractive<K extends JobRequest['kind']>(title: string, job: Extract<JobRequest, { kind: K }>): Promise<Extract<JobResult, { kind: K }>> {
    const { promise } = this.interactive.enqueue(title, (signal) =>
      Promise.resolve(
        vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Adapt Lab: ${title}`, cancellable: true }, async (progress, token) => {
          const abort = () => this.interactive.cancel();
          token.onCancellationRequested(abort);
          let reported = 0;
          const outcome = await this.runWorker(job, signal, {
            onProgress: (done, total, message) => {
              const pct = total > 0 ? (100 * done) / total : 0;
              progress.report({ message, increment: Math.max(0, pct - reported) });
              reported = Math.max(reported, pct);
            },
          });
          return resultOf<K>(outcome, title, job.kind);
        }),
      ),
    );
    return promise.catch((e) => {
      throw e instanceof JobCancelledError ? new JobFailure(e.message, true) : e;
    }) as Promise<Extract<JobResult, { kind: K }>>;
  }

  /** How the next worker is started: the settings of now, and the stored Hugging Face token in its environment. */
  async workerLaunch(): Promise<WorkerLaunch> {
    let token: string | undefined;
    try {
      token = await this.storedHfToken();
    } catch (e) {
      // A keyring that cannot be read (Linux without a secret service) must not stop jobs that need no token.
      this.output.appendLine(`could not read the stored Hugging Face token: ${(e as Error)?.message ?? String(e)}`);
    }
    return workerLaunch(this.extensionPath, engineSettings(), process.env, token);
  }

  dispose(): void {
    this.training.cancelAll();
    this.interactive.cancelAll();
    // The host is going away: a worker must not outlive it training for nobody.
    for (const w of this.workers) w.cancel(2_000);
    for (const d of this.disposables) d.dispose();
  }

  private async executeGrid(title: string, experimentFile: string, opts: { runsDir?: string; only?: string }, signal: AbortSignal): Promise<GridOutcome> {
    let runsDir = opts.runsDir ?? defaultRunsDir(experimentFile);
    const progress = new GridProgress(doneRuns(runsDir));
    this.progress = progress;
    const started = new Set<string>();
    const log = eventLogger((line) => this.output.appendLine(line));
    this.output.appendLine(`— ${title}`);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Adapt Lab: ${path.basename(experimentFile)}`, cancellable: true },
        async (report, token) => {
          token.onCancellationRequested(() => this.training.cancel());
          let reported = 0;
          const outcome = await this.runWorker({ kind: 'run', experimentFile, ...opts }, signal, {
            onGridEvent: (e) => {
              progress.update(e);
              log(e);
              if (e.type === 'grid-start') runsDir = e.runsDir;
              if (e.type === 'cell-start') started.add(e.runId);
              if (e.type === 'cell-end') {
                started.delete(e.runId);
                this.runsChanged.fire(runsDir);
              }
              const snap = progress.snapshot();
              report.report({ message: progress.message(), increment: Math.max(0, 100 * snap.fraction - reported) });
              reported = Math.max(reported, 100 * snap.fraction);
              this.refreshStatus();
              this.gridEvents.fire(e);
            },
          });
          let abandoned: string[] = [];
          if (outcome.kind === 'died') {
            abandoned = markAbandonedRuns({ runsDir, pid: outcome.pid, runIds: [...started], status: outcome.cancelled ? 'cancelled' : 'failed', reason: outcome.reason });
            for (const id of abandoned) this.output.appendLine(`${id}: marked ${outcome.cancelled ? 'cancelled' : 'failed'}: ${outcome.reason}`);
            this.runsChanged.fire(runsDir);
          }
          if (outcome.kind === 'result' && outcome.result.kind === 'run') return { experimentFile, runsDir, result: outcome.result, abandoned };
          const failure = failureOf(outcome, title);
          return { experimentFile, runsDir, failure, abandoned };
        },
      );
    } finally {
      this.progress = undefined;
      this.refreshStatus();
      this.runsChanged.fire(runsDir);
    }
  }

  private async runWorker(
    job: JobRequest,
    signal: AbortSignal,
    on: { onGridEvent?(e: GridEvent): void; onProgress?(done: number, total: number, message: string): void },
  ): Promise<WorkerOutcome & { pid?: number }> {
    const worker = new WorkerProcess(await this.workerLaunch(), job, {
      onMessage: (m) => {
        if (m.type === 'grid') on.onGridEvent?.(m.event);
        else if (m.type === 'progress') on.onProgress?.(m.done, m.total, m.message);
        else if (m.type === 'log') this.output.appendLine(`${m.level === 'info' ? '' : `${m.level}: `}${m.message}`);
        else if (m.type === 'ready') this.output.appendLine(`worker ${m.pid} started (Node ${m.node})`);
        else if (m.type === 'failed') this.output.appendLine(m.error.stack ?? m.error.text);
      },
      onOutput: (line) => this.output.appendLine(`[worker] ${line}`),
    });
    this.workers.add(worker);
    const onAbort = () => worker.cancel();
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort);
    try {
      const outcome = await worker.done;
      if (outcome.kind === 'died') this.output.appendLine(`worker ${worker.pid ?? '?'}: ${outcome.reason}`);
      return { ...outcome, pid: worker.pid };
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.workers.delete(worker);
    }
  }

  private refreshStatus(): void {
    const jobs = this.running;
    if (jobs.length === 0) {
      this.status.hide();
      return;
    }
    const snap = this.progress?.snapshot();
    const queued = jobs.length - (this.training.running ? 1 : 0) - (this.interactive.running ? 1 : 0);
    const grid = snap && snap.total > 0 ? ` ${snap.ended + (snap.current ? 1 : 0)}/${snap.total} · ${Math.round(100 * snap.fraction)}%` : '';
    this.status.text = `$(loading~spin) Adapt Lab${grid}${queued > 0 ? ` (+${queued} queued)` : ''}`;
    this.status.tooltip = [this.progress?.message(), ...jobs.map((j) => j.title), 'Click to cancel a job or show the log.'].filter(Boolean).join('\n');
    this.status.show();
  }
}

function doneRuns(runsDir: string): Set<string> {
  try {
    return new Set(new RunStore(runsDir).list().runs.filter((r) => r.status === 'done').map((r) => r.id));
  } catch {
    return new Set();
  }
}

function failureOf(outcome: WorkerOutcome, title: string): JobFailure {
  switch (outcome.kind) {
    case 'failed':
      return new JobFailure(outcome.cancelled ? `${title}: cancelled` : outcome.error.text, outcome.cancelled, outcome.error);
    case 'died':
      return new JobFailure(outcome.cancelled ? `${title}: cancelled (${outcome.reason})` : `${title}: ${outcome.reason}`, outcome.cancelled);
    case 'result':
      return new JobFailure(`${title}: the worker answered a ${outcome.result.kind} job's result to a different job`, false);
  }
}

function resultOf<K extends JobRequest['kind']>(outcome: WorkerOutcome, title: string, kind: K): Extract<JobResult, { kind: K }> {
  if (outcome.kind === 'result' && outcome.result.kind === kind) return outcome.result as Extract<JobResult, { kind: K }>;
  throw failureOf(outcome, title);
}
