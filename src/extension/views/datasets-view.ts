// The Datasets view: the data files of the workspace (JSON Lines, CSV, TSV) — open one, or label it.
import * as vscode from 'vscode';
import path from 'node:path';
import { relativeFolder } from './relative-folder';

export const DATASET_GLOB = '**/*.{jsonl,ndjson,csv,tsv}';
const EXCLUDE = '**/{node_modules,.git,.adapt-lab}/**';

export class DatasetsView implements vscode.TreeDataProvider<vscode.Uri>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(DATASET_GLOB, false, true, false);
  private readonly subscriptions = [this.watcher.onDidCreate(() => this.refresh()), this.watcher.onDidDelete(() => this.refresh())];

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(element?: vscode.Uri): Promise<vscode.Uri[]> {
    if (element) return [];
    const files = await vscode.workspace.findFiles(DATASET_GLOB, EXCLUDE, 1000);
    return files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  }

  getTreeItem(uri: vscode.Uri): vscode.TreeItem {
    const item = new vscode.TreeItem(path.basename(uri.fsPath));
    item.resourceUri = uri;
    item.description = relativeFolder(uri.fsPath);
    item.iconPath = new vscode.ThemeIcon('table');
    item.contextValue = 'dataset';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.watcher.dispose();
    this.changed.dispose();
  }
}
