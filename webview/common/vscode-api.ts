// A webview's handle on VS Code: post messages to the extension, keep state across hide/show and reloads. Shared
// by every webview bundle; each names the messages it may post (`M`), so a bundle cannot post another's messages.

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host<M> {
  post(message: M): void;
  /** What the page saved last (undefined at first): unchecked, as it may come from an older version of the page. */
  getState(): unknown;
  setState(state: unknown): void;
}

/**
 * The VS Code API (acquireVsCodeApi may be called only once per page, so call this once). Outside VS Code (a test
 * page) a stand-in that records posted messages on `window.__<name>Posted` and the state on `window.__<name>State`.
 */
export function connectHost<M>(name: string): Host<M> {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    return { post: (m) => api.postMessage(m), getState: () => api.getState(), setState: (s) => api.setState(s) };
  }
  const w = window as unknown as Record<string, unknown>;
  const posted: M[] = [];
  w[`__${name}Posted`] = posted;
  return { post: (m) => posted.push(m), getState: () => w[`__${name}State`], setState: (s) => { w[`__${name}State`] = s; } };
}
