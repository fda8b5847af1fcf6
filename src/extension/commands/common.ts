// Pieces the commands share: choosing a file the command applies to, and showing a job's failure in one message
// with a way to the problem.
import * as vscode from 'vscode';
import path from 'node:path';
import { JobFailure } from '../jobs/job-manager';
import { relativeFolder } from '../views/relative-folder';

/** A file argument as commands receive it: a Uri (explorer, CodeLens, tree) or a path (tests, other commands). */
export function fileOf(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string' && arg !== '') return arg;
  const uri = (arg as { resourceUri?: unknown } | undefined)?.resourceUri;
  return uri instanceof vscode.Uri ? uri.fsPath : undefined;
}

/** The file named by `arg`, else the active editor's when it ends with `suffix` (if given), else one the user picks. */
export async function chooseFile(arg: unknown, suffix: string | undefined, candidates: () => Thenable<string[]> | Promise<string[]>, what: string): Promise<string | undefined> {
  const given = fileOf(arg);
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document;
  if (active && suffix !== undefined && active.fileName.endsWith(suffix)) return active.fileName;
  const files = await candidates();
  if (files.length === 0) {
    void vscode.window.showWarningMessage(`Adapt Lab: there is no ${what}${suffix ? ` (*${suffix})` : ''} in this workspace.`);
    return undefined;
  }
  if (files.length === 1) return files[0];
  const pick = await vscode.window.showQuickPick(
    files.map((f) => ({ label: path.basename(f), description: relativeFolder(f), file: f })),
    { placeHolder: `Choose the ${what}` },
  );
  return pick?.file;
}

/** Saves the file's editor if it has unsaved changes: the worker reads the file from disk. */
export async function saveIfDirty(file: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.fileName === file);
  if (doc?.isDirty) await doc.save();
}

/** Shows why a job failed (not awaited: a notification stays until dismissed), with a way to the problem. */
export function showFailure(e: unknown, what: string): void {
  if (!(e instanceof JobFailure)) {
    void vscode.window.showErrorMessage(`Adapt Lab: ${what} failed: ${(e as Error)?.message ?? String(e)}`);
    return;
  }
  if (e.cancelled) {
    void vscode.window.showInformationMessage(`Adapt Lab: ${what} was cancelled.`);
    return;
  }
  const file = e.error?.file;
  const actions = file ? ['Go to Problem', 'Show Log'] : ['Show Log'];
  void vscode.window.showErrorMessage(`Adapt Lab: ${e.message}`, ...actions).then((choice) => {
    if (choice === 'Go to Problem' && file) void revealProblem(file, e.error?.line);
    if (choice === 'Show Log') void vscode.commands.executeCommand('adaptLab.showLog');
  });
}

export async function revealProblem(file: string, line?: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const at = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at) });
}
