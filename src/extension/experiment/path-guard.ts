// Paths in experiment files and prompt templates cannot make the worker read outside the workspace unless the
// person confirms. A workspace cloned from the internet could name ~/.ssh/id_rsa as its training file, or /etc as a
// model folder, and Run Experiment would read it (and copy pieces into run records). So before any command hands
// an experiment or a template to the worker, the local paths it names (engine/experiment/referenced-paths.ts) are
// resolved through symlinks and compared with the workspace folders; those outside are listed in a modal warning.
// "Allow" is remembered per file for exactly the paths listed: a new outside path asks again. Template diagnostics,
// which read a model's vocabulary and an experiment's labels in the extension host, never ask: they read an outside
// path only once it was allowed here (mayReadWithoutAsking), and say so in the meantime.
// Not escapes: Hub ids and the Hugging Face cache (models downloaded by id live there), and a runs folder or
// default model the user set in their own (not the workspace's) settings. The CLI does not ask: naming the file
// on the command line is the confirmation.
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isUserError } from '../../engine/errors';
import { experimentReferencedPaths, outsideOf, realPath, templateReferencedPaths, type ReferencedPath } from '../../engine/experiment/referenced-paths';
import { resolveModel } from '../../engine/experiment/paths';
import { hubCacheDir } from '../../engine/hub/cache';
import type { Services } from '../services';
import { defaultModel, engineSettings, runsFolderFor, SECTION } from '../settings';

/** workspaceState: for each experiment or template file, the outside paths the person allowed it to read. */
const ALLOWED = 'adaptLab.allowedOutsidePaths';
export const ALLOW_EXPERIMENT = 'Allow for This Experiment';
export const ALLOW_TEMPLATE = 'Allow for This Template';

type Entry = Pick<ReferencedPath, 'field' | 'line' | 'path'>;

/** True when `file` may run: it names nothing outside the workspace, or the person allowed it (now or before). */
export async function confirmExperimentPaths(s: Services, file: string): Promise<boolean> {
  const roots = trustedRoots();
  const runs = runsFolderChoice(file);
  if (runs.userChosen !== undefined) roots.push(realPath(runs.userChosen));
  let refs: Entry[];
  try {
    refs = experimentReferencedPaths(readFileSync(file, 'utf8'), file, { runsDir: runs.dir });
  } catch (e) {
    // An experiment that does not parse is refused by the worker before it reads anything; it says why, with the
    // line, better than a warning here could.
    if (isUserError(e)) return true;
    throw e;
  }
  if (runs.fromWorkspace !== undefined) refs.push({ field: 'adaptLab.runsFolder (workspace setting)', path: realPath(runs.fromWorkspace) });
  return confirm(s, file, outsideOf(refs, roots), ALLOW_EXPERIMENT);
}

/** The same for a template about to be previewed or measured on `dataFile`. */
export async function confirmTemplatePaths(s: Services, file: string, dataFile: string): Promise<boolean> {
  const roots = trustedRoots();
  const refs: Entry[] = templateReferencedPaths(readFileSync(file, 'utf8'), file);
  if (refs.length === 0 && !namesModel(file)) {
    // No model in the template: the adaptLab.defaultModel setting's is used. One the user set is their choice; one
    // a workspace's settings set is the workspace's, and is checked like the template's own.
    const setting = vscode.workspace.getConfiguration(SECTION, vscode.Uri.file(file)).inspect<string>('defaultModel');
    const fromWorkspace = (setting?.workspaceFolderValue ?? setting?.workspaceValue)?.trim();
    const model = resolveModel(defaultModel(), path.dirname(file));
    if (fromWorkspace && model.local) refs.push({ field: 'adaptLab.defaultModel (workspace setting)', path: realPath(model.source) });
  }
  refs.push({ field: 'data file', path: realPath(dataFile) });
  return confirm(s, file, outsideOf(refs, roots), ALLOW_TEMPLATE);
}

const allowedPaths = new vscode.EventEmitter<void>();
/** Fires when the person allows paths: what was not read before (template diagnostics) may be read now. */
export const onDidAllowPaths = allowedPaths.event;

/**
 * Whether the extension host may read `target`, named by `owner` (an experiment or template file), without asking:
 * it lies in the workspace or the Hugging Face cache, or the person allowed it for `owner` before.
 */
export function mayReadWithoutAsking(state: vscode.Memento, owner: string, target: string): boolean {
  const p = realPath(target);
  if (outsideOf([{ path: p }], trustedRoots()).length === 0) return true;
  return (state.get<Record<string, string[]>>(ALLOWED, {})[path.resolve(owner)] ?? []).includes(p);
}

async function confirm(s: Services, file: string, outside: Entry[], allow: string): Promise<boolean> {
  if (outside.length === 0) return true;
  const key = path.resolve(file);
  const memory = s.context.workspaceState.get<Record<string, string[]>>(ALLOWED, {});
  const allowed = new Set(memory[key] ?? []);
  if (outside.every((e) => allowed.has(e.path))) return true;
  const list = outside.map((e) => `${e.field}${e.line !== undefined ? ` (line ${e.line})` : ''} → ${e.path}`).join('\n');
  const choice = await vscode.window.showWarningMessage(
    `${path.basename(file)} reads ${outside.length === 1 ? 'a file' : `${outside.length} paths`} outside the workspace`,
    {
      modal: true,
      detail: `${list}\n\nA workspace from someone else can name any file of this computer here. Allow only if you expected these paths.`,
    },
    allow,
  );
  if (choice !== allow) return false;
  await s.context.workspaceState.update(ALLOWED, { ...memory, [key]: [...new Set([...allowed, ...outside.map((e) => e.path)])].sort() });
  allowedPaths.fire();
  return true;
}

/** The folders whose files an experiment may read without asking: the workspace's, and the Hugging Face cache. */
function trustedRoots(): string[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => realPath(f.uri.fsPath));
  return [...folders, realPath(engineSettings().hfCacheDir.trim() || hubCacheDir())];
}

/** Where the file's runs go, and whether the workspace's settings or the user's own chose that folder. */
function runsFolderChoice(file: string): { dir?: string; fromWorkspace?: string; userChosen?: string } {
  const dir = runsFolderFor(file);
  if (dir === undefined) return {};
  const setting = vscode.workspace.getConfiguration(SECTION, vscode.Uri.file(file)).inspect<string>('runsFolder');
  const fromWorkspace = (setting?.workspaceFolderValue ?? setting?.workspaceValue)?.trim();
  return fromWorkspace ? { dir, fromWorkspace: dir } : { dir, userChosen: dir };
}

function namesModel(file: string): boolean {
  try {
    const model = (JSON.parse(readFileSync(file, 'utf8')) as { model?: unknown } | null)?.model;
    return typeof model === 'string' && model.trim() !== '';
  } catch {
    return false;
  }
}
