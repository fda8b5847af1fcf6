// The Content Security Policy of every webview the extension creates, checked on the page the extension really
// builds: the dashboard panel (opened, and revived after a reload) and the labeling editor are driven through
// their vscode-facing code with a stand-in `vscode` module and a fake webview that records its options and HTML.
// Each page must have default-src 'none', scripts only by a fresh nonce, nothing from a remote origin or inline,
// and localResourceRoots limited to the extension's own dist/ folder. A scan of src/extension makes sure no
// webview is created somewhere this test does not look.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../grid/helpers';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const extensionRoot = repoRoot;
const workspace = mkdtempSync(path.join(tmpdir(), 'adapt-lab-csp-'));

class Uri {
  readonly scheme = 'file';
  constructor(readonly fsPath: string) {}
  get path(): string {
    return this.fsPath;
  }
  static file(p: string): Uri {
    return new Uri(path.resolve(p));
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(path.join(base.fsPath, ...parts));
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

interface RecordedWebview {
  viewType: string;
  options: { enableScripts?: boolean; localResourceRoots?: Uri[] };
  html: string;
}

const webviews: RecordedWebview[] = [];
const disposable = { dispose() {} };
const event = () => disposable;

function fakePanel(viewType: string, options: RecordedWebview['options'] = {}) {
  const record: RecordedWebview = { viewType, options, html: '' };
  webviews.push(record);
  const webview = {
    cspSource: CSP_SOURCE,
    get options() {
      return record.options;
    },
    set options(o: RecordedWebview['options']) {
      record.options = o;
    },
    get html() {
      return record.html;
    },
    set html(h: string) {
      record.html = h;
    },
    // What VS Code does: a local file becomes a URL under the webview's resource origin.
    asWebviewUri: (u: Uri) => ({ toString: () => `${CSP_SOURCE}${u.fsPath}`, path: u.fsPath }),
    onDidReceiveMessage: event,
    postMessage: async () => true,
  };
  return { viewType, webview, active: true, visible: true, onDidDispose: event, onDidChangeViewState: event, reveal() {}, dispose() {} };
}

/** A permissive stand-in for anything not listed: callable, any property, awaitable as undefined. */
function stub(): unknown {
  const target = function () {} as unknown as Record<string | symbol, unknown>;
  return new Proxy(target, {
    get: (_t, p) => (p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : p === 'dispose' ? () => {} : stub()),
    apply: () => stub(),
    construct: () => stub() as object,
  });
}
const lenient = <T extends object>(o: T): T => new Proxy(o, { get: (t, p) => (p in t ? (t as Record<string | symbol, unknown>)[p] : stub()) });

const fakeVscode = lenient({
  Uri,
  ViewColumn: { Active: -1, One: 1 },
  RelativePattern: class { constructor(readonly base: unknown, readonly pattern: string) {} },
  EventEmitter: class { event = event; fire() {} dispose() {} },
  Disposable: class { static from() { return disposable; } dispose() {} },
  window: lenient({ createWebviewPanel: (viewType: string, _title: string, _column: unknown, options: RecordedWebview['options']) => fakePanel(viewType, options) }),
  workspace: lenient({
    isTrusted: true,
    workspaceFolders: [{ uri: Uri.file(workspace), name: 'ws', index: 0 }],
    findFiles: async () => [],
    createFileSystemWatcher: () => ({ onDidCreate: event, onDidChange: event, onDidDelete: event, dispose() {} }),
    onDidChangeConfiguration: event,
    onDidChangeTextDocument: event,
    getConfiguration: () => ({ get: (_k: string, d: unknown) => d }),
    getWorkspaceFolder: () => undefined,
  }),
  commands: lenient({ executeCommand: async () => undefined }),
});

/** Loads an extension module with `vscode` resolved to the stand-in. */
function loadWithFakeVscode<T>(file: string): T {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakeVscode : original(request, ...rest));
  try {
    return require(file) as T;
  } finally {
    loader._load = original;
  }
}

interface DashboardModule {
  DashboardPanel: { show(extensionUri: Uri, arg?: unknown): { dispose(): void }; revive(panel: unknown, extensionUri: Uri): { dispose(): void } };
}
interface LabelingModule {
  LabelingEditorProvider: new (services: unknown) => { resolveCustomTextEditor(document: unknown, panel: unknown): Promise<void> };
}

const extensionUri = Uri.file(extensionRoot);

async function openAll(): Promise<void> {
  const { DashboardPanel } = loadWithFakeVscode<DashboardModule>(path.join(repoRoot, 'src', 'extension', 'dashboard', 'panel.ts'));
  DashboardPanel.show(extensionUri).dispose();
  DashboardPanel.show(extensionUri).dispose(); // a second load must get a fresh nonce
  DashboardPanel.revive(fakePanel('adaptLab.dashboard'), extensionUri).dispose();

  const { LabelingEditorProvider } = loadWithFakeVscode<LabelingModule>(path.join(repoRoot, 'src', 'extension', 'labeling', 'labeling-editor.ts'));
  const context = { extensionUri, workspaceState: { get: (_k: string, d: unknown) => d, update: async () => {} }, subscriptions: [] };
  const provider = new LabelingEditorProvider({ context });
  // A row whose text is markup: it must never reach the page's HTML (the webview receives rows as messages).
  const file = path.join(workspace, 'data.jsonl');
  const text = '{"text": "<script>alert(1)</script><img src=https://evil.example/x.png>", "label": "spam"}\n{"text": "fine"}\n';
  writeFileSync(file, text);
  for (let i = 0; i < 2; i++) {
    const document = { uri: Uri.file(file), fileName: file, getText: () => text, version: 1, isDirty: false, languageId: 'jsonl' };
    await provider.resolveCustomTextEditor(document, fakePanel('adaptLab.labeling'));
  }
}

/** The directives of the page's one CSP meta tag. */
function policyOf(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)];
  assert.equal(metas.length, 1, 'exactly one CSP meta tag');
  const content = metas[0][1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<');
  const directives = new Map<string, string[]>();
  for (const part of content.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const [name, ...sources] = part.split(/\s+/);
    assert.ok(!directives.has(name), `directive ${name} given twice`);
    directives.set(name, sources);
  }
  return directives;
}

function checkPage(w: RecordedWebview): string {
  const where = `${w.viewType} page:\n${w.html}`;
  const csp = policyOf(w.html);
  assert.deepEqual(csp.get('default-src'), ["'none'"], where);

  // Scripts: only by nonce; no inline code, no eval, no host, no wildcard.
  const scriptSrc = csp.get('script-src');
  assert.ok(scriptSrc && scriptSrc.length === 1, `script-src must be exactly one nonce: ${where}`);
  const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(scriptSrc[0])?.[1];
  assert.ok(nonce, `script-src must be a nonce of at least 16 characters, got ${scriptSrc[0]}`);
  const scripts = [...w.html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.ok(scripts.length > 0, where);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, new RegExp(`\\bnonce="${nonce.replace(/[+/=]/g, '\\$&')}"`), `a script without the page's nonce: ${where}`);
    assert.equal(body.trim(), '', `an inline script: ${where}`);
  }
  assert.doesNotMatch(w.html, /\son[a-z]+\s*=/i, `an inline event handler: ${where}`);
  assert.doesNotMatch(w.html, /javascript:/i, where);

  // No origin but the webview's own resource origin, in any directive or any URL of the page.
  for (const [name, sources] of csp) {
    for (const s of sources) {
      const allowed = s === CSP_SOURCE || s === "'none'" || s === `'nonce-${nonce}'`;
      assert.ok(allowed, `${name} allows ${s}: ${where}`);
    }
  }
  for (const [, url] of w.html.matchAll(/\b(?:src|href)="([^"]*)"/gi)) {
    assert.ok(url.startsWith(`${CSP_SOURCE}/`), `a resource from outside the webview's origin: ${url}`);
    // ...and inside a localResourceRoot (VS Code serves nothing else), and there on disk after a build.
    const file = url.slice(CSP_SOURCE.length);
    assert.ok(w.options.localResourceRoots?.some((r) => file.startsWith(r.fsPath + path.sep)), `${file} is outside localResourceRoots`);
  }

  // Scripts enabled, and resources only from the extension's own build output: not the workspace, not the
  // extension's source tree, node_modules or the user's home.
  assert.equal(w.options.enableScripts, true);
  const roots = w.options.localResourceRoots;
  assert.ok(roots && roots.length > 0, `${w.viewType}: localResourceRoots must be set (the default is the whole workspace)`);
  for (const r of roots) assert.equal(r.fsPath, path.join(extensionRoot, 'dist'), `${w.viewType}: root ${r.fsPath}`);
  return nonce;
}

test('every webview: default-src none, scripts only by a fresh nonce, no remote origin, resources only from dist/', async () => {
  await openAll();
  const byType = new Map<string, RecordedWebview[]>();
  for (const w of webviews) byType.set(w.viewType, [...(byType.get(w.viewType) ?? []), w]);
  assert.deepEqual([...byType.keys()].sort(), ['adaptLab.dashboard', 'adaptLab.labeling']);
  for (const [type, pages] of byType) {
    const nonces = pages.map((w) => checkPage(w));
    assert.equal(new Set(nonces).size, nonces.length, `${type}: a nonce was reused across loads`);
  }
  for (const w of byType.get('adaptLab.labeling')!) {
    assert.doesNotMatch(w.html, /evil\.example|alert\(1\)/, 'dataset text reached the page HTML');
  }
});

test('no webview is created anywhere this test does not drive', () => {
  const creators: string[] = [];
  const scan = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) scan(p);
      else if (p.endsWith('.ts') && /createWebviewPanel\(|registerWebviewViewProvider\(|\.html\s*=[^=]/.test(readFileSync(p, 'utf8'))) {
        creators.push(path.relative(repoRoot, p));
      }
    }
  };
  scan(path.join(repoRoot, 'src', 'extension'));
  assert.deepEqual(creators.sort(), ['src/extension/dashboard/panel.ts', 'src/extension/labeling/labeling-editor.ts']);
});

after(() => rmSync(workspace, { recursive: true, force: true }));
