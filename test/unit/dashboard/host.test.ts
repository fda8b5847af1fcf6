// The extension side of the dashboard without VS Code: the run index with incremental updates, run detail,
// disagreements with example texts, paired comparisons from predictions on disk, and the command's arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { focusFromArgument } from '../../../src/extension/dashboard/focus';
import { DashboardRequests } from '../../../src/extension/dashboard/requests';
import { RunIndex } from '../../../src/extension/dashboard/run-index';
import { checkHostMessage } from '../../../webview/dashboard/protocol';
import { close, SMALL, run } from '../analysis/helpers';
import { makeStore } from './world';

const id = (method: string, size: number, seed: number, model = 'bert_uncased_L-2_H-128_A-2', teacher = '') => `${method}__${model}__n${size}__s${seed}${teacher}__e`;

test('the index lists every run as a summary the webview accepts, and re-reads only changed runs', () => {
  const w = makeStore();
  try {
    const index = new RunIndex();
    assert.equal(index.addFolder(w.runsDir), true);
    assert.equal(index.addFolder(w.runsDir + path.sep), false, 'the same folder once');
    const summaries = index.summaries();
    assert.equal(summaries.length, 36);
    const msg = checkHostMessage({ type: 'runs', runs: summaries, problems: index.problems(), folders: index.dirs });
    assert.equal(msg.type === 'runs' && msg.runs.length, 36);
    const s = summaries.find((x) => x.id === id('finetune', 100, 1))!;
    assert.equal(s.ref, path.join(w.runsDir, s.id));
    assert.equal(s.metrics!.accuracy, 0.7);
    assert.equal(Object.hasOwn(s, 'training'), false, 'summaries leave the detail out');

    // A new run appears, one changes, one is damaged, a log line is appended: only run.json changes count.
    const fresh = run({ method: 'finetune', model: SMALL, trainSize: 10, seed: 3, accuracy: 0.6, updatedAt: '2024-02-01T00:00:00.000Z' });
    w.writeRun(fresh);
    writeFileSync(path.join(w.runsDir, id('prompt', 10, 1), 'run.json'), '{ "id": ');
    assert.equal(index.applyChanges([path.join(w.runsDir, id('finetune', 10, 1), 'metrics.jsonl')]), false, 'a log line changes no listing');
    writeFileSync(path.join(w.runsDir, '.lock'), '{"pid": 1}');
    assert.equal(index.applyChanges([path.join(w.runsDir, '.lock')]), false, 'the grid\'s lock is not a run');
    assert.deepEqual(index.problems(), []);
    assert.equal(index.applyChanges([path.join(w.runsDir, fresh.id, 'run.json'), path.join(w.runsDir, id('prompt', 10, 1), 'run.json'), '/elsewhere/x/run.json']), true);
    assert.equal(index.summaries().length, 36, '+1 new, −1 unreadable');
    assert.equal(index.problems().length, 1);
    assert.match(index.problems()[0], /prompt__bert_uncased_L-2_H-128_A-2__n10__s1__e.*run\.json/);
    rmSync(path.join(w.runsDir, fresh.id), { recursive: true });
    assert.equal(index.applyChanges([path.join(w.runsDir, fresh.id)]), true);
    assert.equal(index.summaries().length, 35);
    assert.equal(index.resolve(path.join(w.runsDir, id('finetune', 100, 1)))?.run.seed, 1);
    assert.equal(index.resolve(path.join(w.runsDir, 'nope')), undefined);
  } finally {
    w.dispose();
  }
});

test('run detail, and the examples two runs disagree on, with their text from the experiment\'s test file', async () => {
  const w = makeStore();
  try {
    const index = new RunIndex();
    index.addFolder(w.runsDir);
    const requests = new DashboardRequests(index);
    const a = path.join(w.runsDir, id('prompt', 10, 1)); // 34 of 50 right
    const b = path.join(w.runsDir, id('finetune', 10, 1)); // 25 of 50 right
    const { details, problem } = requests.detail([a, path.join(w.runsDir, 'gone')]);
    assert.match(problem!, /no longer in the runs folder/);
    assert.equal(details.length, 1);
    assert.deepEqual(details[0].log.map((l) => l.step), [1, 2, 2]);
    assert.ok(details[0].facts.some(([k, v]) => k === 'experiment file' && v === w.experimentFile));
    assert.deepEqual(details[0].confusion, { labels: [], matrix: [] });

    const d = await requests.disagreements(a, b);
    assert.equal(d.problem, undefined);
    assert.equal(d.examples, 50);
    assert.equal(d.total, 9, 'examples 25..33: A right, B wrong');
    assert.deepEqual(d.shown.map((e) => e.index), [25, 26, 27, 28, 29, 30, 31, 32, 33]);
    assert.equal(d.shown[0].text, 'message number 25 <b>bold</b>', 'raw text: the webview inserts it as text');
    assert.deepEqual([d.shown[0].label, d.shown[0].a, d.shown[0].b], ['spam', 'spam', 'ham'], 'example 25 is spam: A right, B wrong');
    assert.equal(d.textProblem, undefined);
    // The whole message passes the webview's validator.
    checkHostMessage({ type: 'detail', requestId: 1, details, disagreements: d });

    // The test file changed since: the text is withheld rather than shown against the wrong example.
    writeFileSync(path.join(w.dir, 'test.jsonl'), Array.from({ length: 50 }, (_, i) => JSON.stringify({ text: `other ${i}`, label: 'ham' })).join('\n') + '\n');
    const changed = await requests.disagreements(a, b);
    assert.ok(changed.shown.some((e) => e.text === undefined));
    assert.match(changed.textProblem!, /no longer match the test file/);
  } finally {
    w.dispose();
  }
});

test('paired comparisons read the predictions of each seed', () => {
  const w = makeStore();
  try {
    const index = new RunIndex();
    index.addFolder(w.runsDir);
    const requests = new DashboardRequests(index);
    const refs = (method: string, size: number) => [1, 2].map((s) => path.join(w.runsDir, id(method, size, s)));
    // 10 labels: prompt 34 and 36 right, fine-tuning 25 and 27, nested: 9 + 9 examples only prompt gets right.
    const at10 = requests.compare(refs('prompt', 10), refs('finetune', 10));
    assert.equal(at10.problem, undefined);
    assert.deepEqual([at10.comparison!.pooled.onlyA, at10.comparison!.pooled.onlyB], [18, 0]);
    close(at10.comparison!.pooled.p, 2 / 2 ** 18, 'pooled McNemar');
    assert.equal(at10.comparison!.supported, true);
    // 1000 labels: fine-tuning gets one more example right per seed: far from significant.
    const at1000 = requests.compare(refs('prompt', 1000), refs('finetune', 1000));
    assert.deepEqual([at1000.comparison!.pooled.onlyA, at1000.comparison!.pooled.onlyB], [0, 2]);
    assert.equal(at1000.comparison!.supported, false);
    assert.match(requests.compare([path.join(w.runsDir, 'gone')], refs('prompt', 10)).problem!, /no longer in the runs folder/);
  } finally {
    w.dispose();
  }
});

test('what Open Dashboard may be invoked on', () => {
  const w = makeStore();
  try {
    assert.deepEqual(focusFromArgument(undefined), {});
    assert.deepEqual(focusFromArgument({ fsPath: w.experimentFile }), { runsDir: w.runsDir, experiment: 'study' });
    assert.deepEqual(focusFromArgument(w.experimentFile, () => '/custom/runs'), { runsDir: '/custom/runs', experiment: 'study' });
    const runDir = path.join(w.runsDir, id('prompt', 10, 1));
    assert.deepEqual(focusFromArgument(path.join(runDir, 'run.json')), { runsDir: w.runsDir, runRef: runDir });
    assert.deepEqual(focusFromArgument({ fsPath: runDir }), { runsDir: w.runsDir, runRef: runDir });
    assert.deepEqual(focusFromArgument(w.runsDir), { runsDir: w.runsDir });
    assert.deepEqual(focusFromArgument({ kind: 'run', entry: { runsDir: w.runsDir, run: { id: 'x', experiment: 'study' } } }), { runsDir: w.runsDir, runRef: path.join(w.runsDir, 'x'), experiment: 'study' });
    assert.deepEqual(focusFromArgument({ kind: 'experiment', name: 'study' }), { experiment: 'study' });
    assert.deepEqual(focusFromArgument({ runsDir: w.runsDir, runId: 'x' }), { runsDir: w.runsDir, runRef: path.join(w.runsDir, 'x') });
    assert.deepEqual(focusFromArgument(42), {});
  } finally {
    w.dispose();
  }
});
