// The Experiments view: every *.experiment.json of the workspace, named by its "name", with Run and Estimate as
// inline actions and the file opened on click.
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentIndex } from '../workspace-index';

export class ExperimentsView implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly index: ExperimentIndex) {
    this.subscription = index.onDidChange(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  getChildren(element?: string): Promise<string[]> | string[] {
    return element === undefined ? this.index.files() : [];
  }

  getTreeItem(file: string): vscode.TreeItem {
    const uri = vscode.Uri.file(file);
    const item = new vscode.TreeItem(experimentName(file) ?? path.basename(file), vscode.TreeItemCollapsibleState.None);
    item.resourceUri = uri;
    item.description = vscode.workspace.asRelativePath(uri);
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.contextValue = 'experiment';
    item.tooltip = file;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function experimentName(file: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}
