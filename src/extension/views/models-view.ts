// The Models view: model folders of the workspace (a config.json beside weights) and the snapshots in the Hugging
// Face cache — the models an experiment can name without downloading anything. "Use as Default Model" sets
// adaptLab.defaultModel (used by prompt templates without a "model").
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { hubCacheDir, listCachedModels, type CachedModel } from '../../engine/hub/cache';
import { engineSettings } from '../settings';
import { isTrusted } from '../trust';

type Node =
  | { kind: 'group'; group: 'local' | 'cache' }
  | { kind: 'local'; dir: string }
  | { kind: 'cached'; model: CachedModel }
  | { kind: 'note'; text: string };

const WEIGHTS = ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'];

export class ModelsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return [{ kind: 'group', group: 'local' }, { kind: 'group', group: 'cache' }];
    if (node.kind !== 'group') return [];
    if (node.group === 'local') {
      if (!isTrusted()) return [{ kind: 'note', text: 'Not listed in Restricted Mode' }];
      // Not .adapt-lab: the models runs saved are in the Runs view (Export Model… makes one a folder of its own).
      const configs = await vscode.workspace.findFiles('**/config.json', '**/{node_modules,.git,.adapt-lab}/**', 500);
      const dirs = configs.map((u) => path.dirname(u.fsPath)).filter((d) => WEIGHTS.some((w) => existsSync(path.join(d, w))));
      return dirs.length > 0 ? dirs.sort().map((dir): Node => ({ kind: 'local', dir })) : [{ kind: 'note', text: 'No model folders in this workspace' }];
    }
    const cacheDir = engineSettings().hfCacheDir || hubCacheDir();
    const models = await listCachedModels(cacheDir);
    return models.length > 0 ? models.map((model): Node => ({ kind: 'cached', model })) : [{ kind: 'note', text: `Nothing cached in ${cacheDir}` }];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.group === 'local' ? 'Workspace folders' : 'Hugging Face cache', vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon(node.group === 'local' ? 'folder' : 'database');
        if (node.group === 'cache') item.tooltip = engineSettings().hfCacheDir || hubCacheDir();
        return item;
      }
      case 'local': {
        const item = new vscode.TreeItem(path.basename(node.dir));
        item.description = vscode.workspace.asRelativePath(node.dir);
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.contextValue = 'model';
        item.tooltip = node.dir;
        item.resourceUri = vscode.Uri.file(node.dir);
        return item;
      }
      case 'cached': {
        const item = new vscode.TreeItem(node.model.repoId);
        item.description = node.model.refs.length > 0 ? node.model.refs.join(', ') : node.model.commit.slice(0, 10);
        item.iconPath = new vscode.ThemeIcon('cloud-download');
        item.contextValue = 'model';
        item.tooltip = node.model.dir;
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The model id or folder a Models view node stands for (what an experiment would write). */
export function modelOfNode(arg: unknown): string | undefined {
  const node = arg as Node | undefined;
  if (node?.kind === 'cached') return node.model.refs.includes('main') || node.model.refs.length === 0 ? node.model.repoId : `${node.model.repoId}@${node.model.refs[0]}`;
  if (node?.kind === 'local') return node.dir;
  return undefined;
}
