// Draws one state of the labeling page: file and progress, the filter and queue, the example (its text through
// textContent only: it is dataset text), the label buttons, navigation and the lines that are not rows. The
// element ids are the page's interface for tests and for keeping focus across redraws.
import { h, type Child } from '../common/dom';
import { labelKey } from './keys';
import { MAX_LABEL_LENGTH, type ViewMessage, type ViewState } from './protocol';

export type Send = (message: ViewMessage) => void;

export function renderPage(state: ViewState, send: Send): Child[] {
  return [header(state), changedOnDisk(state, send), tools(state, send), example(state), labels(state, send), nav(state, send), problems(state)];
}

function percentLabeled(state: Pick<ViewState, 'labeled' | 'total'>): number {
  return state.total > 0 ? Math.round((100 * state.labeled) / state.total) : 0;
}

function header(state: ViewState): HTMLElement {
  const pct = percentLabeled(state);
  const bar = h('div', { class: 'bar' });
  // A CSSOM property, which the page's CSP allows (a style attribute it would not).
  bar.style.width = `${pct}%`;
  return h('header', {}, [
    h('div', { class: 'file' }, [state.file, h('span', { class: 'muted', text: ` · ${state.format.toUpperCase()} · text "${state.fields.text}", label "${state.fields.label}"` })]),
    h('div', { class: 'progress', attrs: { id: 'progress', role: 'progressbar', 'aria-label': 'Rows labeled', 'aria-valuenow': pct, 'aria-valuemin': 0, 'aria-valuemax': 100 } }, [bar]),
    h('div', { class: 'counts', attrs: { id: 'counts' } }, [
      h('span', { attrs: { id: 'labeled' }, text: `${state.labeled} / ${state.total} labeled (${pct}%)` }),
      ...state.counts.map(([name, n]) => h('span', { class: 'chip', text: `${name}: ${n}` })),
    ]),
  ]);
}

/** The file changed on disk under unsaved labels: say so where the person looks, with the way out. */
function changedOnDisk(state: ViewState, send: Send): HTMLElement | undefined {
  const c = state.changedOnDisk;
  if (!c) return undefined;
  return h('div', { class: 'notice', attrs: { id: 'changed-on-disk', role: 'alert' } }, [
    h('span', { text: c.message }),
    c.canMerge && button('Merge my labels into it and save', 'merge', 'Put your unsaved labels into the file as it is on disk now, by row text, and save it', () => send({ type: 'merge' })),
  ]);
}

function tools(state: ViewState, send: Send): HTMLElement {
  const box = h('input', { attrs: { type: 'checkbox', id: 'filter' } });
  box.checked = state.unlabeledOnly;
  box.addEventListener('change', () => send({ type: 'filter', unlabeledOnly: box.checked }));
  return h('div', { class: 'tools' }, [
    h('label', { class: 'filter' }, [box, ' Only unlabeled rows (F)']),
    state.queue && h('span', { class: 'queue', attrs: { id: 'queue' }, text: `${state.queue.title} — ${state.queue.remaining} left` }),
    state.queue && button('Back to file order', 'stop-queue', 'Show the rows in file order again', () => send({ type: 'stopQueue' })),
  ]);
}

function example(state: ViewState): HTMLElement {
  const c = state.current;
  if (!c) return h('main', {}, [h('div', { class: 'message', attrs: { id: 'message' }, text: state.message ?? '' })]);
  return h('main', {}, [
    h('div', { class: 'where muted', text: `Row ${c.index + 1} of ${state.total} · line ${c.line}` }),
    h('div', { class: 'text', attrs: { id: 'text' }, text: c.text }),
    c.textPair !== undefined && h('div', { class: 'text pair', attrs: { id: 'text-pair' }, text: c.textPair }),
    h('div', { class: 'current', attrs: { id: 'current-label' }, text: c.label !== undefined ? `Label: ${c.label}` : 'Unlabeled' }),
    c.suggestion && h('div', { class: 'suggestion', attrs: { id: 'suggestion' }, text: `Model suggests: ${c.suggestion.label} (${(100 * c.suggestion.confidence).toFixed(0)}%)` }),
  ]);
}

function labels(state: ViewState, send: Send): HTMLElement {
  const c = state.current;
  const buttons = state.labels.map((name, i) => {
    const key = labelKey(i);
    const classes = [c?.label === name && 'chosen', c?.suggestion?.label === name && 'suggested'].filter(Boolean).join(' ');
    return h('button', {
      class: classes || undefined,
      text: key ? `${key}  ${name}` : name,
      attrs: { 'data-label': name, title: key ? `Label "${name}" (key ${key})` : `Label "${name}"`, disabled: !c },
      on: { click: () => c && send({ type: 'label', index: c.index, label: name }) },
    });
  });
  const input = h('input', { attrs: { id: 'new-label', type: 'text', placeholder: 'New label…', 'aria-label': 'New label', maxlength: MAX_LABEL_LENGTH } });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && input.value.trim() !== '') {
      send({ type: 'addLabel', label: input.value.trim() });
      input.value = '';
    }
    // Typing a label is not a hotkey.
    e.stopPropagation();
  });
  return h('div', { class: 'labels', attrs: { id: 'labels' } }, [...buttons, input]);
}

function nav(state: ViewState, send: Send): HTMLElement {
  const c = state.current;
  return h('div', { class: 'nav' }, [
    button('← Back (B)', 'back', 'The row shown before', () => send({ type: 'back' }), !state.canGoBack),
    button('Skip (S) →', 'skip', 'The next row, leaving this one as it is', () => send({ type: 'skip' }), !c),
    button('Clear (0)', 'clear', 'Remove this row\'s label', () => c && send({ type: 'clear', index: c.index }), !c || c.label === undefined),
    button('Undo (U)', 'undo', 'Undo the last change to the file', () => send({ type: 'undo' })),
  ]);
}

function problems(state: ViewState): HTMLElement | undefined {
  if (state.problems.length === 0) return undefined;
  return h('details', { class: 'problems' }, [h('summary', { text: 'Lines that are not rows' }), ...state.problems.map((p) => h('div', { text: p }))]);
}

function button(label: string, id: string, hint: string, action: () => void, disabled = false): HTMLElement {
  return h('button', { class: 'secondary', text: label, attrs: { id, title: hint, disabled }, on: { click: action } });
}
