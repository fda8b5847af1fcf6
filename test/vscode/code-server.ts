// A throw-away code-server: a real VS Code workbench served to a browser, whose Node extension host runs the
// extension exactly as desktop VS Code would (fork, worker threads, the file system). Every run gets its own
// user-data, extensions, XDG and TMPDIR folders, so nothing touches ~/.config, ~/.local or another run.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Harness } from './harness';
import { logsDir } from './paths';

export interface CodeServerOptions {
  /** Names the log folder test-output/vscode-logs/<name>/ (overwritten by the next run of the same name). */
  name: string;
  /** Install this VSIX first, as a user would (`--install-extension`). */
  vsix?: string;
  /** Honour `?payload=` (extensionDevelopmentPath, extensionTestsPath): a built VS Code ignores it otherwise. */
  smokeTestDriver?: boolean;
  /** Copied into the run's workspace folder, which the workbench opens. Default: an empty folder. */
  workspace?: string;
  /** false: keep workspace trust on, for tests about the untrusted-workspace experience. Default true. */
  trustWorkspace?: boolean;
  /** User settings on top of the quiet defaults below. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
}

export interface CodeServer {
  url: string;
  runDir: string;
  workspaceDir: string;
  logDir: string;
  /** Settles when the code-server process exits (by stop() or by itself). */
  exited: Promise<void>;
  /** The workbench URL; payload entries are [key, absolute path on this machine]. */
  workbenchUrl(payload?: [string, string][]): string;
  /** Kills code-server's whole process group and removes the run folder (kept when ADAPT_LAB_E2E_KEEP=1). */
  stop(): Promise<void>;
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  // The chat/Copilot UI otherwise takes the secondary side bar and steals focus from the palette.
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // code-server saves ~1 s after each edit by default; desktop VS Code does not. Tests that check "not on disk
  // until saved" need the desktop behaviour, and any test that needs a save makes it.
  'files.autoSave': 'off',
};

/** Unix socket paths are limited to 107 bytes and VS Code puts several in TMPDIR and the data folder. */
const MAX_RUN_DIR = 40;

export async function startCodeServer(harness: Harness, opts: CodeServerOptions): Promise<CodeServer> {
  const base = os.tmpdir().length + 14 <= MAX_RUN_DIR ? os.tmpdir() : '/tmp';
  const runDir = fs.mkdtempSync(path.join(base, 'al-vsc-'));
  const d = (p: string) => path.join(runDir, p);
  for (const p of ['ud/User', 'exts', 'workspace', 'xdg', 'tmp']) fs.mkdirSync(d(p), { recursive: true });
  if (opts.workspace) fs.cpSync(opts.workspace, d('workspace'), { recursive: true });
  fs.writeFileSync(d('ud/User/settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));
  const logDir = path.join(logsDir, opts.name);
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });

  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Inherited from a VS Code terminal, these would make code-server talk to (or behave as) that VS Code.
    if (!k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  }
  Object.assign(env, { XDG_CONFIG_HOME: d('xdg'), XDG_DATA_HOME: d('xdg'), XDG_CACHE_HOME: d('xdg'), TMPDIR: d('tmp') }, opts.env);
  const common = ['--config', d('config.yaml'), '--user-data-dir', d('ud'), '--extensions-dir', d('exts')];

  if (opts.vsix) {
    try {
      const out = execFileSync(harness.node, [harness.codeServer, ...common, '--install-extension', opts.vsix], {
        env,
        timeout: 120_000,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      fs.writeFileSync(path.join(logDir, 'install.log'), out);
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      fs.writeFileSync(path.join(logDir, 'install.log'), `${err.stdout ?? ''}${err.stderr ?? ''}`);
      fs.rmSync(runDir, { recursive: true, force: true });
      throw new Error(`installing ${opts.vsix} into code-server failed: ${err.message}`);
    }
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(logDir, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const args = [harness.codeServer, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--ignore-last-opened'];
  if (opts.trustWorkspace !== false) args.push('--disable-workspace-trust');
  if (opts.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(d('workspace'));
  // Its own process group: code-server starts an agent host and more, which outlive a kill of the main pid.
  const child = spawn(harness.node, args, { env, stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.on('exit', () => { exited = true; resolve(); }));
  const killGroup = (signal: NodeJS.Signals) => {
    try { process.kill(-child.pid!, signal); } catch { /* already gone */ }
  };
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);

  const stop = async () => {
    process.off('exit', onExit);
    killGroup('SIGTERM');
    await Promise.race([exitedPromise, sleep(3000)]);
    killGroup('SIGKILL');
    if (process.env.ADAPT_LAB_E2E_KEEP !== '1') fs.rmSync(runDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (exited || Date.now() > deadline) {
      await stop();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`code-server ${exited ? 'exited' : 'did not answer /healthz within 60 s'}; ${logFile} ends:\n${tail}`);
    }
    await sleep(200);
  }

  const workbenchUrl = (payload: [string, string][] = []) => {
    let u = `${url}/?folder=${encodeURIComponent(d('workspace'))}`;
    if (payload.length > 0) {
      const remote = payload.map(([k, p]) => [k, `vscode-remote://127.0.0.1:${port}${p}`]);
      u += `&payload=${encodeURIComponent(JSON.stringify(remote))}`;
    }
    return u;
  };
  return { url, runDir, workspaceDir: d('workspace'), logDir, exited: exitedPromise, workbenchUrl, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
