import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, expandCells, modelSlugs, planCells } from '../../../src/engine/experiment/cells';
import { baseExperiment, L2, L4, parse } from './helpers';

type Obj = Record<string, any>;
function experiment(change: (e: Obj) => void = () => {}) {
  const e = baseExperiment() as Obj;
  change(e);
  return parse(e);
}

const SLUG2 = 'bert_uncased_L-2_H-128_A-2';
const SLUG4 = 'bert_uncased_L-4_H-256_A-4';

test('ids are readable and folder-safe; run ids add an 8-digit configuration hash', () => {
  const cells = expandCells(experiment());
  const first = cells[0];
  assert.equal(first.id, `finetune__${SLUG2}__n10__s1`);
  assert.match(first.runId, new RegExp(`^finetune__${SLUG2}__n10__s1__[0-9a-f]{8}$`));
  const promptCell = cells.find((c) => c.method === 'prompt' && c.trainSize === 32 && c.seed === 2 && c.model.name === L2)!;
  assert.equal(promptCell.id, `prompt__${SLUG2}__n32__s2`);
  const d = cells.find((c) => c.method === 'distill')!;
  assert.equal(d.id, `distill__${SLUG2}__n10__s1__from-prompt-${SLUG4}`);
  for (const c of cells) assert.match(c.runId, /^[A-Za-z0-9][A-Za-z0-9._-]*$/);
  assert.equal(new Set(cells.map((c) => c.id)).size, cells.length, 'cell ids are distinct');
  assert.equal(new Set(cells.map((c) => c.runId)).size, cells.length, 'run ids are distinct');
});

test('train size 0 is zero-shot for prompting and skipped, with a reason, for fine-tuning and distillation', () => {
  const { cells, skipped } = planCells(experiment());
  const zero = cells.filter((c) => c.trainSize === 0);
  assert.ok(zero.length > 0);
  for (const c of zero) {
    assert.equal(c.method, 'prompt');
    assert.ok(c.method === 'prompt' && c.zeroShot);
  }
  for (const c of cells) if (c.method === 'prompt' && c.trainSize !== 0) assert.equal(c.zeroShot, false);
  // 2 models × 3 seeds of finetune, 1 student × 3 seeds of distill.
  assert.equal(skipped.length, 9);
  assert.deepEqual(new Set(skipped.map((s) => s.method)), new Set(['finetune', 'distill']));
  for (const s of skipped) {
    assert.equal(s.trainSize, 0);
    assert.ok(s.reason.length > 10);
  }
  // Everything else is a cell: finetune 2×3×3, prompt 2×4×3, distill 1×3×3.
  assert.equal(cells.length, 18 + 24 + 9);
});

test('a distill cell follows its teacher cell of the same train size and seed', () => {
  const cells = expandCells(experiment());
  const position = new Map(cells.map((c, i) => [c.runId, i]));
  const distills = cells.filter((c) => c.method === 'distill');
  assert.equal(distills.length, 9);
  for (const d of distills) {
    assert.ok(d.method === 'distill');
    const teacher = cells.find((c) => c.runId === d.teacher.runId)!;
    assert.ok(teacher, 'the teacher is a cell of the grid');
    assert.equal(teacher.id, d.teacher.cellId);
    assert.equal(teacher.method, 'prompt');
    assert.equal(teacher.model.name, L4);
    assert.equal(teacher.trainSize, d.trainSize);
    assert.equal(teacher.seed, d.seed);
    assert.deepEqual(d.teacher.model, teacher.model);
    assert.ok(position.get(teacher.runId)! < position.get(d.runId)!, 'teacher first');
    assert.equal(d.model.name, L2);
    assert.equal(d.training.temperature, 2);
  }
});

test('a distillation listed before its teacher\'s method still runs after the teacher', () => {
  const cells = expandCells(experiment((e) => {
    e.methods = [{ distill: { teacher: { method: 'finetune', model: L4 }, student: { model: L2 } } }, 'finetune'];
    delete e.prompt;
  }));
  const firstDistill = cells.findIndex((c) => c.method === 'distill');
  const lastFinetune = cells.map((c) => c.method).lastIndexOf('finetune');
  assert.ok(lastFinetune < firstDistill);
});

test('the order is deterministic: models, then sizes, then seeds, as written; the same file gives the same cells', () => {
  const a = expandCells(experiment());
  const b = expandCells(experiment());
  assert.deepEqual(a, b);
  assert.deepEqual(
    a.filter((c) => c.method === 'finetune').slice(0, 4).map((c) => c.id),
    [`finetune__${SLUG2}__n10__s1`, `finetune__${SLUG2}__n10__s2`, `finetune__${SLUG2}__n10__s3`, `finetune__${SLUG2}__n32__s1`],
  );
  assert.deepEqual([...new Set(a.map((c) => c.method))], ['finetune', 'prompt', 'distill']);
});

test('changing a training option, the name, or a teacher\'s options changes the run id, not the cell id', () => {
  const base = expandCells(experiment());
  const find = (cells: typeof base, id: string) => cells.find((c) => c.id === id)!;
  const ft = `finetune__${SLUG2}__n32__s1`;
  const pr = `prompt__${SLUG4}__n32__s1`;
  const di = `distill__${SLUG2}__n32__s1__from-prompt-${SLUG4}`;

  const lr = expandCells(experiment((e) => { e.training = { finetune: { learningRate: 3e-5 } }; }));
  assert.notEqual(find(lr, ft).runId, find(base, ft).runId);
  assert.equal(find(lr, pr).runId, find(base, pr).runId, 'other methods keep their runs');

  const teacherChange = expandCells(experiment((e) => { e.training = { prompt: { maxSteps: 500 } }; }));
  assert.notEqual(find(teacherChange, pr).runId, find(base, pr).runId);
  assert.notEqual(find(teacherChange, di).runId, find(base, di).runId, 'a new teacher means a new student');
  assert.equal(find(teacherChange, di).id, di);

  const renamed = expandCells(experiment((e) => { e.name = 'other'; }));
  assert.notEqual(find(renamed, ft).runId, find(base, ft).runId);

  // Spelling the defaults out explicitly is the same configuration.
  const explicit = expandCells(experiment((e) => { e.training = { finetune: { learningRate: 2e-5, batchSize: 16 } }; }));
  assert.equal(find(explicit, ft).runId, find(base, ft).runId);
});

test('run ids do not depend on where the project lives', () => {
  const e = baseExperiment() as Obj;
  e.models = ['./models/tiny', L4];
  e.methods = ['finetune'];
  const here = expandCells(parse(e, '/home/a/proj/x.experiment.json'));
  const there = expandCells(parse(e, '/srv/b/elsewhere/x.experiment.json'));
  assert.deepEqual(here.map((c) => c.runId), there.map((c) => c.runId));
  assert.equal(here[0].id, 'finetune__tiny__n10__s1');
});

test('a teacher run named by id is carried into the cell', () => {
  const cells = expandCells(experiment((e) => {
    e.methods = [{ distill: { teacherRunId: 'prompt__big__n32__s1__0123abcd', student: { model: L2 } } }];
    delete e.prompt;
  }));
  assert.equal(cells.length, 9);
  for (const c of cells) {
    assert.ok(c.method === 'distill');
    assert.deepEqual(c.teacher, { runId: 'prompt__big__n32__s1__0123abcd' });
    assert.match(c.id, /__from-prompt__big__n32__s1__0123abcd$/);
  }
});

test('model slugs: last segment, longer when two models share it, folder-safe', () => {
  const ref = (name: string) => ({ name, source: name, local: false });
  const slugs = modelSlugs([ref('google/bert-small'), ref('acme/bert-small'), ref(L2), ref('weird name!/x y')]);
  assert.equal(slugs.get('google/bert-small'), 'google--bert-small');
  assert.equal(slugs.get('acme/bert-small'), 'acme--bert-small');
  assert.equal(slugs.get(L2), SLUG2);
  assert.equal(slugs.get('weird name!/x y'), 'x_y');
  const clash = modelSlugs([ref('a/b c'), ref('a/b_c')]);
  assert.notEqual(clash.get('a/b c'), clash.get('a/b_c'));
  for (const s of clash.values()) assert.match(s, /^a--b_c-[0-9a-f]{6}$/);
});

test('canonicalJson sorts keys at every level', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } }), '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
});
