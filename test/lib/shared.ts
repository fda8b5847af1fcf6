// The reference material beside the repository: Hugging Face fixtures (`fixtures/`) and datasets (`data/`) in
// ../shared, or wherever ADAPT_LAB_SHARED points (a clone made elsewhere; .ci/run sets it).
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root, found upwards: this file runs from test/lib (tsx) and bundled into out/integration/suite. */
function findRepoRoot(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'src', 'engine'))) return dir;
  }
  throw new Error(`test/lib/shared.ts: no repository root above ${__dirname}`);
}
const repoRoot = findRepoRoot();

export const sharedDir = path.resolve(process.env.ADAPT_LAB_SHARED || path.join(repoRoot, '..', 'shared'));
export const fixturesDir = path.join(sharedDir, 'fixtures');
/** The 2-layer BERT that transformers 4.31 saved, with its expected token ids, logits and gradients. */
export const fixtureDir = path.join(fixturesDir, 'bert-L2-H64-A2');
export const sharedData = path.join(sharedDir, 'data');

/** Why the shared folder cannot be used, or undefined when it can. */
export function sharedProblem(): string | undefined {
  if (existsSync(path.join(fixtureDir, 'expected.json'))) return undefined;
  return `the reference fixtures are not at ${fixtureDir}: the tests expect ../shared beside the repository; set ADAPT_LAB_SHARED to that folder`;
}
