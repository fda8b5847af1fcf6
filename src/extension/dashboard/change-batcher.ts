// File events arrive in bursts: a training step appends to metrics.jsonl, a finished run replaces run.json,
// predictions.jsonl and a model folder in quick succession. The batcher collects changed paths and hands them over
// once the burst is quiet for `quietMs`, but at least every `maxWaitMs` while a long burst goes on, so a running
// grid updates the dashboard steadily without re-sending thousands of runs per second.

export class ChangeBatcher {
  private pending = new Set<string>();
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  private maxTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flush: (paths: Set<string>) => void,
    private readonly quietMs = 300,
    private readonly maxWaitMs = 1500,
  ) {}

  add(path: string): void {
    this.pending.add(path);
    if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.fire(), this.quietMs);
    this.maxTimer ??= setTimeout(() => this.fire(), this.maxWaitMs);
  }

  dispose(): void {
    if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
    if (this.maxTimer !== undefined) clearTimeout(this.maxTimer);
    this.quietTimer = this.maxTimer = undefined;
    this.pending.clear();
  }

  private fire(): void {
    if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
    if (this.maxTimer !== undefined) clearTimeout(this.maxTimer);
    this.quietTimer = this.maxTimer = undefined;
    const paths = this.pending;
    this.pending = new Set();
    if (paths.size > 0) this.flush(paths);
  }
}
