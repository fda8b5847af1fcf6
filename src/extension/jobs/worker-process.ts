// One engine worker process, seen from the extension host: forked on VS Code's own runtime (Electron run as Node,
// ELECTRON_RUN_AS_NODE=1) or on a Node binary the user configured, given one job, its messages validated and passed
// on, and its end turned into one outcome — a result, a failure the worker described, or a death (killed, out of
// memory, crashed) described by the host from the exit code, the signal and the last lines of stderr.
// The Hugging Face token reaches the worker only in its environment; whatever comes back (messages, stdout and
// stderr lines, the reason of a death) is redacted of it here as well as in the worker, so that the output
// channel and run records never show it even if the worker was a different build.
// Pure Node (no vscode import), so it is unit-tested with real child processes.
import { fork, type ChildProcess } from 'node:child_process';
import { redactDeep, redactSecrets, secretsOf } from '../../engine/hub/token';
import { parseWorkerMessage, type JobError, type JobRequest, type JobResult, type WorkerMessage } from '../../engine/worker/protocol';

export interface WorkerLaunch {
  /** The worker script: dist/worker.js. */
  script: string;
  /** The runtime; default process.execPath (VS Code's Electron, or Node under code-server and tests). */
  execPath?: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface WorkerListener {
  /** Every valid message, in order (the final result or failure included). */
  onMessage?(message: WorkerMessage): void;
  /** The worker's stdout and stderr, line by line (warnings from TF.js, crash traces). */
  onOutput?(line: string, stream: 'stdout' | 'stderr'): void;
}

export type WorkerOutcome =
  | { kind: 'result'; result: JobResult }
  | { kind: 'failed'; error: JobError; cancelled: boolean }
  /** The process ended without a result: `reason` says how, for the user and for the run record. */
  | { kind: 'died'; reason: string; code: number | null; signal: NodeJS.Signals | null; cancelled: boolean };

/** Lines of stderr kept to explain a death (an out-of-memory abort prints its reason there). */
const STDERR_TAIL = 20;

export class WorkerProcess {
  readonly done: Promise<WorkerOutcome>;
  private readonly child: ChildProcess;
  private final: WorkerOutcome | undefined;
  private cancelRequested = false;
  private protocolError: string | undefined;
  private spawnError: string | undefined;
  private readonly stderrTail: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly secrets: string[];

  constructor(launch: WorkerLaunch, job: JobRequest, private readonly listener: WorkerListener = {}) {
    const env = { ...process.env, ...launch.env, ELECTRON_RUN_AS_NODE: '1' };
    this.secrets = secretsOf(env);
    this.child = fork(launch.script, [], {
      execPath: launch.execPath ?? process.execPath,
      execArgv: launch.execArgv ?? [],
      env,
      cwd: launch.cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.pipeLines(this.child.stdout, 'stdout');
    this.pipeLines(this.child.stderr, 'stderr');
    this.done = new Promise<WorkerOutcome>((resolve) => {
      this.child.on('message', (raw) => this.receive(raw));
      this.child.on('error', (e) => {
        // Spawning failed (a wrong workerNodePath): 'close' follows with a negative code, and death() says why.
        this.spawnError ??= e.message;
      });
      // 'close' comes after stdout and stderr have ended, so the stderr tail that explains a death is complete.
      this.child.on('close', (code, signal) => resolve(this.settle(this.final ?? this.death(code, signal))));
    });
    this.send({ type: 'start', job });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Asks the worker to stop (a grid finishes its current step and records the run as cancelled). If it has not
   * exited after `graceMs`, it gets SIGTERM, and SIGKILL after as long again.
   */
  cancel(graceMs = 10_000): void {
    if (this.cancelRequested || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.cancelRequested = true;
    this.send({ type: 'cancel' });
    this.timers.push(setTimeout(() => this.kill('SIGTERM'), graceMs).unref());
    this.timers.push(setTimeout(() => this.kill('SIGKILL'), 2 * graceMs).unref());
  }

  get cancelled(): boolean {
    return this.cancelRequested;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  private send(message: unknown): void {
    if (!this.child.connected) return;
    this.child.send(message as never, (e) => {
      if (e) this.listener.onOutput?.(`could not send to the worker: ${e.message}`, 'stderr');
    });
  }

  private receive(raw: unknown): void {
    let message: WorkerMessage;
    try {
      message = redactDeep(parseWorkerMessage(raw), this.secrets);
    } catch (e) {
      // A message that does not follow the protocol means the two sides disagree; nothing it says can be trusted.
      this.protocolError = redactSecrets((e as Error).message, this.secrets);
      this.kill('SIGKILL');
      return;
    }
    if (message.type === 'result') this.final = { kind: 'result', result: message.result };
    if (message.type === 'failed') this.final = { kind: 'failed', error: message.error, cancelled: message.cancelled || this.cancelRequested };
    this.listener.onMessage?.(message);
  }

  private death(code: number | null, signal: NodeJS.Signals | null): WorkerOutcome {
    const tail = this.stderrTail.join('\n');
    let reason: string;
    if (this.spawnError !== undefined && this.child.pid === undefined) reason = `the worker could not be started: ${redactSecrets(this.spawnError, this.secrets)}`;
    else if (this.protocolError !== undefined) reason = `the worker sent an invalid message (${this.protocolError})`;
    else if (/heap out of memory|Allocation failed|RangeError: Array buffer allocation failed|std::bad_alloc/i.test(tail)) reason = 'the worker process ran out of memory';
    else if (signal !== null) reason = `the worker process was killed (${signal})${signal === 'SIGKILL' && !this.cancelRequested ? ', possibly by the system for lack of memory' : ''}`;
    else reason = `the worker process exited with code ${code} before finishing its job`;
    const last = this.stderrTail.filter((l) => l.trim() !== '').slice(-3).join(' | ');
    if (last !== '' && this.protocolError === undefined) reason += `; its last output: ${last}`;
    return { kind: 'died', reason, code, signal, cancelled: this.cancelRequested };
  }

  private settle(outcome: WorkerOutcome): WorkerOutcome {
    for (const t of this.timers) clearTimeout(t);
    return outcome;
  }

  private pipeLines(stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr'): void {
    if (!stream) return;
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.line(line, name);
    });
    stream.on('end', () => {
      if (pending !== '') this.line(pending, name);
      pending = '';
    });
  }

  private line(raw: string, name: 'stdout' | 'stderr'): void {
    const line = redactSecrets(raw, this.secrets);
    if (name === 'stderr') {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
    }
    this.listener.onOutput?.(line, name);
  }
}
