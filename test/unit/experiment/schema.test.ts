import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { parseExperiment } from '../../../src/engine/experiment/schema';
import { DEFAULT_TRAINING } from '../../../src/engine/experiment/training';
import { assertRejects, baseExperiment, EXP_DIR, EXP_FILE, L2, L4, parse } from './helpers';

type Obj = Record<string, any>;
function variant(change: (e: Obj) => void): Obj {
  const e = baseExperiment() as Obj;
  change(e);
  return e;
}

test('a complete experiment parses, with paths resolved against its folder and defaults filled in', () => {
  const e = parse(baseExperiment());
  assert.equal(e.name, 'sms-spam-default');
  assert.equal(e.file, EXP_FILE);
  assert.equal(e.dir, EXP_DIR);
  assert.deepEqual(e.dataset, {
    train: path.join(EXP_DIR, 'data', 'train.jsonl'),
    test: path.join(EXP_DIR, 'data', 'test.jsonl'),
    textField: 'text',
    labelField: 'label',
  });
  assert.equal(e.prompt, path.join(EXP_DIR, 'templates', 'sms_spam.prompt.json'));
  assert.deepEqual(e.models, [
    { name: L2, source: L2, local: false },
    { name: L4, source: L4, local: false },
  ]);
  assert.deepEqual(e.trainSizes, [0, 10, 32, 'all']);
  assert.deepEqual(e.seeds, [1, 2, 3]);
  assert.deepEqual(e.training, DEFAULT_TRAINING);
  assert.deepEqual(e.methods.slice(0, 2), [{ method: 'finetune' }, { method: 'prompt' }]);
  const d = e.methods[2];
  assert.ok(d.method === 'distill');
  assert.deepEqual(d.teacher, { kind: 'cell', method: 'prompt', model: { name: L4, source: L4, local: false } });
  assert.deepEqual(d.students, [{ name: L2, source: L2, local: false }]);
  assert.equal(d.training.temperature, 2);
});

test('text and label fields default to "text" and "label"; optional files resolve too', () => {
  const e = parse(variant((x) => {
    x.dataset = { train: '../shared/train.csv', dev: 'dev.jsonl', test: '/abs/test.jsonl', unlabeled: '~/pool.jsonl', textPairField: 'hypothesis' };
  }));
  assert.deepEqual(e.dataset, {
    train: path.resolve(EXP_DIR, '..', 'shared', 'train.csv'),
    dev: path.join(EXP_DIR, 'dev.jsonl'),
    test: path.resolve('/abs/test.jsonl'),
    unlabeled: path.join(homedir(), 'pool.jsonl'),
    textField: 'text',
    textPairField: 'hypothesis',
    labelField: 'label',
  });
});

test('a model that looks like a path, or is an existing folder, is resolved; a Hub id is left as is', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-exp-'));
  try {
    mkdirSync(path.join(dir, 'tiny-bert'));
    const e = parse(variant((x) => {
      x.models = ['./models/my-bert/', 'tiny-bert', 'bert-base-uncased', L2, 'C:\\models\\win'];
      x.methods = ['finetune'];
    }), path.join(dir, 'x.experiment.json'));
    assert.deepEqual(e.models[0], { name: 'models/my-bert', source: path.join(dir, 'models', 'my-bert'), local: true });
    assert.deepEqual(e.models[1], { name: 'tiny-bert', source: path.join(dir, 'tiny-bert'), local: true });
    assert.deepEqual(e.models[2], { name: 'bert-base-uncased', source: 'bert-base-uncased', local: false });
    assert.deepEqual(e.models[3], { name: L2, source: L2, local: false });
    assert.equal(e.models[4].local, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('each invalid field is a UserError naming the file, the line, the field path and a fix', () => {
  const cases: Array<[string, (e: Obj) => void, string | undefined, RegExp?]> = [
    ['unknown top-level key', (e) => { e.seed = [1]; }, 'seed', /unknown field "seed"/],
    ['missing name', (e) => { delete e.name; }, 'name', /missing required field/],
    ['empty name', (e) => { e.name = ' '; }, 'name'],
    ['dataset not an object', (e) => { e.dataset = 'data/train.jsonl'; }, 'dataset'],
    ['missing test file', (e) => { delete e.dataset.test; }, 'dataset.test'],
    ['misspelt dataset key', (e) => { e.dataset.labelfield = 'y'; }, 'dataset.labelfield'],
    ['non-string text field', (e) => { e.dataset.textField = 3; }, 'dataset.textField'],
    ['no models', (e) => { e.models = []; }, 'models', /empty/],
    ['model not a string', (e) => { e.models = [L2, 7]; }, 'models[1]'],
    ['model listed twice', (e) => { e.models = [L2, L4, L2]; }, 'models[2]', /twice/],
    ['no train sizes', (e) => { e.trainSizes = []; }, 'trainSizes'],
    ['negative train size', (e) => { e.trainSizes = [10, -1]; }, 'trainSizes[1]'],
    ['fractional train size', (e) => { e.trainSizes = [1.5]; }, 'trainSizes[0]'],
    ['"ALL" instead of "all"', (e) => { e.trainSizes = ['ALL']; }, 'trainSizes[0]'],
    ['train size twice', (e) => { e.trainSizes = [10, 10]; }, 'trainSizes[1]'],
    ['no seeds', (e) => { e.seeds = []; }, 'seeds'],
    ['fractional seed', (e) => { e.seeds = [1, 2.5]; }, 'seeds[1]'],
    ['string seed', (e) => { e.seeds = ['1']; }, 'seeds[0]'],
    ['seeds not a list', (e) => { e.seeds = 1; }, 'seeds'],
    ['no methods', (e) => { e.methods = []; }, 'methods'],
    ['misspelt method', (e) => { e.methods = ['finetun']; }, 'methods[0]', /"finetune", "prompt"/],
    ['bare distill', (e) => { e.methods = ['finetune', 'distill']; }, 'methods[1]', /teacher/],
    ['method object other than distill', (e) => { e.methods = [{ finetune: {} }]; }, 'methods[0].finetune'],
    ['method listed twice', (e) => { e.methods.push('finetune'); }, 'methods[3]', /already listed/],
    ['same distillation twice', (e) => { e.methods.push({ distill: { teacher: { method: 'prompt', model: L4 }, student: { model: L2 }, temperature: 4 } }); }, 'methods[3]'],
    ['distill without teacher', (e) => { delete e.methods[2].distill.teacher; }, 'methods[2].distill.teacher'],
    ['teacher model not in models', (e) => { e.methods[2].distill.teacher.model = 'google/bert_uncased_L-8_H-512_A-8'; }, 'methods[2].distill.teacher.model', /not among the experiment's models/],
    ['teacher method not in methods', (e) => { e.methods = ['prompt', { distill: { teacher: { method: 'finetune', model: L4 } } }]; }, 'methods[1].distill.teacher.method', /not among the experiment's methods/],
    ['teacher method distill', (e) => { e.methods[2].distill.teacher.method = 'distill'; }, 'methods[2].distill.teacher.method'],
    ['teacher unknown key', (e) => { e.methods[2].distill.teacher.seed = 1; }, 'methods[2].distill.teacher.seed'],
    ['teacher and teacherRunId', (e) => { e.methods[2].distill.teacherRunId = 'prompt__x__n10__s1__abcdef12'; }, 'methods[2].distill.teacherRunId'],
    ['teacherRunId not an id', (e) => { delete e.methods[2].distill.teacher; e.methods[2].distill.teacherRunId = '../escape'; }, 'methods[2].distill.teacherRunId'],
    ['student without model', (e) => { e.methods[2].distill.student = {}; }, 'methods[2].distill.student.model'],
    ['zero temperature', (e) => { e.methods[2].distill.temperature = 0; }, 'methods[2].distill.temperature', /> 0/],
    ['alpha above 1', (e) => { e.methods[2].distill.alpha = 1.5; }, 'methods[2].distill.alpha', /≤ 1/],
    ['temperature set twice', (e) => { e.methods[2].distill.training = { temperature: 3 }; }, 'methods[2].distill.temperature', /both/],
    ['bad option in a distill entry', (e) => { e.methods[2].distill.training = { batchSize: 0 }; }, 'methods[2].distill.training.batchSize'],
    ['no prompt template with a prompt method', (e) => { delete e.prompt; }, 'prompt', /no "prompt" template/],
    ['unknown method in training', (e) => { e.training = { finetuning: {} }; }, 'training.finetuning', /unknown field/],
    ['negative learning rate', (e) => { e.training = { finetune: { learningRate: -1 } }; }, 'training.finetune.learningRate'],
    ['misspelt option', (e) => { e.training = { finetune: { lr: 1e-5 } }; }, 'training.finetune.lr'],
    ['option of another method', (e) => { e.training = { finetune: { temperature: 2 } }; }, 'training.finetune.temperature'],
    ['both maxSteps and epochs', (e) => { e.training = { prompt: { maxSteps: 100, epochs: 2 } }; }, 'training.prompt.epochs', /both/],
    ['fractional batch size', (e) => { e.training = { prompt: { batchSize: 8.5 } }; }, 'training.prompt.batchSize'],
    ['unknown schedule', (e) => { e.training = { prompt: { schedule: 'cosine' } }; }, 'training.prompt.schedule'],
    ['unknown ensemble', (e) => { e.training = { prompt: { ensemble: 'mean' } }; }, 'training.prompt.ensemble'],
    ['string number', (e) => { e.training = { distill: { temperature: '2' } }; }, 'training.distill.temperature'],
  ];
  for (const [name, change, field, problem] of cases) {
    try {
      assertRejects(variant(change), field, problem);
    } catch (e) {
      throw new Error(`case "${name}": ${(e as Error).message}`);
    }
  }
});

test('a typo gets a "did you mean" fix', () => {
  const e = assertRejects(variant((x) => { x.trainsizes = x.trainSizes; delete x.trainSizes; }), 'trainsizes');
  assert.match(e.fix, /Did you mean "trainSizes"\?/);
  assert.match(assertRejects(variant((x) => { x.training = { prompt: { learningrate: 1 } }; }), 'training.prompt.learningrate').fix, /"learningRate"/);
});

test('errors point at the line of the offending field', () => {
  const text = `{
  "name": "x",
  "dataset": {"train": "t.jsonl", "test": "s.jsonl"},
  "prompt": "p.prompt.json",
  "models": ["${L2}", "${L4}"],
  "trainSizes": [10],
  "seeds": [1],
  "methods": [
    "prompt",
    {"distill": {
      "teacher": {"method": "prompt",
                  "model": "nope/missing"}
    }}
  ]
}`;
  assert.throws(() => parseExperiment(text, EXP_FILE), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.place.line, 12);
    assert.equal(e.place.field, 'methods[1].distill.teacher.model');
    assert.match(e.format(), /sms\.experiment\.json:12: methods\[1\]\.distill\.teacher\.model: /);
    return true;
  });
  assert.throws(() => parseExperiment('{\n  "name": "x",\n  "models": [1,]\n}', EXP_FILE), (e: unknown) => e instanceof UserError && e.place.line === 3);
});

test('a distill entry naming a finished run needs neither the teacher in the grid nor a prompt', () => {
  const e = parse(variant((x) => {
    delete x.prompt;
    x.methods = ['finetune', { distill: { teacherRunId: 'prompt__big__n32__s1__0123abcd' } }];
  }));
  const d = e.methods[1];
  assert.ok(d.method === 'distill');
  assert.deepEqual(d.teacher, { kind: 'run', runId: 'prompt__big__n32__s1__0123abcd' });
  // No student named: every model of the experiment is one.
  assert.deepEqual(d.students.map((s) => s.name), [L2, L4]);
});

test('without a student, every model but the teacher\'s is distilled into', () => {
  const e = parse(variant((x) => {
    x.models = [L2, L4, 'google/bert_uncased_L-6_H-512_A-8'];
    delete x.methods[2].distill.student;
  }));
  const d = e.methods[2];
  assert.ok(d.method === 'distill');
  assert.deepEqual(d.students.map((s) => s.name), [L2, 'google/bert_uncased_L-6_H-512_A-8']);
  assertRejects(variant((x) => { x.models = [L4]; delete x.methods[2].distill.student; }), 'methods[2].distill', /no student/);
});

test('training options merge: defaults < training.<method> < the distill entry; a length setting replaces the other', () => {
  const e = parse(variant((x) => {
    x.training = {
      finetune: { learningRate: 3e-5, epochs: 5 },
      distill: { temperature: 4, alpha: 0.25, batchSize: 32 },
    };
    x.methods[2].distill = { teacher: { method: 'prompt', model: L4 }, student: { model: L2 }, alpha: 0.5, training: { maxSteps: 100, learningRate: 1e-4 } };
  }));
  assert.equal(e.training.finetune.learningRate, 3e-5);
  assert.equal(e.training.finetune.epochs, 5);
  assert.equal(e.training.finetune.maxSteps, undefined, 'epochs set by the user replaces the default maxSteps');
  assert.equal(e.training.finetune.batchSize, DEFAULT_TRAINING.finetune.batchSize);
  assert.deepEqual(e.training.prompt, DEFAULT_TRAINING.prompt);
  assert.equal(e.training.distill.temperature, 4);
  const d = e.methods[2];
  assert.ok(d.method === 'distill');
  assert.equal(d.training.temperature, 4, 'from training.distill');
  assert.equal(d.training.alpha, 0.5, 'the entry wins over training.distill');
  assert.equal(d.training.batchSize, 32);
  assert.equal(d.training.learningRate, 1e-4);
  assert.equal(d.training.maxSteps, 100);
  assert.equal(d.training.epochs, undefined, 'maxSteps in the entry replaces the default epochs');
  assert.equal(d.training.unlabeledCap, DEFAULT_TRAINING.distill.unlabeledCap);
});

test('defaults are the documented PET / fine-tuning values', () => {
  assert.equal(DEFAULT_TRAINING.prompt.learningRate, 1e-5);
  assert.equal(DEFAULT_TRAINING.prompt.maxSteps, 250);
  assert.equal(DEFAULT_TRAINING.prompt.maxLength, 256);
  assert.equal(DEFAULT_TRAINING.prompt.auxMlmWeight, 1e-4);
  assert.equal(DEFAULT_TRAINING.prompt.unlabeledRatio, 3);
  assert.equal(DEFAULT_TRAINING.finetune.learningRate, 2e-5);
  assert.equal(DEFAULT_TRAINING.finetune.maxGradNorm, 1.0);
  assert.equal(DEFAULT_TRAINING.distill.temperature, 2);
  assert.equal(DEFAULT_TRAINING.distill.alpha, 0);
  for (const m of ['finetune', 'prompt', 'distill'] as const) {
    const o = DEFAULT_TRAINING[m];
    assert.equal((o.maxSteps === undefined) !== (o.epochs === undefined), true, `${m}: exactly one of maxSteps / epochs`);
  }
});

test('checkFiles reports a missing data file or model folder at its field', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'adapt-exp-'));
  try {
    const file = path.join(dir, 'e.experiment.json');
    mkdirSync(path.join(dir, 'data'));
    mkdirSync(path.join(dir, 'templates'));
    writeFileSync(path.join(dir, 'data', 'train.jsonl'), '');
    writeFileSync(path.join(dir, 'templates', 'sms_spam.prompt.json'), '{}');
    const text = JSON.stringify(baseExperiment(), null, 2);
    assert.throws(() => parseExperiment(text, file, { checkFiles: true }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.place.field, 'dataset.test');
      assert.match(e.message, /not found/);
      return true;
    });
    writeFileSync(path.join(dir, 'data', 'test.jsonl'), '');
    parseExperiment(text, file, { checkFiles: true });
    const withLocal = JSON.stringify(variant((x) => { x.models = [L4, './models/gone']; }));
    assert.throws(() => parseExperiment(withLocal, file, { checkFiles: true }), (e: unknown) => e instanceof UserError && e.place.field === 'models[1]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
