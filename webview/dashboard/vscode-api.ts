// The webview's handle on VS Code: post messages to the extension, keep state across hide/show and reloads.
import type { ViewMessage } from './protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  post(message: ViewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** The VS Code API; outside VS Code (a test page) a stand-in that records messages on window.__dashboardPosted. */
export function connectHost(): Host {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    return { post: (m) => api.postMessage(m), getState: () => api.getState(), setState: (s) => api.setState(s) };
  }
  const w = window as unknown as { __dashboardPosted?: ViewMessage[]; __dashboardState?: unknown };
  w.__dashboardPosted = [];
  return { post: (m) => w.__dashboardPosted!.push(m), getState: () => w.__dashboardState, setState: (s) => { w.__dashboardState = s; } };
}
