// The messages between the labeling webview and the extension host. The webview renders untrusted text (the
// dataset), so what it sends back is checked field by field before the host acts on it; what the host sends is
// rendered with textContent only (media/labeling.js), never as HTML.
import { bool, num, obj, oneOf, str } from '../../engine/worker/check';

export type WebviewMessage =
  | { type: 'ready'; index?: number; unlabeledOnly?: boolean }
  | { type: 'label'; index: number; label: string }
  | { type: 'clear'; index: number }
  | { type: 'skip' }
  | { type: 'back' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'filter'; unlabeledOnly: boolean }
  | { type: 'addLabel'; label: string }
  | { type: 'stopQueue' };

export interface ViewState {
  file: string;
  format: string;
  fields: { text: string; label: string };
  total: number;
  labeled: number;
  /** Label → count, in the order the buttons are shown. */
  counts: [string, number][];
  labels: string[];
  current?: { index: number; line: number; text: string; textPair?: string; label?: string; suggestion?: { label: string; confidence: number } };
  unlabeledOnly: boolean;
  queue?: { title: string; remaining: number };
  canGoBack: boolean;
  /** Lines that are not rows, summarised. */
  problems: string[];
  /** Why nothing is shown (all labeled, empty file). */
  message?: string;
}

export function parseWebviewMessage(value: unknown): WebviewMessage {
  const o = obj(value, '');
  const type = oneOf(o, 'type', '', ['ready', 'label', 'clear', 'skip', 'back', 'undo', 'redo', 'filter', 'addLabel', 'stopQueue'] as const);
  const index = () => num(o, 'index', '', { integer: true, min: 0 });
  const label = () => {
    const l = str(o, 'label', '');
    if (l.trim() === '' || l.length > 200) throw new Error('label: expected a non-empty label of at most 200 characters');
    return l;
  };
  switch (type) {
    case 'ready':
      return {
        type,
        ...(o.index !== undefined ? { index: index() } : {}),
        ...(o.unlabeledOnly !== undefined ? { unlabeledOnly: bool(o, 'unlabeledOnly', '') } : {}),
      };
    case 'label':
      return { type, index: index(), label: label() };
    case 'clear':
      return { type, index: index() };
    case 'filter':
      return { type, unlabeledOnly: bool(o, 'unlabeledOnly', '') };
    case 'addLabel':
      return { type, label: label() };
    default:
      return { type };
  }
}
