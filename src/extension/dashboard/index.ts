// Registers the dashboard with VS Code: the "Adapt Lab: Open Dashboard" command (callable with an experiment file,
// a run, a runs folder or a Runs-view node — see focus.ts) and the serializer that brings the panel back after a
// window reload. The panel's module (and the run store it reads) loads on first use, keeping activation light.
// package.json declares the command and the activation event onWebviewPanel:adaptLab.dashboard.
import * as vscode from 'vscode';
import { DASHBOARD_VIEW_TYPE, OPEN_DASHBOARD_COMMAND } from './ids';

export { DASHBOARD_VIEW_TYPE, OPEN_DASHBOARD_COMMAND };

export function registerDashboard(context: vscode.ExtensionContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(OPEN_DASHBOARD_COMMAND, async (arg?: unknown) => {
      (await import('./panel.js')).DashboardPanel.show(context.extensionUri, arg);
    }),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        (await import('./panel.js')).DashboardPanel.revive(panel, context.extensionUri);
      },
    }),
  ];
}
