// The workspace's experiment files, found once and kept current by a file watcher: prompt diagnostics look up
// which experiment uses a template (for its data's labels), and the Experiments view lists them.
import * as vscode from 'vscode';

export const EXPERIMENT_GLOB = '**/*.experiment.json';
const EXCLUDE = '**/{node_modules,.git,.adapt-lab}/**';

export class ExperimentIndex implements vscode.Disposable {
  private cached: Promise<string[]> | undefined;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor() {
    this.watcher = vscode.workspace.createFileSystemWatcher(EXPERIMENT_GLOB);
    const reset = () => {
      this.cached = undefined;
      this.changed.fire();
    };
    this.watcher.onDidCreate(reset);
    this.watcher.onDidDelete(reset);
    this.watcher.onDidChange(() => this.changed.fire());
  }

  /** Absolute paths of every experiment file in the workspace, sorted. */
  files(): Promise<string[]> {
    this.cached ??= Promise.resolve(vscode.workspace.findFiles(EXPERIMENT_GLOB, EXCLUDE, 500)).then((uris) => uris.map((u) => u.fsPath).sort());
    return this.cached;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
