// The labeling editor's messages (webview/labeling/protocol.ts): what the page sends is checked before the host
// edits the document, and the state the host builds (src/extension/labeling/view-state.ts) passes the page's own
// check unchanged, while malformed states are refused with the path of the bad field. Also the page's pure
// pieces: the hotkeys and the state it keeps across hide/show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelingDocument } from '../../../src/extension/labeling/dataset-doc';
import { LabelingSession } from '../../../src/extension/labeling/session';
import { viewState } from '../../../src/extension/labeling/view-state';
import { hotkey, labelKey } from '../../../webview/labeling/keys';
import { checkHostMessage, checkViewMessage, MessageError, type ViewState } from '../../../webview/labeling/protocol';
import { readyMessage, restoreSavedState, savedState } from '../../../webview/labeling/state';

test('messages from the page are checked field by field; unknown fields are dropped', () => {
  assert.deepEqual(checkViewMessage({ type: 'label', index: 3, label: 'spam' }), { type: 'label', index: 3, label: 'spam' });
  assert.deepEqual(checkViewMessage({ type: 'ready', index: 2, unlabeledOnly: true }), { type: 'ready', index: 2, unlabeledOnly: true });
  assert.deepEqual(checkViewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(checkViewMessage({ type: 'skip', extra: '<script>' }), { type: 'skip' });
  assert.deepEqual(checkViewMessage({ type: 'filter', unlabeledOnly: false }), { type: 'filter', unlabeledOnly: false });
  assert.deepEqual(checkViewMessage({ type: 'addLabel', label: 'ham' }), { type: 'addLabel', label: 'ham' });
  assert.deepEqual(checkViewMessage({ type: 'clear', index: 0 }), { type: 'clear', index: 0 });
  for (const type of ['back', 'undo', 'redo', 'stopQueue', 'merge']) assert.deepEqual(checkViewMessage({ type }), { type });

  const refused: [unknown, RegExp][] = [
    [{ type: 'label', index: -1, label: 'x' }, /^index: expected a whole number ≥ 0, found number -1$/],
    [{ type: 'label', index: 1.5, label: 'x' }, /^index: expected a whole number ≥ 0/],
    [{ type: 'label', index: 1, label: '  ' }, /^label: expected a non-empty label of at most 200 characters/],
    [{ type: 'label', index: 1, label: 'x'.repeat(201) }, /^label: expected a string \(at most 200 characters\), found a long string$/],
    [{ type: 'clear' }, /^index: expected a whole number/],
    [{ type: 'ready', index: '2' }, /^index: expected a whole number ≥ 0, found "2"$/],
    [{ type: 'filter', unlabeledOnly: 'yes' }, /^unlabeledOnly: expected true or false/],
    [{ type: 'addLabel' }, /^label: expected a string/],
    [{ type: 'eval', code: '1' }, /^type: expected one of ready, label, clear, skip, back, undo, redo, filter, addLabel, stopQueue, merge, found "eval"$/],
    ['label', /^message: expected an object, found "label"$/],
    [null, /^message: expected an object, found null$/],
  ];
  for (const [raw, message] of refused) assert.throws(() => checkViewMessage(raw), (e: unknown) => e instanceof MessageError && message.test(e.message), JSON.stringify(raw));
});

const JSONL = [
  '{"text": "free entry <b>win</b>", "label": "spam"}',
  'not json',
  '{"text": "see you at 6"}',
  '{"text": "call now", "label": "spam"}',
  '{"text": "ok", "label": "ham"}',
  '{"text": "later?"}',
].join('\n');

test('the host\'s state passes the page\'s check unchanged: rows, counts in button order, the current row, problems', () => {
  const doc = parseLabelingDocument(JSONL, 'jsonl');
  const session = new LabelingSession();
  session.settle(doc.rows);
  const state = viewState('sms.jsonl', doc, session, ['spam', 'ham', 'other']);
  assert.deepEqual(state, {
    file: 'sms.jsonl',
    format: 'jsonl',
    fields: { text: 'text', label: 'label' },
    total: 5,
    labeled: 3,
    counts: [['spam', 2], ['ham', 1], ['other', 0]],
    labels: ['spam', 'ham', 'other'],
    unlabeledOnly: false,
    canGoBack: false,
    problems: ['line 2: not valid JSON: unexpected character "n"'],
    current: { index: 0, line: 1, text: 'free entry <b>win</b>', label: 'spam' },
  });
  assert.deepEqual(checkHostMessage({ type: 'state', state }), { type: 'state', state });

  // A queue from Label Next Uncertain Examples: its title, what is left, the helper's suggestion for the row.
  session.startQueue({ title: 'most uncertain first', texts: ['later?', 'see you at 6'], suggestions: new Map([['later?', { label: 'ham', confidence: 0.625, score: 0.9 }]]) }, doc.rows);
  const queued = viewState('sms.jsonl', doc, session, ['spam', 'ham']);
  assert.deepEqual(queued.current, { index: 4, line: 6, text: 'later?', suggestion: { label: 'ham', confidence: 0.625 } });
  assert.deepEqual(queued.queue, { title: 'most uncertain first', remaining: 2 });
  assert.deepEqual(checkHostMessage({ type: 'state', state: queued }).state, queued);

  // Nothing left: no current row, and the page is told why.
  const done = parseLabelingDocument('{"text": "a", "label": "x"}\n', 'jsonl');
  const filtering = new LabelingSession();
  filtering.unlabeledOnly = true;
  filtering.current = undefined;
  filtering.settle(done.rows);
  const all = viewState('d.jsonl', done, filtering, ['x']);
  assert.equal(all.current, undefined);
  assert.equal(all.message, 'Every row is labeled.');
  assert.equal(viewState('e.jsonl', parseLabelingDocument('', 'jsonl'), new LabelingSession(), []).message, 'No rows with a "text" text in this file.');

  // More than five problem lines are summarised.
  const many = parseLabelingDocument(Array.from({ length: 8 }, () => '[1]').join('\n') + '\n{"text": "t"}', 'jsonl');
  assert.deepEqual(viewState('m.jsonl', many, new LabelingSession(), []).problems.slice(4), ['line 5: not a JSON object', '… and 3 more']);
});

test('a malformed state from the host is refused with the path of the bad field; unknown fields are dropped', () => {
  const good: ViewState = {
    file: 'f.csv', format: 'csv', fields: { text: 'text', label: 'label' }, total: 2, labeled: 1, counts: [['a', 1]], labels: ['a'],
    current: { index: 1, line: 3, text: 't' }, unlabeledOnly: false, canGoBack: true, problems: [],
  };
  assert.deepEqual(checkHostMessage({ type: 'state', state: { ...good, html: '<img>' } }).state, good);
  const changed = { ...good, changedOnDisk: { message: 'f.csv was changed on disk', canMerge: true } };
  assert.deepEqual(checkHostMessage({ type: 'state', state: { ...changed, changedOnDisk: { ...changed.changedOnDisk, extra: 1 } } }).state, changed);
  const bad: [unknown, RegExp][] = [
    [{ type: 'runs' }, /^type: expected state, found "runs"$/],
    [{ type: 'state', state: { ...good, labeled: 3 } }, /^state\.labeled: expected at most the 2 rows, found number 3$/],
    [{ type: 'state', state: { ...good, counts: [['a']] } }, /^state\.counts\[0\]: expected a \[label, count\] pair/],
    [{ type: 'state', state: { ...good, counts: [['a', -1]] } }, /^state\.counts\[0\]\[1\]: expected a whole number ≥ 0/],
    [{ type: 'state', state: { ...good, labels: ['a', 7] } }, /^state\.labels\[1\]: expected a string/],
    [{ type: 'state', state: { ...good, current: { ...good.current, line: 0 } } }, /^state\.current\.line: expected a whole number ≥ 1/],
    [{ type: 'state', state: { ...good, current: { ...good.current, suggestion: { label: 'a', confidence: 1.5 } } } }, /^state\.current\.suggestion\.confidence: expected a number ≥ 0 ≤ 1/],
    [{ type: 'state', state: { ...good, queue: { title: 'q' } } }, /^state\.queue\.remaining: expected a whole number/],
    [{ type: 'state', state: { ...good, canGoBack: 'no' } }, /^state\.canGoBack: expected true or false/],
    [{ type: 'state', state: { ...good, fields: null } }, /^state\.fields: expected an object, found null/],
    [{ type: 'state', state: { ...good, changedOnDisk: { message: 'm' } } }, /^state\.changedOnDisk\.canMerge: expected true or false/],
    [{ type: 'state', state: { ...good, changedOnDisk: { message: 3, canMerge: false } } }, /^state\.changedOnDisk\.message: expected a string/],
  ];
  for (const [raw, message] of bad) assert.throws(() => checkHostMessage(raw), (e: unknown) => e instanceof MessageError && message.test(e.message), JSON.stringify(raw));
});

test('hotkeys: 1–9 label the row, 0/Delete clear, S/B/U/F and the arrows; with Ctrl, Cmd or Alt they are VS Code\'s', () => {
  const state: ViewState = {
    file: 'f.jsonl', format: 'jsonl', fields: { text: 'text', label: 'label' }, total: 3, labeled: 0, counts: [], labels: ['spam', 'ham'],
    current: { index: 2, line: 3, text: 't' }, unlabeledOnly: true, canGoBack: false, problems: [],
  };
  const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
    hotkey({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods }, state);
  assert.deepEqual(press('1'), { message: { type: 'label', index: 2, label: 'spam' } });
  assert.deepEqual(press('2'), { message: { type: 'label', index: 2, label: 'ham' } });
  assert.deepEqual(press('3'), {}, 'no third button: the key is the page\'s, but does nothing');
  assert.deepEqual(press('0'), { message: { type: 'clear', index: 2 } });
  assert.deepEqual(press('Delete'), { message: { type: 'clear', index: 2 } });
  for (const k of ['s', 'S', 'ArrowRight']) assert.deepEqual(press(k), { message: { type: 'skip' } });
  for (const k of ['b', 'B', 'ArrowLeft']) assert.deepEqual(press(k), { message: { type: 'back' } });
  for (const k of ['u', 'U']) assert.deepEqual(press(k), { message: { type: 'undo' } });
  assert.deepEqual(press('f'), { message: { type: 'filter', unlabeledOnly: false } }, 'F toggles the filter');
  for (const k of ['x', 'Enter', ' ', 'Tab']) assert.equal(press(k), undefined, k);
  assert.equal(press('1', { ctrlKey: true }), undefined);
  assert.equal(press('u', { metaKey: true }), undefined);
  assert.equal(press('s', { altKey: true }), undefined);
  const nothingShown = { ...state, current: undefined };
  assert.deepEqual(hotkey({ key: '1', ctrlKey: false, metaKey: false, altKey: false }, nothingShown), {});
  assert.deepEqual(hotkey({ key: '0', ctrlKey: false, metaKey: false, altKey: false }, nothingShown), {});
  assert.deepEqual([0, 8, 9].map(labelKey), ['1', '9', undefined]);
});

test('the page keeps the row and the filter across hide/show; restored state is checked', () => {
  const state = { current: { index: 4, line: 5, text: 't' }, unlabeledOnly: true } as ViewState;
  assert.deepEqual(savedState(state), { index: 4, unlabeledOnly: true });
  assert.deepEqual(savedState({ ...state, current: undefined }), { unlabeledOnly: true });
  assert.deepEqual(readyMessage(restoreSavedState({ index: 4, unlabeledOnly: true })), { type: 'ready', index: 4, unlabeledOnly: true });
  assert.deepEqual(restoreSavedState(undefined), {});
  assert.deepEqual(restoreSavedState('x'), {});
  assert.deepEqual(restoreSavedState({ index: -1, unlabeledOnly: 'yes', other: 1 }), {});
  assert.deepEqual(restoreSavedState({ index: 2.5, unlabeledOnly: false }), { unlabeledOnly: false });
  // What the page sends on start is what the host accepts.
  assert.deepEqual(checkViewMessage(readyMessage(restoreSavedState({ index: 7 }))), { type: 'ready', index: 7 });
});
