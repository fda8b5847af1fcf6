// The labeling editor: a custom TEXT editor over JSON Lines and CSV/TSV datasets. The text document stays the
// single source of truth — every label is a small edit of it — so VS Code's undo/redo, dirty state, hot exit and
// git diff apply, and nothing is lost on a crash or reload. The webview shows one example at a time with large
// text, label buttons with number-key hotkeys, skip, back, undo, a filter for unlabeled rows, progress (labeled /
// total, per class), and — after Label Next Uncertain Examples — the rows in the helper model's order with its
// suggestion. The page is the webview bundle webview/labeling/ (dist/labeling.js and .css) under a strict CSP
// (nonce, default-src 'none', only dist/ readable); every message from it is checked with the validators it shares
// with the page (webview/labeling/protocol.ts), and dataset text is only ever set as text, never as HTML.
//
// What survives what (test/e2e/labeling-faults.test.ts proves each in code-server):
// - The extension host crashes or restarts: the labels are edits of the document, which lives in the workbench,
//   so they stay (unsaved if they were). VS Code leaves the page on screen wired to the dead host; the new host
//   reopens such tabs (orphans.ts) and the new page draws the document as it is, at the row and filter it showed
//   (kept in workspaceState, which lives in the workbench too).
// - The window reloads or closes: VS Code's hot exit restores the unsaved document and this editor; closing the
//   editor with unsaved labels asks to save them.
// - Another program changes the file: VS Code reloads a document without unsaved changes and the page follows.
//   Under unsaved labels VS Code keeps the document and Save reports the conflict instead of overwriting the file;
//   the page says so at once and offers to merge the labels into the new file by row identity
//   (external-changes.ts, merge.ts).
import * as vscode from 'vscode';
import path from 'node:path';
import { checkViewMessage, type HostMessage, type ViewMessage } from '../../../webview/labeling/protocol';
import type { Services } from '../services';
import { formatOfFile, labelCounts, labelEdits, parseLabelingDocument, type LabelingDocument, type LabelingFormat } from './dataset-doc';
import { ExternalChanges } from './external-changes';
import { labelingHtml } from './html';
import { OrphanedEditors } from './orphans';
import { LabelingSession, type Queue } from './session';
import { viewState } from './view-state';

export const LABELING_VIEW_TYPE = 'adaptLab.labeling';
const LABELS_KEY = 'adaptLab.labelingLabels';
/** Per file, the row shown and the filter: where a page that lost its own state (a reopen after a crash) resumes. */
const POSITION_KEY = 'adaptLab.labelingPosition';

interface Position {
  index?: number;
  unlabeledOnly: boolean;
}

export class LabelingEditorProvider implements vscode.CustomTextEditorProvider {
  private readonly editors = new Map<string, LabelingEditor>();
  private readonly pendingQueues = new Map<string, Queue>();

  constructor(private readonly s: Services) {
    // After an extension host crash or restart, labeling tabs still on screen are wired to nothing: reopen them.
    s.context.subscriptions.push(new OrphanedEditors(LABELING_VIEW_TYPE, (uri) => this.editors.has(uri.toString()), (line) => console.warn(line)));
  }

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    const key = document.uri.toString();
    const editor = new LabelingEditor(document, panel, this.s.context);
    this.editors.set(key, editor);
    panel.onDidDispose(() => {
      if (this.editors.get(key) === editor) this.editors.delete(key);
      editor.dispose();
    });
    const queue = this.pendingQueues.get(key);
    if (queue) {
      this.pendingQueues.delete(key);
      editor.startQueue(queue);
    }
  }

  /** Opens `uri` in the labeling editor with the rows in `queue`'s order and its suggestions. */
  async openWithQueue(uri: vscode.Uri, queue: Queue): Promise<void> {
    const open = this.editors.get(uri.toString());
    if (open) open.startQueue(queue);
    else this.pendingQueues.set(uri.toString(), queue);
    await vscode.commands.executeCommand('vscode.openWith', uri, LABELING_VIEW_TYPE);
  }

  /** The document shown in the active labeling editor, if one is active. */
  activeDocument(): vscode.TextDocument | undefined {
    for (const e of this.editors.values()) if (e.panel.active) return e.document;
    return undefined;
  }
}

class LabelingEditor implements vscode.Disposable {
  private parsed: LabelingDocument;
  private readonly format: LabelingFormat;
  private readonly session = new LabelingSession();
  private readonly external: ExternalChanges;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly document: vscode.TextDocument,
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
  ) {
    this.format = formatOfFile(document.fileName) ?? 'jsonl';
    this.parsed = this.parse();
    this.external = new ExternalChanges(document, this.format, () => this.post());
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [dist] };
    webview.html = labelingHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'labeling.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'labeling.css')).toString(),
    });
    this.disposables.push(
      this.external,
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      // Every change of the document redraws the page from it: a label, an undo, an edit in a text editor, and a
      // reload from disk after another program changed the file (VS Code reloads a document without unsaved
      // changes by itself) — the page never keeps rows of its own.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== this.document || e.contentChanges.length === 0) return;
        this.parsed = this.parse();
        this.external.documentChanged();
        // After an undo or redo, show the row that changed: that is the label that was taken back.
        if (e.reason !== undefined) {
          const line = e.contentChanges[0].range.start.line + 1;
          const row = this.parsed.rows.find((r) => r.line === line);
          if (row) this.session.goto(row.index, this.parsed.rows);
        }
        this.session.settle(this.parsed.rows);
        this.post();
      }),
    );
  }

  startQueue(queue: Queue): void {
    this.addLabels([...new Set([...queue.suggestions.values()].map((s) => s.label))]);
    this.session.startQueue(queue, this.parsed.rows);
    this.post();
    this.panel.reveal();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private parse(): LabelingDocument {
    return parseLabelingDocument(this.document.getText(), this.format);
  }

  /** Whether this editor is the active editor of the window (what Revert File acts on). */
  private isShown(): boolean {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    return input instanceof vscode.TabInputCustom && input.viewType === LABELING_VIEW_TYPE && input.uri.toString() === this.document.uri.toString();
  }

  private async receive(raw: unknown): Promise<void> {
    let m: ViewMessage;
    try {
      m = checkViewMessage(raw);
    } catch (e) {
      console.error(`Adapt Lab labeling: ignored an invalid message from the webview: ${(e as Error).message}`);
      return;
    }
    const rows = this.parsed.rows;
    switch (m.type) {
      case 'ready': {
        // The page's own saved state first (reload, tab moved); else where this file was left last time (a new page:
        // reopened after a crash, or the file opened again later).
        const left = m.index === undefined && m.unlabeledOnly === undefined ? this.storedPosition() : undefined;
        const unlabeledOnly = m.unlabeledOnly ?? left?.unlabeledOnly;
        const index = m.index ?? left?.index;
        if (unlabeledOnly !== undefined) this.session.unlabeledOnly = unlabeledOnly;
        if (index !== undefined && index < rows.length) this.session.current = index;
        this.session.settle(rows);
        break;
      }
      case 'label':
        if (m.index >= rows.length) return;
        this.addLabels([m.label]);
        if (await this.setLabel(m.index, m.label)) this.session.next(this.parsed.rows);
        break;
      case 'clear':
        if (m.index >= rows.length) return;
        await this.setLabel(m.index, undefined);
        break;
      case 'skip':
        this.session.next(rows);
        break;
      case 'back':
        this.session.back(rows);
        break;
      case 'undo':
      case 'redo':
        // The document's own undo stack: the same as Ctrl+Z in a text editor of this file.
        await vscode.commands.executeCommand(m.type);
        return;
      case 'filter':
        this.session.unlabeledOnly = m.unlabeledOnly;
        if (this.session.current !== undefined && m.unlabeledOnly && rows[this.session.current]?.label !== undefined) this.session.next(rows);
        this.session.settle(rows);
        break;
      case 'addLabel':
        this.addLabels([m.label.trim()]);
        break;
      case 'stopQueue':
        this.session.stopQueue(rows);
        break;
      case 'merge':
        await this.external.merge(() => this.isShown());
        break;
    }
    this.post();
  }

  private async setLabel(index: number, label: string | undefined): Promise<boolean> {
    const text = this.document.getText();
    const edits = labelEdits(text, this.parsed, index, label);
    if (edits.length === 0) return true;
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) edit.replace(this.document.uri, new vscode.Range(this.document.positionAt(e.start), this.document.positionAt(e.end)), e.newText);
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) this.parsed = this.parse();
    return ok;
  }

  /** The label buttons, in a stable order per file: once a label has a number key it keeps it. */
  private labels(): string[] {
    const stored = this.context.workspaceState.get<Record<string, string[]>>(LABELS_KEY, {})[this.document.uri.toString()] ?? [];
    const seen = [...labelCounts(this.parsed.rows).keys()].filter((l) => !stored.includes(l)).sort();
    return [...stored, ...seen];
  }

  private addLabels(labels: string[]): void {
    const all = this.context.workspaceState.get<Record<string, string[]>>(LABELS_KEY, {});
    const key = this.document.uri.toString();
    const current = this.labels();
    const added = labels.filter((l) => l !== '' && !current.includes(l));
    if (added.length === 0 && (all[key]?.length ?? 0) === current.length) return;
    void this.context.workspaceState.update(LABELS_KEY, { ...all, [key]: [...current, ...added] });
  }

  private storedPosition(): Position | undefined {
    return this.context.workspaceState.get<Record<string, Position>>(POSITION_KEY, {})[this.document.uri.toString()];
  }

  /** Remembers the row and filter shown (kept by the workbench, so a crashed extension host does not lose it). */
  private storePosition(): void {
    const position: Position = { unlabeledOnly: this.session.unlabeledOnly, ...(this.session.current !== undefined ? { index: this.session.current } : {}) };
    const stored = this.storedPosition();
    if (stored?.index === position.index && stored?.unlabeledOnly === position.unlabeledOnly) return;
    const all = this.context.workspaceState.get<Record<string, Position>>(POSITION_KEY, {});
    void this.context.workspaceState.update(POSITION_KEY, { ...all, [this.document.uri.toString()]: position });
  }

  private post(): void {
    this.storePosition();
    const state = viewState(path.basename(this.document.fileName), this.parsed, this.session, this.labels());
    const changedOnDisk = this.external.changedOnDisk;
    if (changedOnDisk) state.changedOnDisk = changedOnDisk;
    const message: HostMessage = { type: 'state', state };
    void this.panel.webview.postMessage(message);
  }
}
