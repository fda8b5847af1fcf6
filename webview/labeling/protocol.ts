// The messages between the labeling editor (extension host, src/extension/labeling/) and its webview, with the
// validators each side runs on what it receives. The webview shows untrusted text (the dataset) and is a web page,
// so neither side trusts the other: the host checks every action field by field before it edits the document,
// and the webview checks every state before drawing it (with textContent only, never as HTML). No DOM, Node or
// vscode imports: both bundles include this module.
import { at, bool, fraction, list, MessageError, num, obj, oneOf, optional, str } from '../common/check';

export { MessageError } from '../common/check';

/** What the webview asks of the host: the person's actions. */
export type ViewMessage =
  | { type: 'ready'; index?: number; unlabeledOnly?: boolean }
  | { type: 'label'; index: number; label: string }
  | { type: 'clear'; index: number }
  | { type: 'skip' }
  | { type: 'back' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'filter'; unlabeledOnly: boolean }
  | { type: 'addLabel'; label: string }
  | { type: 'stopQueue' }
  /** Put the unsaved labels into the file as another program changed it, and save (see `changedOnDisk`). */
  | { type: 'merge' };

/** What the host sends: everything the page shows, each time anything changes (the host owns the navigation). */
export type HostMessage = { type: 'state'; state: ViewState };

export interface ViewState {
  file: string;
  format: string;
  fields: { text: string; label: string };
  total: number;
  labeled: number;
  /** Label → count, in the order the buttons are shown. */
  counts: [string, number][];
  labels: string[];
  current?: CurrentRow;
  unlabeledOnly: boolean;
  queue?: { title: string; remaining: number };
  canGoBack: boolean;
  /** Lines that are not rows, summarised. */
  problems: string[];
  /** Why nothing is shown (all labeled, empty file). */
  message?: string;
  /**
   * The file changed on disk (another program) while the document has unsaved labels: what happened, and whether
   * the labels can be merged into the new file (they cannot when the unsaved changes are more than labels).
   */
  changedOnDisk?: { message: string; canMerge: boolean };
}

export interface CurrentRow {
  index: number;
  /** 1-based line in the file. */
  line: number;
  text: string;
  textPair?: string;
  label?: string;
  suggestion?: { label: string; confidence: number };
}

/** A label the person types or picks: what a button can show and a file cell can hold sensibly. */
export const MAX_LABEL_LENGTH = 200;

const VIEW_TYPES = ['ready', 'label', 'clear', 'skip', 'back', 'undo', 'redo', 'filter', 'addLabel', 'stopQueue', 'merge'] as const;
const rowIndex = (v: unknown, p: string) => num(v, p, { integer: true, min: 0 });
const count = rowIndex;

function newLabel(v: unknown, p: string): string {
  const l = str(v, p, MAX_LABEL_LENGTH);
  if (l.trim() === '') throw new MessageError(p, `a non-empty label of at most ${MAX_LABEL_LENGTH} characters`, v);
  return l;
}

/** Validates a message from the webview; throws MessageError naming the first bad field. Unknown fields are dropped. */
export function checkViewMessage(v: unknown): ViewMessage {
  const o = obj(v, '');
  const type = oneOf(o.type, 'type', VIEW_TYPES);
  switch (type) {
    case 'ready': {
      const m: ViewMessage = { type };
      const index = optional(o, 'index', '', rowIndex);
      const unlabeledOnly = optional(o, 'unlabeledOnly', '', bool);
      if (index !== undefined) m.index = index;
      if (unlabeledOnly !== undefined) m.unlabeledOnly = unlabeledOnly;
      return m;
    }
    case 'label':
      return { type, index: rowIndex(o.index, 'index'), label: newLabel(o.label, 'label') };
    case 'clear':
      return { type, index: rowIndex(o.index, 'index') };
    case 'filter':
      return { type, unlabeledOnly: bool(o.unlabeledOnly, 'unlabeledOnly') };
    case 'addLabel':
      return { type, label: newLabel(o.label, 'label') };
    default:
      return { type };
  }
}

// Generous limits for what the host sends: a valid file must never be refused (a row's text may be a long
// document, a file may have many labels), while a runaway message still is.
const TEXT = 10_000_000;
const NAME = 100_000;
const MANY = 1_000_000;

function checkCurrent(v: unknown, p: string): CurrentRow {
  const o = obj(v, p);
  const row: CurrentRow = {
    index: rowIndex(o.index, at(p, 'index')),
    line: num(o.line, at(p, 'line'), { integer: true, min: 1 }),
    text: str(o.text, at(p, 'text'), TEXT),
  };
  const textPair = optional(o, 'textPair', p, (x, q) => str(x, q, TEXT));
  const label = optional(o, 'label', p, (x, q) => str(x, q, NAME));
  const suggestion = optional(o, 'suggestion', p, (x, q) => {
    const s = obj(x, q);
    return { label: str(s.label, at(q, 'label'), NAME), confidence: fraction(s.confidence, at(q, 'confidence')) };
  });
  if (textPair !== undefined) row.textPair = textPair;
  if (label !== undefined) row.label = label;
  if (suggestion !== undefined) row.suggestion = suggestion;
  return row;
}

/** Copies only known fields, so nothing unchecked rides along into the page. */
export function checkViewState(v: unknown, p: string): ViewState {
  const o = obj(v, p);
  const f = obj(o.fields, at(p, 'fields'));
  const state: ViewState = {
    file: str(o.file, at(p, 'file'), NAME),
    format: str(o.format, at(p, 'format'), 100),
    fields: { text: str(f.text, at(p, 'fields.text'), NAME), label: str(f.label, at(p, 'fields.label'), NAME) },
    total: count(o.total, at(p, 'total')),
    labeled: count(o.labeled, at(p, 'labeled')),
    counts: list(o.counts, at(p, 'counts'), (x, q) => {
      const pair = list(x, q, (y) => y, 2);
      if (pair.length !== 2) throw new MessageError(q, 'a [label, count] pair', x);
      return [str(pair[0], at(q, 0), NAME), count(pair[1], at(q, 1))] as [string, number];
    }, MANY),
    labels: list(o.labels, at(p, 'labels'), (x, q) => str(x, q, NAME), MANY),
    unlabeledOnly: bool(o.unlabeledOnly, at(p, 'unlabeledOnly')),
    canGoBack: bool(o.canGoBack, at(p, 'canGoBack')),
    problems: list(o.problems, at(p, 'problems'), (x, q) => str(x, q, NAME), 100),
  };
  if (state.labeled > state.total) throw new MessageError(at(p, 'labeled'), `at most the ${state.total} rows`, state.labeled);
  const current = optional(o, 'current', p, checkCurrent);
  const queue = optional(o, 'queue', p, (x, q) => {
    const r = obj(x, q);
    return { title: str(r.title, at(q, 'title'), NAME), remaining: count(r.remaining, at(q, 'remaining')) };
  });
  const message = optional(o, 'message', p, (x, q) => str(x, q, NAME));
  const changedOnDisk = optional(o, 'changedOnDisk', p, (x, q) => {
    const c = obj(x, q);
    return { message: str(c.message, at(q, 'message'), NAME), canMerge: bool(c.canMerge, at(q, 'canMerge')) };
  });
  if (current !== undefined) state.current = current;
  if (queue !== undefined) state.queue = queue;
  if (message !== undefined) state.message = message;
  if (changedOnDisk !== undefined) state.changedOnDisk = changedOnDisk;
  return state;
}

/** Validates a message from the extension host; throws MessageError naming the first bad field. */
export function checkHostMessage(v: unknown): HostMessage {
  const o = obj(v, '');
  if (o.type !== 'state') throw new MessageError('type', 'state', o.type);
  return { type: 'state', state: checkViewState(o.state, 'state') };
}
