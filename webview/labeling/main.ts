// Entry of the labeling webview bundle (esbuild → dist/labeling.js, with dist/labeling.css beside it; loaded by
// src/extension/labeling/html.ts).
import { connectHost } from '../common/vscode-api';
import { LabelingApp } from './app';
import type { ViewMessage } from './protocol';

const root = document.getElementById('app');
try {
  if (!root) throw new Error('the page has no #app element');
  new LabelingApp(connectHost<ViewMessage>('labeling'), root).start();
} catch (e) {
  // Text only: the message may quote data.
  if (root) root.textContent = `The labeling editor could not start: ${(e as Error).message}`;
  throw e;
}
