// What the labeling page remembers across hide/show and window reloads (the webview is not kept alive while
// hidden): the row shown and the filter, sent back to the host in 'ready' so the person lands where they were.
// Restored state is checked like a message — it may come from an older version of the page — and anything
// unrecognised is left out (the host then picks the row).
import type { ViewMessage, ViewState } from './protocol';

export interface SavedState {
  index?: number;
  unlabeledOnly?: boolean;
}

export function savedState(state: ViewState): SavedState {
  return { ...(state.current ? { index: state.current.index } : {}), unlabeledOnly: state.unlabeledOnly };
}

export function restoreSavedState(raw: unknown): SavedState {
  if (raw === null || typeof raw !== 'object') return {};
  const o = raw as Record<string, unknown>;
  const saved: SavedState = {};
  if (typeof o.index === 'number' && Number.isInteger(o.index) && o.index >= 0) saved.index = o.index;
  if (typeof o.unlabeledOnly === 'boolean') saved.unlabeledOnly = o.unlabeledOnly;
  return saved;
}

/** The page's first message: where it was, if it was anywhere. */
export function readyMessage(saved: SavedState): ViewMessage {
  return { type: 'ready', ...saved };
}
