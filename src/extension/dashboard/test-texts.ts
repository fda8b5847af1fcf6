// The text of test examples, for reviewing where two runs disagree: predictions.jsonl holds each example's
// position in the test file, not its text, so the text is read from the test file the run's experiment names.
// That file may have changed since the run; an example is shown with its text only when its gold label still
// matches, and otherwise the review says why the text is missing. Pure Node (the engine's readers), no vscode.
import { readFileSync, statSync } from 'node:fs';
import { readDataset } from '../../engine/data/dataset';
import type { Example } from '../../engine/data/example';
import { isUserError } from '../../engine/errors';
import { parseExperiment } from '../../engine/experiment/schema';

export type TestRows = { rows: Example[] } | { problem: string };

export class TestTexts {
  private readonly cache = new Map<string, { stamp: string; value: Promise<TestRows> }>();

  /** The test rows of an experiment file, cached until the experiment or test file changes. */
  rowsFor(experimentFile: string): Promise<TestRows> {
    let stamp: string;
    let testFile: string;
    let fields: { textField: string; textPairField?: string; labelField: string };
    try {
      const experiment = parseExperiment(readFileSync(experimentFile, 'utf8'), experimentFile);
      testFile = experiment.dataset.test;
      fields = { textField: experiment.dataset.textField, textPairField: experiment.dataset.textPairField, labelField: experiment.dataset.labelField };
      stamp = [experimentFile, statSync(experimentFile).mtimeMs, testFile, statSync(testFile).mtimeMs].join('|');
    } catch (e) {
      return Promise.resolve({ problem: `the example texts are not shown: ${isUserError(e) ? e.format() : (e as Error).message}` });
    }
    const hit = this.cache.get(experimentFile);
    if (hit && hit.stamp === stamp) return hit.value;
    const value = readDataset(testFile, { ...fields, labeled: true }).then(
      (r): TestRows => ({ rows: r.rows }),
      (e: unknown): TestRows => ({ problem: `the example texts are not shown: ${isUserError(e) ? e.format() : (e as Error).message}` }),
    );
    this.cache.set(experimentFile, { stamp, value });
    return value;
  }
}

/** An example's text as shown: the pair joined by a separator, as the model saw them side by side. */
export function exampleText(e: Example): string {
  return e.textPair === undefined ? e.text : `${e.text} ⟂ ${e.textPair}`;
}
