// What the webview asks the extension for beyond the run list: a run's detail (with its training log), the
// examples where two runs disagree, and paired significance tests between configurations. Test predictions are
// read here, in the extension host, and only results travel to the webview — a grid's predictions can be tens of
// megabytes. Pure Node, no vscode.
import { statSync } from 'node:fs';
import { compareConfigurations, type Comparison, type SeedPredictions } from '../../engine/analysis/significance';
import { isUserError } from '../../engine/errors';
import type { MetricsEntry, PredictionRow } from '../../engine/runs/store';
import { DISAGREEMENTS_SHOWN, type Disagreements, type RunDetail } from '../../../webview/dashboard/protocol';
import type { RunIndex, RunRef } from './run-index';
import { toDetail } from './summaries';
import { exampleText, TestTexts } from './test-texts';

const describeError = (e: unknown) => (isUserError(e) ? e.format() : (e as Error).message);

export class DashboardRequests {
  private readonly predictions = new Map<string, { mtimeMs: number; rows: PredictionRow[] }>();
  private readonly texts = new TestTexts();

  constructor(private readonly index: RunIndex) {}

  /** Test predictions of a run, re-read only when predictions.jsonl changed. */
  predictionsOf(r: RunRef): PredictionRow[] {
    const file = r.store.predictionsFile(r.id);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      throw new Error(`${r.id} has no test predictions (predictions.jsonl)`);
    }
    const key = `${r.store.dir}/${r.id}`;
    const hit = this.predictions.get(key);
    if (hit && hit.mtimeMs === mtimeMs) return hit.rows;
    const rows = r.store.readPredictions(r.id);
    this.predictions.set(key, { mtimeMs, rows });
    return rows;
  }

  detail(refs: readonly string[]): { details: RunDetail[]; problem?: string } {
    const details: RunDetail[] = [];
    const missing: string[] = [];
    for (const ref of refs) {
      const r = this.index.resolve(ref);
      if (!r) {
        missing.push(ref);
        continue;
      }
      let log: MetricsEntry[] = [];
      let logProblem: string | undefined;
      try {
        log = r.store.readMetrics(r.id);
      } catch (e) {
        logProblem = describeError(e);
      }
      details.push(toDetail(r.run, ref, log, logProblem));
    }
    return missing.length > 0 ? { details, problem: `no longer in the runs folder: ${missing.join(', ')}` } : { details };
  }

  /** Test examples two runs predict differently (the first DISAGREEMENTS_SHOWN of them, with text when possible). */
  async disagreements(refA: string, refB: string): Promise<Disagreements> {
    const base: Disagreements = { refA, refB, examples: 0, total: 0, shown: [] };
    const a = this.index.resolve(refA);
    const b = this.index.resolve(refB);
    if (!a || !b) return { ...base, problem: 'a selected run is no longer in the runs folder' };
    let pa: PredictionRow[];
    let pb: PredictionRow[];
    try {
      pa = this.predictionsOf(a);
      pb = this.predictionsOf(b);
    } catch (e) {
      return { ...base, problem: describeError(e) };
    }
    const byIndex = new Map(pb.map((p) => [p.index, p]));
    if (pa.length !== pb.length || pa.some((p) => byIndex.get(p.index)?.label !== p.label)) {
      return { ...base, examples: pa.length, problem: 'the two runs were not evaluated on the same test set' };
    }
    const differing = pa.filter((p) => byIndex.get(p.index)!.predicted !== p.predicted).sort((x, y) => x.index - y.index);
    const result: Disagreements = {
      ...base,
      examples: pa.length,
      total: differing.length,
      shown: differing.slice(0, DISAGREEMENTS_SHOWN).map((p) => ({ index: p.index, label: p.label, a: p.predicted, b: byIndex.get(p.index)!.predicted })),
    };
    const file = a.run.experimentFile ?? b.run.experimentFile;
    if (!file) return { ...result, textProblem: 'the runs do not name their experiment file, so the example texts are not shown' };
    const test = await this.texts.rowsFor(file);
    if ('problem' in test) return { ...result, textProblem: test.problem };
    let mismatched = 0;
    for (const row of result.shown) {
      const example = test.rows[row.index];
      if (example && example.label === row.label) row.text = exampleText(example);
      else mismatched++;
    }
    if (mismatched > 0) result.textProblem = `${mismatched} example(s) no longer match the test file (it changed since the runs), so their text is not shown`;
    return result;
  }

  /** Paired comparison of two configurations, each given as the refs of its runs (one per seed). */
  compare(aRefs: readonly string[], bRefs: readonly string[]): { comparison?: Comparison; problem?: string } {
    const side = (refs: readonly string[]): SeedPredictions[] | string => {
      const out: SeedPredictions[] = [];
      for (const ref of refs) {
        const r = this.index.resolve(ref);
        if (!r) return `${ref} is no longer in the runs folder`;
        if (r.run.status !== 'done') continue;
        try {
          out.push({ seed: r.run.seed, runId: r.id, predictions: this.predictionsOf(r) });
        } catch (e) {
          return describeError(e);
        }
      }
      return out;
    };
    const a = side(aRefs);
    if (typeof a === 'string') return { problem: a };
    const b = side(bRefs);
    if (typeof b === 'string') return { problem: b };
    const comparison = compareConfigurations(a, b, { resamples: 1000, seed: 1 });
    return comparison.problem ? { problem: comparison.problem } : { comparison };
  }
}
