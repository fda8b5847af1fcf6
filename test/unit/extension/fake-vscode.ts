// A stand-in for the `vscode` module, enough to load the extension bundle and call activate() outside VS Code:
// every API it touches exists and returns a disposable, and registrations are recorded for the test to check.
// Any property not listed resolves to a permissive stub, so the activation path never fails on a missing API —
// what matters here is what activation registers and how long it takes, not VS Code's behaviour.

export interface Recorded {
  commands: string[];
  treeViews: string[];
  customEditors: string[];
  codeLensSelectors: unknown[];
}

/** A value that tolerates any use: callable, constructible, any property, awaitable as undefined. */
function stub(): unknown {
  const target = function () {} as unknown as Record<string | symbol, unknown>;
  const proxy: unknown = new Proxy(target, {
    get: (_t, p) => (p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : p === 'dispose' ? () => {} : stub()),
    apply: () => stub(),
    construct: () => stub() as object,
  });
  return proxy;
}

export function fakeVscode(recorded: Recorded): Record<string, unknown> {
  const disposable = { dispose() {} };
  class EventEmitter<T> {
    private listeners: ((e: T) => void)[] = [];
    event = (l: (e: T) => void) => {
      this.listeners.push(l);
      return disposable;
    };
    fire(e: T) {
      for (const l of this.listeners) l(e);
    }
    dispose() {}
  }
  const event = () => disposable;
  const api: Record<string, unknown> = {
    EventEmitter,
    Disposable: class { static from() { return disposable; } dispose() {} },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2 },
    Uri: { file: (p: string) => ({ fsPath: p, path: p, scheme: 'file', toString: () => `file://${p}` }), joinPath: () => stub(), from: () => stub() },
    commands: {
      registerCommand: (id: string) => {
        recorded.commands.push(id);
        return disposable;
      },
      executeCommand: async () => undefined,
    },
    window: {
      createOutputChannel: () => ({ appendLine() {}, show() {}, dispose() {} }),
      createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
      registerTreeDataProvider: (id: string) => {
        recorded.treeViews.push(id);
        return disposable;
      },
      registerCustomEditorProvider: (id: string) => {
        recorded.customEditors.push(id);
        return disposable;
      },
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
    },
    workspace: {
      isTrusted: true,
      workspaceFolders: [],
      textDocuments: [],
      createFileSystemWatcher: () => ({ onDidCreate: event, onDidDelete: event, onDidChange: event, dispose() {} }),
      registerTextDocumentContentProvider: () => disposable,
      onDidOpenTextDocument: event,
      onDidChangeTextDocument: event,
      onDidCloseTextDocument: event,
      onDidGrantWorkspaceTrust: event,
      onDidChangeConfiguration: event,
      getConfiguration: () => ({ get: (_k: string, d: unknown) => d }),
      findFiles: async () => [],
    },
    languages: {
      createDiagnosticCollection: () => ({ set() {}, delete() {}, get() {}, dispose() {} }),
      registerCodeLensProvider: (selector: unknown) => {
        recorded.codeLensSelectors.push(selector);
        return disposable;
      },
      registerCodeActionsProvider: () => disposable,
      registerHoverProvider: () => disposable,
    },
    CodeActionKind: { QuickFix: 'quickfix' },
  };
  // Anything not listed, at the top or inside a namespace, is a permissive stub.
  const lenient = (o: Record<string, unknown>) => new Proxy(o, { get: (t, p) => (p in t ? t[p as string] : stub()) });
  for (const ns of ['commands', 'window', 'workspace', 'languages']) api[ns] = lenient(api[ns] as Record<string, unknown>);
  return lenient(api);
}
