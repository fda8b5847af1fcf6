// Select Compute Backend and Use as Default Model: settings chosen from a list instead of typed.
import * as vscode from 'vscode';
import { SECTION } from '../settings';
import { modelOfNode } from '../views/models-view';

const BACKENDS = [
  { label: 'auto', description: 'native TensorFlow when installed, else WebAssembly, else pure JavaScript' },
  { label: 'node', description: '@tensorflow/tfjs-node — fastest; must be installed where the worker runs' },
  { label: 'wasm', description: 'WebAssembly with threads — always available' },
  { label: 'cpu', description: 'pure JavaScript — correct but slow; for checking results' },
];

export async function selectBackend(): Promise<void> {
  const current = vscode.workspace.getConfiguration(SECTION).get<string>('backend', 'auto');
  const pick = await vscode.window.showQuickPick(BACKENDS.map((b) => ({ ...b, picked: b.label === current, detail: b.label === current ? 'current' : undefined })), {
    placeHolder: 'Compute backend for training and evaluation (used by the next job)',
  });
  if (!pick) return;
  await vscode.workspace.getConfiguration(SECTION).update('backend', pick.label, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Adapt Lab: compute backend set to ${pick.label}. Every run records the backend it used.`);
}

export async function useAsDefaultModel(arg?: unknown): Promise<void> {
  const model = modelOfNode(arg) ?? (await vscode.window.showInputBox({ prompt: 'Default model: a Hub id or a model folder', value: vscode.workspace.getConfiguration(SECTION).get<string>('defaultModel', '') }));
  if (!model) return;
  await vscode.workspace.getConfiguration(SECTION).update('defaultModel', model, vscode.ConfigurationTarget.Workspace);
  void vscode.window.showInformationMessage(`Adapt Lab: default model set to ${model} (for prompt templates without "model", and new experiments).`);
}
