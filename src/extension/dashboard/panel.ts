// The dashboard panel: one webview showing every run the workspace knows, kept current by a file watcher while
// jobs run. The extension side only reads files and answers requests (run detail, disagreements, significance,
// exports); all drawing happens in the webview bundle (webview/dashboard/). One panel at a time: opening it again
// reveals it and shows what it was opened on.
import * as vscode from 'vscode';
import path from 'node:path';
import { runsFolders } from '../runs/catalog';
import { configuredRunsFolders, runsFolderFor } from '../settings';
import { checkViewMessage, type Focus, type HostMessage, type ViewMessage } from '../../../webview/dashboard/protocol';
import { ChangeBatcher } from './change-batcher';
import { exportBytes, saveExport } from './exports';
import { focusFromArgument, type FocusRequest } from './focus';
import { DASHBOARD_VIEW_TYPE } from './ids';
import { dashboardHtml } from './html';
import { renderHtmlReport } from './html-report';
import { DashboardRequests } from './requests';
import { RunIndex } from './run-index';

const RUNS_GLOB = '**/.adapt-lab/runs/**';
const EXPERIMENT_GLOB = '**/*.experiment.json';
const EXCLUDE = '**/{node_modules,.git,.adapt-lab}/**';

export class DashboardPanel implements vscode.Disposable {
  private static current: DashboardPanel | undefined;

  private readonly index = new RunIndex();
  private readonly requests = new DashboardRequests(this.index);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly batcher: ChangeBatcher;
  private readonly watchedOutside = new Set<string>();
  private focus: Focus | undefined;
  private ready = false;
  private disposed = false;
  /** The runs folders found and read (the first list is sent when this and the webview are both ready). */
  private readonly discovered: Promise<void>;
  /** The detail the webview shows, re-sent when its run's files change (live learning curves). */
  private lastDetail: { requestId: number; refs: string[] } | undefined;

  /** Opens (or reveals) the dashboard on what the command was invoked with. */
  static show(extensionUri: vscode.Uri, arg?: unknown): DashboardPanel {
    const request = focusFromArgument(arg, runsFolderFor);
    const existing = DashboardPanel.current;
    if (existing) {
      existing.panel.reveal();
      void existing.applyFocus(request);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Adapt Lab Dashboard', vscode.ViewColumn.Active, DashboardPanel.options(extensionUri));
    return new DashboardPanel(panel, extensionUri, request);
  }

  /** Re-creates the panel after a reload (the webview restores its own state from getState). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): DashboardPanel {
    DashboardPanel.current?.dispose();
    panel.webview.options = DashboardPanel.options(extensionUri);
    return new DashboardPanel(panel, extensionUri, {});
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    request: FocusRequest,
  ) {
    DashboardPanel.current = this;
    const webview = panel.webview;
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'dashboard.js')).toString(),
    });
    this.batcher = new ChangeBatcher((paths) => this.onFilesChanged(paths));
    const watcher = vscode.workspace.createFileSystemWatcher(RUNS_GLOB);
    const changed = (uri: vscode.Uri) => this.batcher.add(uri.fsPath);
    this.disposables.push(
      watcher,
      watcher.onDidCreate(changed),
      watcher.onDidChange(changed),
      watcher.onDidDelete(changed),
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('adaptLab.runsFolder')) void this.discover().then(() => this.postRuns());
      }),
    );
    this.discovered = this.discover();
    void this.applyFocus(request);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    this.batcher.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  /** Finds the runs folders: configured ones and those beside the workspace's experiment files (that exist). */
  private async discover(): Promise<void> {
    try {
      const experiments = await vscode.workspace.findFiles(EXPERIMENT_GLOB, EXCLUDE, 500);
      const found = await vscode.workspace.findFiles('**/.adapt-lab/runs/*/run.json', '**/node_modules/**', 20_000);
      const dirs = runsFolders(experiments.map((u) => u.fsPath), configuredRunsFolders());
      for (const u of found) dirs.push(path.dirname(path.dirname(u.fsPath)));
      for (const dir of dirs) this.addFolder(dir);
    } catch (e) {
      // The dashboard still opens (empty, or with the folder it was opened on) and says nothing is there.
      console.error(`Adapt Lab dashboard: looking for runs folders failed: ${(e as Error)?.stack ?? String(e)}`);
    }
  }

  private addFolder(dir: string): void {
    if (!this.index.addFolder(dir)) return;
    // Folders outside the workspace (a configured absolute runsFolder, --runs-dir) need their own watcher.
    const inWorkspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir)) !== undefined && dir.split(path.sep).includes('.adapt-lab');
    if (!inWorkspace && !this.watchedOutside.has(dir)) {
      this.watchedOutside.add(dir);
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '**'));
      const changed = (uri: vscode.Uri) => this.batcher.add(uri.fsPath);
      this.disposables.push(w, w.onDidCreate(changed), w.onDidChange(changed), w.onDidDelete(changed));
    }
  }

  private async applyFocus(request: FocusRequest): Promise<void> {
    await this.discovered;
    if (request.runsDir) this.addFolder(request.runsDir);
    const focus: Focus = {};
    if (request.experiment) focus.experiment = request.experiment;
    if (request.runRef) focus.runRef = request.runRef;
    this.focus = Object.keys(focus).length > 0 ? focus : undefined;
    if (!this.ready) return; // sent with the runs once the webview is ready
    if (request.runsDir) this.postRuns();
    else if (this.focus) this.post({ type: 'focus', focus: this.focus });
  }

  private onFilesChanged(paths: Set<string>): void {
    // A run.json in a runs folder not seen yet (a new experiment's first run): add that folder.
    for (const p of paths) {
      const parts = p.split(path.sep);
      const i = parts.lastIndexOf('runs');
      if (i > 0 && parts[i - 1] === '.adapt-lab' && parts.length > i + 1) this.addFolder(parts.slice(0, i + 1).join(path.sep));
    }
    if (this.index.applyChanges(paths)) this.postRuns();
    const detail = this.lastDetail;
    if (detail && [...paths].some((p) => detail.refs.some((ref) => p === ref || p.startsWith(ref + path.sep)))) void this.sendDetail(detail.requestId, detail.refs);
  }

  private postRuns(): void {
    if (!this.ready) return;
    const message: HostMessage = { type: 'runs', runs: this.index.summaries(), problems: this.index.problems(), folders: this.index.dirs };
    if (this.focus) message.focus = this.focus;
    this.focus = undefined;
    this.post(message);
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    let m: ViewMessage;
    try {
      m = checkViewMessage(raw);
    } catch (e) {
      console.error(`Adapt Lab dashboard: ignored a malformed message from the webview: ${(e as Error).message}`);
      return;
    }
    switch (m.type) {
      case 'ready':
        await this.discovered;
        this.ready = true;
        this.postRuns();
        return;
      case 'detail':
        this.lastDetail = { requestId: m.requestId, refs: m.refs };
        return this.sendDetail(m.requestId, m.refs);
      case 'compare':
        this.post({ type: 'comparisons', requestId: m.requestId, results: m.pairs.map((p) => ({ key: p.key, ...this.requests.compare(p.a, p.b) })) });
        return;
      case 'export':
        return this.exportFile(m.requestId, m.format, m.name, () => exportBytes(m.format, m.content));
      case 'exportReport':
        return this.exportFile(m.requestId, 'html', m.name, () => exportBytes('html', renderHtmlReport(m.report, new Date().toISOString())));
      case 'openRun': {
        const r = this.index.resolve(m.ref);
        if (r) await vscode.window.showTextDocument(vscode.Uri.file(r.store.runFile(r.id)), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
    }
  }

  private async sendDetail(requestId: number, refs: string[]): Promise<void> {
    const { details, problem } = this.requests.detail(refs);
    const message: HostMessage = { type: 'detail', requestId, details };
    if (problem) message.problem = problem;
    if (refs.length === 2) message.disagreements = await this.requests.disagreements(refs[0], refs[1]);
    this.post(message);
  }

  private async exportFile(requestId: number, format: 'svg' | 'png' | 'csv' | 'html', name: string, bytes: () => Uint8Array): Promise<void> {
    try {
      const saved = await saveExport(format, name, bytes());
      const message = saved ? `Saved ${saved}` : 'Export cancelled';
      if (saved) void vscode.window.showInformationMessage(`Adapt Lab: exported ${path.basename(saved)}`);
      this.post({ type: 'exported', requestId, ok: saved !== undefined, message });
    } catch (e) {
      const message = `Export failed: ${(e as Error).message}`;
      void vscode.window.showErrorMessage(`Adapt Lab: ${message}`);
      this.post({ type: 'exported', requestId, ok: false, message });
    }
  }
}
