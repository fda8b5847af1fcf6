// Writing what the dashboard exports: the user picks the file (a save dialog, defaulting to the workspace), and the
// bytes go through vscode.workspace.fs so that remote workspaces (SSH, containers, code-server) work the same.
import * as vscode from 'vscode';
import type { ExportFormat } from '../../../webview/dashboard/protocol';

const FILTERS: Record<ExportFormat | 'html', Record<string, string[]>> = {
  svg: { 'SVG image': ['svg'] },
  png: { 'PNG image': ['png'] },
  csv: { 'CSV table': ['csv'] },
  html: { 'HTML report': ['html'] },
};

/** The bytes of an export as the webview sent it: text, or a PNG data URL. Throws on anything else. */
export function exportBytes(format: ExportFormat | 'html', content: string): Uint8Array {
  if (format !== 'png') return new TextEncoder().encode(content);
  const prefix = 'data:image/png;base64,';
  if (!content.startsWith(prefix)) throw new Error('the PNG export is not a PNG data URL');
  const bytes = Buffer.from(content.slice(prefix.length), 'base64');
  // The PNG signature: a data URL of anything else is refused rather than saved under a .png name.
  if (!bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('the PNG export is not a PNG image');
  return bytes;
}

/** Asks where to save, writes; the saved file's path, or undefined when the user cancelled. */
export async function saveExport(format: ExportFormat | 'html', name: string, bytes: Uint8Array): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: `Export ${name}`,
    saveLabel: 'Export',
    filters: FILTERS[format],
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  return target.scheme === 'file' ? target.fsPath : target.toString();
}
