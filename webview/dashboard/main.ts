// Entry of the dashboard webview bundle (esbuild → dist/dashboard.js, loaded by src/extension/dashboard/html.ts).
import { connectHost } from '../common/vscode-api';
import { App } from './app';
import type { ViewMessage } from './protocol';
import { applyStyles } from './ui/styles';
import { registerToolkit } from './ui/toolkit';

const root = document.getElementById('app');
try {
  if (!root) throw new Error('the page has no #app element');
  applyStyles();
  registerToolkit();
  new App(connectHost<ViewMessage>('dashboard'), root).start();
} catch (e) {
  // Text only: the message may quote data.
  if (root) root.textContent = `The dashboard could not start: ${(e as Error).message}`;
  throw e;
}
