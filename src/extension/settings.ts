// The extension's settings, read in one place with their types and defaults (package.json declares the same
// keys under contributes.configuration).
import * as vscode from 'vscode';
import path from 'node:path';
import { BACKEND_SETTINGS, type BackendSetting, type EngineSettings } from './jobs/launch';

export const SECTION = 'adaptLab';
export const DEFAULT_MODEL = 'google/bert_uncased_L-2_H-128_A-2';

export function engineSettings(): EngineSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const backend = c.get<string>('backend', 'auto');
  return {
    backend: (BACKEND_SETTINGS as readonly string[]).includes(backend) ? (backend as BackendSetting) : 'auto',
    workerNodePath: c.get<string>('workerNodePath', ''),
    hfCacheDir: c.get<string>('huggingFace.cacheDir', ''),
    hfOffline: c.get<boolean>('huggingFace.offline', false),
  };
}

export function defaultModel(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>('defaultModel', DEFAULT_MODEL).trim() || DEFAULT_MODEL;
}

/**
 * The runs folder for an experiment file: the `runsFolder` setting (relative to the file's workspace folder) when
 * set, else undefined — the engine's default, `.adapt-lab/runs` beside the experiment file.
 */
export function runsFolderFor(experimentFile: string): string | undefined {
  const uri = vscode.Uri.file(experimentFile);
  const setting = vscode.workspace.getConfiguration(SECTION, uri).get<string>('runsFolder', '').trim();
  if (setting === '') return undefined;
  if (path.isAbsolute(setting)) return setting;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return path.join(folder ? folder.uri.fsPath : path.dirname(experimentFile), setting);
}

/** The configured runs folder of each workspace folder, for views that list runs without an experiment at hand. */
export function configuredRunsFolders(): string[] {
  const out: string[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const setting = vscode.workspace.getConfiguration(SECTION, folder.uri).get<string>('runsFolder', '').trim();
    if (setting !== '') out.push(path.isAbsolute(setting) ? setting : path.join(folder.uri.fsPath, setting));
  }
  return out;
}

export function activeLearningPoolSize(): number {
  const n = vscode.workspace.getConfiguration(SECTION).get<number>('activeLearning.poolSize', 1000);
  return Number.isInteger(n) && n > 0 ? n : 1000;
}
