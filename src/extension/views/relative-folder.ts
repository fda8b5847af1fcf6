// How a file's folder is shown beside its name in the views and quick picks: relative to the workspace, and
// nothing for the workspace folder itself (asRelativePath gives that one back as an absolute path, which only
// makes every row of a flat workspace long and alike). Outside the workspace, the absolute path says where it is.
import * as vscode from 'vscode';
import path from 'node:path';

export function relativeFolder(file: string): string {
  const dir = path.dirname(file);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir));
  if (folder && path.resolve(folder.uri.fsPath) === path.resolve(dir)) {
    // With several workspace folders, the folder's name is what tells two "train.jsonl" apart.
    return (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? folder.name : '';
  }
  return vscode.workspace.asRelativePath(dir);
}
