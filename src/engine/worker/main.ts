// The worker process's side of the protocol: wait for one `start`, run that job, send its result, exit. A
// `cancel` message (the editor's Cancel button) or SIGTERM aborts the job's signal: a grid stops after the current
// training step and records the run as cancelled; a second SIGTERM quits at once. The process handles one job and
// exits so that every job starts with fresh memory, and a crash can only take one job down.
// Every message leaves through a port that redacts the Hugging Face token the worker got in its environment
// (see ./redact): nothing the worker says to the editor — log lines, errors, results — can carry it.
import { isUserError } from '../errors';
import { secretsOf } from '../hub/token';
import { runJob } from './jobs';
import { parseHostMessage, ProtocolError, type JobError, type JobRequest, type WorkerMessage } from './protocol';
import { redactingPort } from './redact';

export interface WorkerPort {
  send(message: WorkerMessage): Promise<void>;
  onMessage(listener: (message: unknown) => void): void;
  exit(code: number): void;
}

/** The port of a process started with child_process.fork (an IPC channel to its parent). */
export function processPort(proc: NodeJS.Process = process): WorkerPort {
  return {
    send: (message) =>
      new Promise<void>((resolve) => {
        if (!proc.send || !proc.connected) return resolve();
        proc.send(message, undefined, {}, () => resolve());
      }),
    onMessage: (listener) => proc.on('message', listener),
    exit: (code) => proc.exit(code),
  };
}

export function serveWorker(rawPort: WorkerPort, proc: NodeJS.Process = process): void {
  const port = redactingPort(rawPort, secretsOf(proc.env));
  const controller = new AbortController();
  let started = false;

  const onSignal = () => {
    if (controller.signal.aborted) port.exit(130);
    controller.abort();
  };
  proc.on('SIGTERM', onSignal);
  proc.on('SIGINT', onSignal);
  // The parent went away (the editor closed or crashed): nobody is left to read results, so stop cleanly.
  proc.on('disconnect', () => controller.abort());

  port.onMessage((raw) => {
    let message;
    try {
      message = parseHostMessage(raw);
    } catch (e) {
      void port.send({ type: 'log', level: 'error', message: `ignored an invalid message from the editor: ${(e as ProtocolError).message}` });
      return;
    }
    if (message.type === 'cancel') {
      controller.abort();
      return;
    }
    if (started) {
      void port.send({ type: 'log', level: 'error', message: 'a worker runs one job; a second start was ignored' });
      return;
    }
    started = true;
    void execute(message.job, port, controller.signal);
  });
  void port.send({ type: 'ready', pid: proc.pid, node: proc.version });
}

async function execute(job: JobRequest, port: WorkerPort, signal: AbortSignal): Promise<void> {
  let code = 0;
  try {
    const result = await runJob(job, {
      signal,
      emit: (event) => void port.send({ type: 'grid', event }),
      log: (level, message) => void port.send({ type: 'log', level, message }),
      progress: (done, total, message) => void port.send({ type: 'progress', done, total, message }),
    });
    await port.send({ type: 'result', result });
  } catch (e) {
    code = 1;
    await port.send({ type: 'failed', error: describeError(e), cancelled: signal.aborted });
  }
  port.exit(code);
}

export function describeError(e: unknown): JobError {
  if (isUserError(e)) {
    const { file, line, field } = e.place;
    return strip({ text: e.format(), user: true, file, line, field });
  }
  const err = e as Error | undefined;
  return strip({ text: `internal error: ${err?.message ?? String(e)}`, user: false, stack: err?.stack });
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
