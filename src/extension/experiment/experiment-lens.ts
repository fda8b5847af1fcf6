// CodeLenses on an experiment file: Run, Estimate cost (cells, FLOPs, expected time on this machine) and Open in
// Dashboard, above its "name".
import * as vscode from 'vscode';
import { member, parseJsonTree } from '../json/json-tree';

export const EXPERIMENT_SELECTOR: vscode.DocumentSelector = { pattern: '**/*.experiment.json' };

export class ExperimentLens implements vscode.CodeLensProvider {
  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const name = member(parseJsonTree(doc.getText()).root, 'name');
    const at = name ? doc.positionAt(name.keyStart) : new vscode.Position(0, 0);
    const range = new vscode.Range(at, at);
    // "Open in Dashboard" only when the dashboard (a separate part of the extension) is there to open.
    const dashboard = (await vscode.commands.getCommands(true)).includes('adaptLab.openDashboard');
    return [
      new vscode.CodeLens(range, { title: '$(play) Run', command: 'adaptLab.runExperiment', arguments: [doc.uri], tooltip: 'Train and measure every cell of the grid that is not done yet (in the worker)' }),
      new vscode.CodeLens(range, { title: 'Estimate cost', command: 'adaptLab.estimateCost', arguments: [doc.uri], tooltip: 'Cells, training FLOPs and expected time on this machine, without training' }),
      ...(dashboard ? [new vscode.CodeLens(range, { title: 'Open in Dashboard', command: 'adaptLab.openDashboard', arguments: [doc.uri], tooltip: 'The runs of this experiment' })] : []),
    ];
  }
}
