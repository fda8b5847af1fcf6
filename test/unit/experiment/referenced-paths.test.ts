// The local paths an experiment or a prompt template makes the worker read, with field and line, resolved as the
// engine resolves them and through symlinks — what the extension's path guard compares with the workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../../src/engine/errors';
import { experimentReferencedPaths, isInside, outsideOf, realPath, templateReferencedPaths } from '../../../src/engine/experiment/referenced-paths';
import { baseExperiment, L2, L4 } from './helpers';

interface Layout {
  /** The workspace folder (real path), holding `project/` with the experiment. */
  workspace: string;
  project: string;
  /** A folder beside the workspace. */
  outside: string;
  file: string;
  dispose(): void;
}

/** workspace/project/x.experiment.json, workspace/project/local-model/ and an `outside/` folder beside workspace/. */
function layout(): Layout {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'adapt-lab-refs-')));
  const workspace = path.join(root, 'workspace');
  const project = path.join(workspace, 'project');
  const outside = path.join(root, 'outside');
  mkdirSync(path.join(project, 'local-model'), { recursive: true });
  mkdirSync(path.join(outside, 'model'), { recursive: true });
  writeFileSync(path.join(outside, 'train.jsonl'), '');
  return { workspace, project, outside, file: path.join(project, 'x.experiment.json'), dispose: () => rmSync(root, { recursive: true, force: true }) };
}

const text = (o: unknown) => JSON.stringify(o, null, 2);
/** The 1-based line of the first line of `text` containing `needle`. */
const lineOf = (t: string, needle: string) => t.split('\n').findIndex((l) => l.includes(needle)) + 1;

test('every kind of field is listed with its field path, line and resolved path; Hub ids are not', () => {
  const w = layout();
  try {
    const experiment = {
      ...baseExperiment(),
      dataset: { train: '../../outside/train.jsonl', dev: 'data/dev.jsonl', test: 'data/test.jsonl', unlabeled: '/var/data/pool.jsonl', textField: 'text', labelField: 'label' },
      prompt: 'templates/sms.prompt.json',
      models: [L2, './local-model', L4],
      methods: [
        'finetune',
        'prompt',
        { distill: { teacher: { method: 'prompt', model: './local-model' }, student: { model: '../../outside/model' } } },
        { distill: { teacherRunId: 'finetune__tiny__n8__s1', student: { model: L2 } } },
      ],
    };
    const t = text(experiment);
    const refs = experimentReferencedPaths(t, w.file);
    const at = (p: string) => path.join(w.project, p);
    assert.deepEqual(refs, [
      { kind: 'data', field: 'dataset.train', line: lineOf(t, '"train"'), written: '../../outside/train.jsonl', path: path.join(w.outside, 'train.jsonl') },
      { kind: 'data', field: 'dataset.dev', line: lineOf(t, '"dev"'), written: 'data/dev.jsonl', path: at('data/dev.jsonl') },
      { kind: 'data', field: 'dataset.test', line: lineOf(t, '"test"'), written: 'data/test.jsonl', path: at('data/test.jsonl') },
      { kind: 'data', field: 'dataset.unlabeled', line: lineOf(t, '"unlabeled"'), written: '/var/data/pool.jsonl', path: realPath('/var/data/pool.jsonl') },
      { kind: 'prompt', field: 'prompt', line: lineOf(t, '"prompt": "templates'), written: 'templates/sms.prompt.json', path: at('templates/sms.prompt.json') },
      { kind: 'model', field: 'models[1]', line: lineOf(t, '"./local-model"'), written: './local-model', path: at('local-model') },
      { kind: 'model', field: 'methods[2].distill.teacher.model', line: lineOf(t, '"model": "./local-model"'), written: './local-model', path: at('local-model') },
      { kind: 'model', field: 'methods[2].distill.student.model', line: lineOf(t, '"model": "../../outside/model"'), written: '../../outside/model', path: path.join(w.outside, 'model') },
      { kind: 'teacher-run', field: 'methods[3].distill.teacherRunId', line: lineOf(t, '"teacherRunId"'), written: 'finetune__tiny__n8__s1', path: at('.adapt-lab/runs/finetune__tiny__n8__s1') },
    ]);
    // Outside the workspace: the `..` escapes and the absolute path, nothing else.
    assert.deepEqual(outsideOf(refs, [w.workspace]).map((r) => r.field), ['dataset.train', 'dataset.unlabeled', 'methods[2].distill.student.model']);
  } finally {
    w.dispose();
  }
});

test('a teacher run is looked for in the runs folder given; `~/` is the home folder', () => {
  const w = layout();
  try {
    const experiment = { ...baseExperiment(), prompt: undefined, methods: ['finetune', { distill: { teacherRunId: 'r1' } }], dataset: { train: '~/corpora/train.jsonl', test: 't.jsonl' } };
    const refs = experimentReferencedPaths(text(experiment), w.file, { runsDir: '/srv/runs' });
    assert.deepEqual(refs.map((r) => [r.field, r.path]), [
      ['dataset.train', realPath(path.join(homedir(), 'corpora', 'train.jsonl'))],
      ['dataset.test', path.join(w.project, 't.jsonl')],
      ['methods[1].distill.teacherRunId', realPath('/srv/runs/r1')],
    ]);
  } finally {
    w.dispose();
  }
});

test('symlinks are followed: a link inside the workspace to a folder outside is outside, even for a file not there yet', () => {
  const w = layout();
  try {
    symlinkSync(w.outside, path.join(w.project, 'linked'));
    symlinkSync(path.join(w.outside, 'train.jsonl'), path.join(w.project, 'train-link.jsonl'));
    const experiment = { ...baseExperiment(), prompt: undefined, methods: ['finetune'], models: ['./linked/model'], dataset: { train: 'train-link.jsonl', test: 'linked/new/test.jsonl' } };
    const refs = experimentReferencedPaths(text(experiment), w.file);
    assert.deepEqual(refs.map((r) => [r.field, r.path]), [
      ['dataset.train', path.join(w.outside, 'train.jsonl')],
      ['dataset.test', path.join(w.outside, 'new', 'test.jsonl')],
      ['models[0]', path.join(w.outside, 'model')],
    ]);
    assert.equal(outsideOf(refs, [w.workspace]).length, 3);
    // A link that stays inside is inside.
    symlinkSync(path.join(w.project, 'local-model'), path.join(w.project, 'model-link'));
    const inside = experimentReferencedPaths(text({ ...experiment, models: ['./model-link'], dataset: { train: 'a.jsonl', test: 'b.jsonl' } }), w.file);
    assert.deepEqual(outsideOf(inside, [w.workspace]), []);
  } finally {
    w.dispose();
  }
});

test('an invalid experiment throws its own UserError (it is not run, so nothing it names is read)', () => {
  assert.throws(() => experimentReferencedPaths('{"name": "x",', '/p/x.experiment.json'), UserError);
  assert.throws(() => experimentReferencedPaths(text({ ...baseExperiment(), seeds: 'one' }), '/p/x.experiment.json'), (e: unknown) => e instanceof UserError && e.place.field === 'seeds');
});

test('a template lists its model when it is a local folder, with its line; a Hub id or no model lists nothing', () => {
  const w = layout();
  try {
    const file = path.join(w.project, 'spam.prompt.json');
    const t = text({ patterns: ['{text} It was [MASK].'], verbalizer: { ham: 'normal' }, model: '../../outside/model' });
    assert.deepEqual(templateReferencedPaths(t, file), [
      { kind: 'model', field: 'model', line: lineOf(t, '"model"'), written: '../../outside/model', path: path.join(w.outside, 'model') },
    ]);
    assert.deepEqual(templateReferencedPaths(text({ patterns: ['[MASK]'], verbalizer: { a: 'b' }, model: L2 }), file), []);
    assert.deepEqual(templateReferencedPaths(text({ patterns: ['[MASK]'], verbalizer: { a: 'b' } }), file), []);
    assert.deepEqual(templateReferencedPaths('{"model": ', file), []);
  } finally {
    w.dispose();
  }
});

test('inside means the folder itself or below it, not a sibling that shares its name as a prefix', () => {
  assert.ok(isInside('/w/ws', '/w/ws'));
  assert.ok(isInside('/w/ws/a/b', '/w/ws'));
  assert.ok(isInside('/w/ws/..data', '/w/ws'));
  assert.ok(!isInside('/w/ws2/a', '/w/ws'));
  assert.ok(!isInside('/w/a', '/w/ws'));
  assert.ok(!isInside('/etc/passwd', '/w/ws'));
});
