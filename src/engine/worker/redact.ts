// The worker's boundary for secrets. The editor hands the worker its Hugging Face token in the environment
// (HF_TOKEN) and nowhere else; on the way out, every message to the editor and every line the worker writes to
// stdout or stderr (which the editor shows in its output channel) has that token replaced. The engine never puts
// the token in what it says; this is the defense in depth for text that echoes it anyway (a library's log line,
// an error a server sent back).
import { redactDeep, redactSecrets } from '../hub/token';
import type { WorkerMessage } from './protocol';
import type { WorkerPort } from './main';

/** `port` with every outgoing message redacted of `secrets`. */
export function redactingPort(port: WorkerPort, secrets: readonly string[]): WorkerPort {
  if (secrets.length === 0) return port;
  return { ...port, send: (message: WorkerMessage) => port.send(redactDeep(message, secrets)) };
}

/** Makes the process's stdout and stderr redact `secrets` from what is written to them. */
export function redactProcessOutput(proc: NodeJS.Process, secrets: readonly string[]): void {
  if (secrets.length === 0) return;
  for (const stream of [proc.stdout, proc.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined;
      return text === undefined ? write(chunk, ...rest) : write(redactSecrets(text, secrets), ...rest);
    }) as typeof stream.write;
  }
}
