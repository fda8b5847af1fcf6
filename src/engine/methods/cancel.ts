// Cancellation between steps. Training is synchronous TF.js work, so an abort requested from elsewhere (a VS Code
// button, a signal handler) could never be seen mid-run; yielding one event-loop turn before each step lets it
// arrive, and costs microseconds against a step's milliseconds.
import { CancelledError } from './types';

export function yieldToEvents(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

export async function checkCancelled(signal: AbortSignal | undefined): Promise<void> {
  await yieldToEvents();
  if (signal?.aborted) throw new CancelledError();
}
