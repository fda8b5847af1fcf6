// The labeling page's hotkeys: 1–9 give the row the label on that button, 0/Delete clear it, S/→ skip, B/← back,
// U undo, F toggles the filter for unlabeled rows. Keys with Ctrl, Cmd or Alt are left to VS Code (Ctrl+Z, …).
// Pure: the page decides whether a key press is meant as typing (a text field) before asking.
import type { ViewMessage, ViewState } from './protocol';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/**
 * Undefined for a key that is not a hotkey (the browser handles it); otherwise the hotkey's message, if it has
 * one now (a number with no button, or Clear with no row shown, does nothing but is still the page's key).
 */
export function hotkey(e: KeyPress, state: ViewState): { message?: ViewMessage } | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  const row = state.current;
  if (/^[1-9]$/.test(e.key)) {
    const label = state.labels[Number(e.key) - 1];
    return label !== undefined && row ? { message: { type: 'label', index: row.index, label } } : {};
  }
  switch (e.key) {
    case '0':
    case 'Delete':
      return row ? { message: { type: 'clear', index: row.index } } : {};
    case 's':
    case 'S':
    case 'ArrowRight':
      return { message: { type: 'skip' } };
    case 'b':
    case 'B':
    case 'ArrowLeft':
      return { message: { type: 'back' } };
    case 'u':
    case 'U':
      return { message: { type: 'undo' } };
    case 'f':
    case 'F':
      return { message: { type: 'filter', unlabeledOnly: !state.unlabeledOnly } };
    default:
      return undefined;
  }
}

/** The hint on a label button, and its number key (the first nine labels have one). */
export function labelKey(position: number): string | undefined {
  return position < 9 ? String(position + 1) : undefined;
}
