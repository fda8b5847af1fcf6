// Labeling tabs left behind by a dead extension host. VS Code does not resolve a custom text editor again after its
// extension host crashed or restarted (microsoft/vscode#225410): the old page stays on screen, wired to a host that
// is gone, so keys and clicks do nothing. The labels are safe — they are edits of the text document, which lives in
// the workbench, dirty state and undo included — but the editor is dead. So the new host looks for labeling tabs
// on screen that it never resolved and reopens each one: first as the text editor, then as the labeling editor
// again. Both steps replace the tab in place (VS Code's "Reopen Editor With…"), which neither asks to save nor
// touches the document, so unsaved labels stay unsaved and undoable.
import * as vscode from 'vscode';

/** How long a shown labeling tab may wait for resolveCustomTextEditor before it counts as orphaned. */
export const ORPHAN_GRACE_MS = 3_000;

export class OrphanedEditors implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** One try per document and host: a reopen that did not take is reported, not repeated forever. */
  private readonly tried = new Set<string>();

  constructor(
    private readonly viewType: string,
    /** Whether this host resolved (and still shows) a labeling editor of `uri`. */
    private readonly isResolved: (uri: vscode.Uri) => boolean,
    private readonly log: (line: string) => void,
  ) {
    this.disposables.push(vscode.window.tabGroups.onDidChangeTabs((e) => {
      for (const tab of [...e.opened, ...e.changed]) if (tab.isActive) this.watch(tab);
    }));
    // The tabs on screen when this host starts: after a restart these are the orphans.
    for (const group of vscode.window.tabGroups.all) if (group.activeTab) this.watch(group.activeTab);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }

  private uriOf(tab: vscode.Tab): vscode.Uri | undefined {
    const input = tab.input;
    return input instanceof vscode.TabInputCustom && input.viewType === this.viewType ? input.uri : undefined;
  }

  /** A labeling tab shown now: a live one is resolved within moments; one still unresolved later is an orphan. */
  private watch(tab: vscode.Tab): void {
    const uri = this.uriOf(tab);
    if (!uri || this.isResolved(uri)) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const now = this.shownTab(uri);
      if (now && !this.isResolved(uri)) void this.reopen(now, uri);
    }, ORPHAN_GRACE_MS);
    this.timers.add(timer);
  }

  /** The tab of `uri`'s labeling editor if it is the one shown in its group. */
  private shownTab(uri: vscode.Uri): vscode.Tab | undefined {
    for (const group of vscode.window.tabGroups.all) {
      const tab = group.activeTab;
      if (tab && this.uriOf(tab)?.toString() === uri.toString()) return tab;
    }
    return undefined;
  }

  private async reopen(tab: vscode.Tab, uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    if (this.tried.has(key)) return;
    this.tried.add(key);
    this.log(`Adapt Lab labeling: reopening the labeling editor of ${uri.fsPath}, left behind by an extension host that stopped`);
    try {
      // "Reopen Editor With…" acts on the active editor: make the orphan active (it is a singleton per document,
      // so opening it again focuses the existing tab), and check that it is.
      await vscode.commands.executeCommand('vscode.openWith', uri, this.viewType, { viewColumn: tab.group.viewColumn, preserveFocus: false });
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      if (!active || this.uriOf(active)?.toString() !== key) throw new Error('its tab could not be made active');
      await vscode.commands.executeCommand('reopenActiveEditorWith', 'default');
      await vscode.commands.executeCommand('reopenActiveEditorWith', this.viewType);
    } catch (e) {
      this.log(`Adapt Lab labeling: could not reopen ${uri.fsPath}: ${(e as Error)?.message ?? String(e)}`);
      void vscode.window.showWarningMessage(`Adapt Lab: the labeling editor of ${vscode.workspace.asRelativePath(uri)} lost its connection when the extension restarted. Your labels are kept in the document; close and reopen the editor to go on labeling.`);
    }
  }
}
