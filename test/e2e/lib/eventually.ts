// Waiting on a condition rather than for a time: webviews render asynchronously, the extension answers through
// its host, and a worker job reports as it goes, so the UI tests poll until what they check holds.

/** Polls `check` until it stops throwing; after `timeoutMs` rethrows its last failure, naming `what`. */
export async function eventually<T>(what: string, check: () => Promise<T> | T, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      // The last failure's message in ours: the test runner's report does not show an error's cause.
      if (Date.now() > deadline) throw new Error(`${what}: still failing after ${timeoutMs / 1000} s: ${(e as Error)?.message ?? String(e)}`, { cause: e });
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
