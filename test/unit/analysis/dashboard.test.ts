import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareDashboard } from '../../../src/engine/analysis/dashboard';
import { aggregateRuns, groupKey, type GroupableRun } from '../../../src/engine/analysis/group';
import { reportJson } from '../../../src/engine/runs/report';
import { close, LARGE, run, SMALL } from './helpers';
import { studyRuns } from './study';

const key = (method: string, model: string, trainSize: number | 'all', teacher?: string) =>
  JSON.stringify(['study', method, teacher ? `${teacher}:${LARGE}` : '', model, trainSize]);

test('the dashboard groups exactly as `adapt-lab report` does, also from slim run summaries', () => {
  const runs = studyRuns();
  const model = prepareDashboard(runs, { metric: 'accuracy', costAxis: 'inferFlopsPerExample' });
  assert.deepEqual(model.rows, reportJson(runs).rows);
  assert.equal(model.rows.length, 18);
  // Summaries carry only what grouping reads (no per-class metrics, no confusion): the same rows.
  const slim: GroupableRun[] = runs.map((r) => ({
    id: r.id, experiment: r.experiment, method: r.method, model: r.model, teacher: r.teacher, trainSize: r.trainSize, seed: r.seed,
    status: r.status, updatedAt: r.updatedAt, finishedAt: r.finishedAt,
    metrics: r.metrics && { accuracy: r.metrics.accuracy, macroF1: r.metrics.macroF1 }, cost: r.cost, data: r.data,
  }));
  assert.deepEqual(aggregateRuns(slim), model.rows);
  const row = model.rowByKey.get(key('finetune', SMALL, 100))!;
  close(row.accuracy.mean, 0.72, 'mean');
  close(row.accuracy.std, Math.SQRT2 * 0.02, 'sample std of 0.70, 0.74');
  assert.equal(row.key, groupKey(runs[2]));
  assert.equal(row.labeled, 100);
  assert.equal(row.trainSeconds, 10);
});

test('a train size of "all" is placed at the labeled examples the runs really used', () => {
  const rows = aggregateRuns([
    run({ method: 'finetune', model: SMALL, trainSize: 'all', seed: 1, accuracy: 0.9, labeled: 6920 }),
    run({ method: 'finetune', model: SMALL, trainSize: 'all', seed: 2, accuracy: 0.9, labeled: 6920 }),
  ]);
  assert.equal(rows[0].labeled, 6920);
});

test('curves, series, models, the crossover of prompting and fine-tuning, and the counts', () => {
  const runs = [...studyRuns(), run({ method: 'prompt', model: SMALL, trainSize: 10, seed: 3, accuracy: 0, status: 'running' })];
  const m = prepareDashboard(runs, { metric: 'accuracy', costAxis: 'inferFlopsPerExample' });
  assert.equal(m.experiment, 'study');
  assert.deepEqual(m.statusCounts, { done: 36, running: 1 });
  assert.deepEqual(m.models, [SMALL, LARGE], 'smaller model (fewer parameters) first');
  assert.deepEqual(m.series.map((s) => s.id), ['finetune', 'prompt', 'distill←finetune', 'distill←prompt']);
  assert.deepEqual(m.curves.map((c) => [c.model === SMALL ? 'S' : 'L', c.series.id, c.points.map((p) => p.x), c.zeroShot ? c.zeroShot.mean : null]), [
    ['S', 'finetune', [10, 100, 1000], null],
    ['S', 'prompt', [10, 100, 1000], 0.6],
    ['S', 'distill←finetune', [10, 100], null],
    ['S', 'distill←prompt', [10, 100], null],
    ['L', 'finetune', [10, 100, 1000], null],
    ['L', 'prompt', [10, 100, 1000], 0.65],
  ]);
  assert.deepEqual(m.pair, ['prompt', 'finetune'], 'the study\'s headline pair by default');
  // Small model: prompt − finetune = +0.18, +0.05, −0.02 at 10, 100, 1000: the crossing is 5/7 of the way from
  // log 100 to log 1000. The large model's means differ by the same amounts.
  for (const { model, result } of m.crossovers) {
    assert.equal(result.crossovers.length, 1, model);
    close(result.crossovers[0].x, 10 ** (2 + 5 / 7), `${model} crossing`, 1e-6);
    assert.equal(result.crossovers[0].below, 'a');
  }
  const swapped = prepareDashboard(runs, { metric: 'accuracy', costAxis: 'latencyMsP50', pair: ['distill←prompt', 'finetune'] });
  assert.deepEqual(swapped.pair, ['distill←prompt', 'finetune']);
  assert.deepEqual(swapped.crossovers.find((c) => c.model === SMALL)!.result.leader, 'a');
});

test('Pareto frontiers against compute, against labels, and against both at once', () => {
  const m = prepareDashboard(studyRuns(), { metric: 'accuracy', costAxis: 'inferFlopsPerExample' });
  const name = (k: string) => {
    const r = m.rowByKey.get(k)!;
    return `${m.seriesOfKey.get(k)!.id}/${r.model === SMALL ? 'S' : 'L'}/${r.trainSize}`;
  };
  assert.equal(m.cost.points.length, 18);
  assert.deepEqual(m.cost.compute.frontier.map(name), ['finetune/S/1000', 'finetune/L/1000']);
  assert.deepEqual(m.cost.data.frontier.map(name), ['prompt/L/0', 'prompt/L/10', 'prompt/L/100', 'finetune/L/1000']);
  // Both costs: distilling the prompted large model into the small one is on the frontier at 10 and 100 labels —
  // nothing else is as accurate for as little compute and as few labels.
  // (Listed by inference FLOPs, then accuracy.)
  assert.deepEqual(m.cost.joint.frontier.map(name), [
    'finetune/S/1000', 'distill←prompt/S/100', 'distill←prompt/S/10', 'prompt/S/0',
    'finetune/L/1000', 'prompt/L/100', 'prompt/L/10', 'prompt/L/0',
  ]);
  assert.equal(m.cost.joint.dominatedBy.get(key('prompt', SMALL, 10)), key('distill', SMALL, 10, 'prompt'));
  const latency = prepareDashboard(studyRuns(), { metric: 'macroF1', costAxis: 'latencyMsP50' });
  assert.deepEqual(latency.cost.points.map((p) => p.compute).filter((x, i, a) => a.indexOf(x) === i).sort(), [2, 6]);
  close(latency.cost.points.find((p) => p.key === key('finetune', SMALL, 100))!.accuracy, 0.67, 'the macro-F1 metric');
});

test('the experiment shown: the one asked for, else the one updated last', () => {
  const runs = [
    run({ method: 'finetune', model: SMALL, trainSize: 10, seed: 1, accuracy: 0.5, experiment: 'old', updatedAt: '2024-01-01T00:00:00Z' }),
    run({ method: 'finetune', model: SMALL, trainSize: 10, seed: 1, accuracy: 0.6, experiment: 'new', updatedAt: '2024-03-01T00:00:00Z' }),
  ];
  assert.equal(prepareDashboard(runs, { metric: 'accuracy', costAxis: 'params' }).experiment, 'new');
  const old = prepareDashboard(runs, { experiment: 'old', metric: 'accuracy', costAxis: 'params' });
  assert.equal(old.experiment, 'old');
  assert.deepEqual(old.experiments.map((e) => [e.name, e.runs]), [['new', 1], ['old', 1]]);
  assert.equal(old.rows.length, 1);
  assert.equal(prepareDashboard(runs, { experiment: 'gone', metric: 'accuracy', costAxis: 'params' }).experiment, 'new');
  assert.equal(prepareDashboard([], { metric: 'accuracy', costAxis: 'params' }).experiment, undefined);
});
