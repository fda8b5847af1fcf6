// Files the Adapt Lab integration suites work on, written into the workspace VS Code has open: the reference
// fixture model (a real 2-layer BERT), a few SMS messages, a prompt template and a tiny experiment. Not a suite
// itself (bundled into the suites that import it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixtureDir } from '../../lib/shared';
import type { GridOutcome } from '../../../src/extension/jobs/job-manager';
import type { Services } from '../../../src/extension/services';

/** Suites are bundled to out/integration/suite/, three levels below the repository root. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
/**
 * The reference fixture model, copied into the workspace: a model folder outside the workspace needs the person's
 * confirmation before a run reads it (the extension's path guard), which no test can give in the extension host.
 */
export const fixtureModel = copyIntoWorkspace(fixtureDir, 'bert-L2-H64-A2',
  ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']);

function copyIntoWorkspace(from: string, name: string, files: string[]): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) throw new Error('the integration tests need a workspace folder');
  const to = path.join(root, 'fixtures', name);
  fs.mkdirSync(to, { recursive: true });
  for (const f of files) {
    if (fs.existsSync(path.join(to, f))) continue;
    fs.copyFileSync(path.join(from, f), path.join(to, f));
    fs.chmodSync(path.join(to, f), 0o644);
  }
  return to;
}

export async function services(): Promise<Services> {
  const ext = vscode.extensions.getExtension<Services>('adapt-lab.adapt-lab');
  if (!ext) throw new Error('adapt-lab.adapt-lab is not loaded');
  return ext.activate();
}

function smsRows(file: string, ham: number, spam: number): string {
  const lines = fs.readFileSync(path.join(repoRoot, 'data', 'sms_spam', file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const pick = (label: string, n: number) => lines.filter((l) => JSON.parse(l).label === label).slice(0, n);
  return [...pick('ham', ham), ...pick('spam', spam)].join('\n') + '\n';
}

export interface World {
  dir: string;
  experiment(name: string, maxSteps: number, extra?: Record<string, unknown>): string;
  template(name: string, content: unknown): string;
  runsDir: string;
}

/** A fresh folder in the workspace with the data and a template. */
export function makeWorld(name: string): World {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) throw new Error('the integration tests need a workspace folder');
  const dir = path.join(root, `${name}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'train.jsonl'), smsRows('train.jsonl', 16, 8));
  fs.writeFileSync(path.join(dir, 'test.jsonl'), smsRows('test.jsonl', 8, 4));
  return {
    dir,
    runsDir: path.join(dir, '.adapt-lab', 'runs'),
    experiment(file, maxSteps, extra = {}) {
      const p = path.join(dir, `${file}.experiment.json`);
      fs.writeFileSync(p, JSON.stringify({
        name: file,
        dataset: { train: 'train.jsonl', test: 'test.jsonl' },
        models: [fixtureModel],
        trainSizes: [8],
        seeds: [1],
        methods: ['finetune'],
        training: { finetune: { maxSteps, batchSize: 4, maxLength: 32, evalEverySteps: 1000 } },
        ...extra,
      }, null, 2));
      return p;
    },
    template(file, content) {
      const p = path.join(dir, `${file}.prompt.json`);
      fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return p;
    },
  };
}

export function readRun(runsDir: string, id: string): { status: string; pid?: number; error?: string } {
  return JSON.parse(fs.readFileSync(path.join(runsDir, id, 'run.json'), 'utf8'));
}

/** Resolves on the first grid event of the running grid that `match` accepts. */
export function gridEvent(s: Services, match: (e: Parameters<Parameters<Services['jobs']['onGridEvent']>[0]>[0]) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const sub = s.jobs.onGridEvent((e) => {
      if (match(e)) {
        sub.dispose();
        resolve();
      }
    });
  });
}

/** Starts a grid of `steps` steps on `world` and waits until it trains: its run id, worker pid and outcome. */
export async function startGrid(s: Services, world: World, name: string, steps: number): Promise<{ runId: string; pid?: number; running: Thenable<GridOutcome | undefined> }> {
  let runId = '';
  const started = gridEvent(s, (e) => {
    if (e.type === 'progress') runId = e.runId;
    return e.type === 'progress';
  });
  const running = vscode.commands.executeCommand<GridOutcome>('adaptLab.runExperiment', vscode.Uri.file(world.experiment(name, steps)));
  await started;
  return { runId, pid: readRun(world.runsDir, runId).pid, running };
}
