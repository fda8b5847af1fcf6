// The dataset file changed by another program while it is open in the labeling editor.
// - No unsaved changes: VS Code reloads the document from disk by itself, and the editor redraws from the document
//   like after any edit (labeling-editor.ts listens to onDidChangeTextDocument), new rows and counts included.
// - Unsaved labels: VS Code keeps the document as it is, and Save refuses to overwrite the newer file ("the content
//   of the file is newer": Compare or Overwrite) — nothing is overwritten silently. This class sees the change as it
//   happens, so the page says so at once, and offers the merge that fits labels: the unsaved label changes carried
//   over onto the file as it is now, by row identity (merge.ts), written to the file, and the document reloaded
//   from it. The labels are never only in memory: they are in the document until the merged file is on disk.
//   When the unsaved changes are more than labels there is no merge; VS Code's Compare is the way.
import * as vscode from 'vscode';
import path from 'node:path';
import { UserError } from '../../engine/errors';
import type { LabelingFormat } from './dataset-doc';
import { mergeLabels, type MergeResult } from './merge';

interface DiskText {
  text: string;
  /** The file starts with a UTF-8 byte order mark (kept when the merge writes it). */
  bom: boolean;
}

export interface ChangedOnDisk {
  message: string;
  canMerge: boolean;
}

/** Tries at merging into a file that keeps changing under the merge. */
const MERGE_TRIES = 3;

export class ExternalChanges implements vscode.Disposable {
  /** The file as this document last had it from disk (opened, reloaded or saved): the merge's common ancestor. */
  private base: string | undefined;
  /** The merge of the unsaved labels into the file on disk, while that file differs from base and document. */
  private pending: MergeResult | undefined;
  private checks = Promise.resolve();
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly name: string;

  constructor(
    private readonly document: vscode.TextDocument,
    private readonly format: LabelingFormat,
    /** Called when what the page should say about the file on disk changed. */
    private readonly onChange: () => void,
  ) {
    this.name = path.basename(document.fileName);
    if (!document.isDirty) this.base = document.getText();
    // Unsaved changes from before this editor (hot exit): they were made on the file as it is on disk.
    else void this.readDisk().then((d) => { this.base ??= d?.text; });
    if (document.uri.scheme === 'file') {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(document.uri, '..'), path.basename(document.uri.fsPath)));
      this.disposables.push(watcher, watcher.onDidChange(() => this.check()), watcher.onDidCreate(() => this.check()));
    }
    this.disposables.push(vscode.workspace.onDidSaveTextDocument((d) => {
      if (d !== document) return;
      this.base = d.getText();
      this.settle(undefined);
    }));
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables) d.dispose();
  }

  /** What the page shows while the file on disk has changed under unsaved labels. */
  get changedOnDisk(): ChangedOnDisk | undefined {
    const p = this.pending;
    if (!p) return undefined;
    const head = `${this.name} was changed on disk by another program, and your labels here are not saved yet.`;
    if (!('refused' in p)) {
      return { canMerge: true, message: `${head} Saving would ask whether to overwrite that change. Merge puts your labels into the file as it is now and saves it.` };
    }
    return { canMerge: false, message: `${head} They cannot be merged: ${p.refused}${p.line !== undefined ? ` (line ${p.line})` : ''}. Save and choose Compare to merge by hand, or Revert File to take the file's version.` };
  }

  /** The document changed (an edit, or VS Code reloaded it from disk). */
  documentChanged(): void {
    // A reload from disk leaves the document clean; so does undoing every unsaved change. (The first edit after a
    // save may read clean too: the dirty flag can follow the change event. check() compares the texts to know.)
    if (!this.document.isDirty || this.pending) this.check();
  }

  /** Merges the unsaved labels into the file on disk and saves; `isShown` says the editor is the active one. */
  async merge(isShown: () => boolean): Promise<void> {
    for (let attempt = 0; attempt < MERGE_TRIES; attempt++) {
      const theirs = await this.readDisk();
      if (!theirs || this.base === undefined || !this.document.isDirty) return;
      const result = mergeLabels(this.base, this.document.getText(), theirs.text, this.format);
      if ('refused' in result) {
        const e = new UserError(`${this.name} changed on disk and the unsaved changes cannot be merged into it: ${result.refused}`,
          { file: this.document.fileName, ...(result.line !== undefined ? { line: result.line } : {}) },
          'Save and choose Compare to merge by hand, or Revert File to take the version on disk.');
        this.settle(result);
        void vscode.window.showWarningMessage(`Adapt Lab: ${e.format()}`);
        return;
      }
      // Written only over the very file merged into: a change that came meanwhile is merged again instead.
      if ((await this.readDisk())?.text !== theirs.text) continue;
      // Set first: the write's own file event is not another program's change.
      this.base = result.text;
      await vscode.workspace.fs.writeFile(this.document.uri, Buffer.from((theirs.bom ? '\ufeff' : '') + result.text, 'utf8'));
      this.settle(undefined);
      // The document still holds the file from before the other program's change, with the labels: now that the
      // file has both, take it. Revert File acts on the active editor, so only when that is this one.
      if (isShown()) await vscode.commands.executeCommand('workbench.action.files.revert');
      const notes = [
        result.overridden.length > 0 && `${result.overridden.length} row(s) the other program had labeled differently keep your label (${result.overridden.slice(0, 3).map((o) => `"${clip(o.text)}": ${o.label ?? 'no label'} over ${o.theirs ?? 'no label'}`).join('; ')})`,
        result.missing.length > 0 && `${result.missing.length} labeled row(s) are no longer in the file (${result.missing.slice(0, 3).map((m) => `"${clip(m.text)}"`).join('; ')})`,
        !isShown() && `the editor still shows the older version: use File: Revert File on it`,
      ].filter(Boolean);
      const summary = `Adapt Lab: merged ${result.applied.length} label(s) into ${this.name} as changed on disk, and saved it.`;
      if (notes.length > 0) void vscode.window.showWarningMessage(`${summary} ${notes.join('. ')}.`);
      else void vscode.window.showInformationMessage(summary);
      return;
    }
    void vscode.window.showWarningMessage(`Adapt Lab: ${this.name} kept changing on disk while merging; nothing was written. Try Merge again when the other program is done.`);
  }

  /** Compares the file on disk with the document (one check at a time, in order). */
  private check(): void {
    this.checks = this.checks.then(async () => {
      const disk = await this.readDisk();
      const text = this.document.getText();
      if (disk && sameText(disk.text, text)) {
        // In step with the file: it is the base of whatever comes next.
        this.base = text;
        return this.settle(undefined);
      }
      if (!disk || !this.document.isDirty || this.base === undefined || sameText(disk.text, this.base)) return this.settle(undefined);
      this.settle(mergeLabels(this.base, text, disk.text, this.format));
    }).catch((e) => console.error(`Adapt Lab labeling: checking ${this.name} on disk failed: ${(e as Error)?.message ?? String(e)}`));
  }

  private settle(pending: MergeResult | undefined): void {
    const before = JSON.stringify(this.changedOnDisk);
    this.pending = pending;
    // A check that ends after the editor closed has no page to tell.
    if (!this.disposed && JSON.stringify(this.changedOnDisk) !== before) this.onChange();
  }

  private async readDisk(): Promise<DiskText | undefined> {
    try {
      const bytes = await vscode.workspace.fs.readFile(this.document.uri);
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      return { text: new TextDecoder('utf-8').decode(bytes), bom };
    } catch {
      return undefined; // deleted or unreadable: VS Code shows that on the tab itself
    }
  }
}

/** Equal up to line endings (VS Code may have normalized a file's mixed line endings in the document). */
function sameText(a: string, b: string): boolean {
  return a === b || a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
