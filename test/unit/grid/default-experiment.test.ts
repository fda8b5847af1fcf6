// The embedded default experiment must stay runnable on a machine that has never seen the Hub: it parses, plans the
// four method kinds, its template fits the bundled vocabulary, and a dry run falls back to random-init models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planCells } from '../../../src/engine/experiment/cells';
import { runExperiment, readExperiment } from '../../../src/engine/grid';
import { repoRoot } from './helpers';

const FILE = path.join(repoRoot, 'examples', 'sms-spam.experiment.json');

test('the default experiment: 28 cells over finetune, prompt (with zero-shot) and distillation from both teachers', async () => {
  const e = await readExperiment(FILE);
  assert.equal(e.allowRandomInit, true);
  const cells = planCells(e).cells;
  assert.equal(cells.length, 28);
  const count = (pred: (c: (typeof cells)[number]) => boolean) => cells.filter(pred).length;
  assert.equal(count((c) => c.method === 'finetune'), 8);
  assert.equal(count((c) => c.method === 'prompt' && c.zeroShot), 4);
  assert.equal(count((c) => c.method === 'distill' && c.teacher.method === 'finetune'), 4);
  assert.equal(count((c) => c.method === 'distill' && c.teacher.method === 'prompt'), 4);
});

test('offline and uncached, a dry run of the default experiment estimates every cell on random-init stand-ins', async () => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'adapt-lab-default-'));
  try {
    const logs: string[] = [];
    const result = await runExperiment(FILE, {
      dryRun: true,
      runsDir: path.join(cacheDir, 'runs'),
      resolve: { offline: true, cacheDir, env: {} },
      onEvent: (e) => e.type === 'log' && logs.push(e.message),
    });
    assert.equal(result.dryRun!.estimates.length, 28);
    assert.ok(result.dryRun!.estimates.every((c) => c.action === 'run' && Number.isFinite(c.seconds)));
    assert.equal(logs.filter((l) => /using a randomly initialised model of the same shape/.test(l)).length, 2);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
