// What the labeling page shows, from the parsed document, the session and the label buttons: the one state the
// host sends after every change (webview/labeling/protocol.ts checks it on arrival). Pure (no vscode).
import type { ViewState } from '../../../webview/labeling/protocol';
import { labelCounts, type LabelingDocument } from './dataset-doc';
import type { LabelingSession } from './session';

/** At most this many lines that are not rows are listed; the rest are counted. */
const PROBLEMS_SHOWN = 5;

export function viewState(file: string, doc: LabelingDocument, session: LabelingSession, labels: readonly string[]): ViewState {
  const rows = doc.rows;
  const counts = labelCounts(rows);
  const index = session.current;
  const row = index === undefined ? undefined : rows[index];
  const suggestion = row ? session.suggestionFor(row) : undefined;
  const state: ViewState = {
    file,
    format: doc.format,
    fields: { text: doc.fields.text, label: doc.fields.label },
    total: rows.length,
    labeled: rows.filter((r) => r.label !== undefined).length,
    counts: labels.map((l) => [l, counts.get(l) ?? 0]),
    labels: [...labels],
    unlabeledOnly: session.unlabeledOnly,
    canGoBack: session.canGoBack,
    problems: doc.problems.slice(0, PROBLEMS_SHOWN).map((p) => `line ${p.line}: ${p.message}`)
      .concat(doc.problems.length > PROBLEMS_SHOWN ? [`… and ${doc.problems.length - PROBLEMS_SHOWN} more`] : []),
  };
  if (row) {
    state.current = { index: row.index, line: row.line, text: row.text };
    if (row.textPair !== undefined) state.current.textPair = row.textPair;
    if (row.label !== undefined) state.current.label = row.label;
    if (suggestion) state.current.suggestion = { label: suggestion.label, confidence: suggestion.confidence };
  } else {
    state.message = rows.length === 0 ? `No rows with a "${doc.fields.text}" text in this file.` : session.queue ? 'Every row of the queue is labeled.' : 'Every row is labeled.';
  }
  if (session.queue) state.queue = { title: session.queue.title, remaining: session.remaining(rows) };
  return state;
}
