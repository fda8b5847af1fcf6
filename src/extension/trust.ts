// Workspace Trust. A workspace can hold anything — a model folder, data, a settings file naming a different
// Node binary for the worker — so in Restricted Mode Adapt Lab trains nothing and loads no model or data from it:
// every command that would is refused with one message that says so and offers to manage trust. Editing files
// (templates, the labeling editor) stays available; template diagnostics then load no model folder of the workspace
// (a verbalizer word is checked only against a vocabulary from outside it: the one Adapt Lab ships, the user's
// Hugging Face cache — see prompt/template-context.ts).
import * as vscode from 'vscode';

export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** True when trusted; otherwise shows why `action` is refused and returns false. */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Adapt Lab: ${action} is not available in Restricted Mode — nothing is trained or loaded from an untrusted workspace. Trust this workspace to use it.`,
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

/**
 * In Restricted Mode, says once per workspace what is off and why; when trust is granted later, the views refresh
 * (model folders and runs of the workspace can then be listed).
 */
export function announceRestrictedMode(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void vscode.commands.executeCommand('adaptLab.refreshViews')));
  if (vscode.workspace.isTrusted || context.workspaceState.get('adaptLab.restrictedNoticeShown')) return;
  void context.workspaceState.update('adaptLab.restrictedNoticeShown', true);
  void vscode.window.showInformationMessage(
    'Adapt Lab is in Restricted Mode: nothing is trained, estimated or predicted, and no model or data is loaded from this untrusted workspace. Prompt templates are checked without reading model folders of the workspace; the labeling editor still works.',
    'Manage Workspace Trust',
  ).then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
}
