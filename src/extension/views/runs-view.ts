// The Runs view: the workspace's runs grouped by experiment, with their status (done, failed, cancelled, running
// with live progress, queued), accuracy and train size; the context menu opens, distills from, exports or deletes
// a run. Refreshed when a grid's cell ends or a runs folder changes on disk.
import * as vscode from 'vscode';
import type { GridEvent } from '../../engine/grid/events';
import type { RunStatus } from '../../engine/runs/record';
import type { JobManager } from '../jobs/job-manager';
import { describeRun, listRuns, runsFolders, teacherCandidates, type RunEntry } from '../runs/catalog';
import { configuredRunsFolders } from '../settings';
import type { ExperimentIndex } from '../workspace-index';

type Node = { kind: 'experiment'; name: string; runs: RunEntry[] } | { kind: 'run'; entry: RunEntry } | { kind: 'problem'; text: string };

const ICONS: Record<RunStatus, [string, string | undefined]> = {
  done: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', undefined],
  running: ['sync~spin', undefined],
  queued: ['clock', undefined],
};

export class RunsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Latest training step of running runs, by run id. */
  private readonly live = new Map<string, { step: number; totalSteps: number }>();
  private throttle: NodeJS.Timeout | undefined;

  constructor(
    private readonly index: ExperimentIndex,
    jobs: JobManager,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.adapt-lab/runs/*/run.json');
    this.disposables.push(
      this.changed,
      watcher,
      watcher.onDidCreate(() => this.refresh()),
      watcher.onDidDelete(() => this.refresh()),
      index.onDidChange(() => this.refresh()),
      jobs.onRunsChanged(() => this.refresh()),
      jobs.onGridEvent((e) => this.onGridEvent(e)),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The runs as last listed (commands use them to offer choices). */
  async allRuns(): Promise<RunEntry[]> {
    const { entries } = listRuns(runsFolders(await this.index.files(), configuredRunsFolders()));
    return entries;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'experiment') return node.runs.map((entry) => ({ kind: 'run', entry }));
    if (node) return [];
    const { entries, problems } = listRuns(runsFolders(await this.index.files(), configuredRunsFolders()));
    const byExperiment = new Map<string, RunEntry[]>();
    for (const e of entries) byExperiment.set(e.run.experiment, [...(byExperiment.get(e.run.experiment) ?? []), e]);
    return [
      ...[...byExperiment].map(([name, runs]): Node => ({ kind: 'experiment', name, runs })),
      ...problems.map((text): Node => ({ kind: 'problem', text })),
    ];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'problem') {
      const item = new vscode.TreeItem(node.text);
      item.iconPath = new vscode.ThemeIcon('warning');
      return item;
    }
    if (node.kind === 'experiment') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      const done = node.runs.filter((r) => r.run.status === 'done').length;
      item.description = `${done}/${node.runs.length} done`;
      item.iconPath = new vscode.ThemeIcon('beaker');
      item.contextValue = 'runGroup';
      return item;
    }
    const { run, modelDir } = node.entry;
    const d = describeRun(run);
    const item = new vscode.TreeItem(d.label, vscode.TreeItemCollapsibleState.None);
    const live = this.live.get(run.id);
    item.description = run.status === 'running' && live ? `${d.description} · step ${live.step}/${live.totalSteps}` : d.description;
    item.tooltip = new vscode.MarkdownString(undefined, false);
    item.tooltip.appendText(`${run.id}\n${run.status}${run.error ? `: ${run.error}` : ''}${run.notice ? `\n\n${run.notice}` : ''}`);
    const [icon, color] = ICONS[run.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    // e.g. "run:done:model:teacher" — the menus' when clauses match on these words.
    const teacher = teacherCandidates([node.entry]).length === 1;
    item.contextValue = ['run', run.status, modelDir ? 'model' : '', teacher ? 'teacher' : ''].filter(Boolean).join(':');
    item.command = { command: 'adaptLab.openRun', title: 'Open Run', arguments: [node] };
    item.id = `${node.entry.runsDir}/${run.id}`;
    return item;
  }

  dispose(): void {
    clearTimeout(this.throttle);
    for (const d of this.disposables) d.dispose();
  }

  private onGridEvent(e: GridEvent): void {
    if (e.type === 'progress') {
      this.live.set(e.runId, { step: e.step, totalSteps: e.totalSteps });
      // Steps come many times a second; the view is redrawn at most once a second for them.
      if (this.throttle === undefined) {
        this.throttle = setTimeout(() => {
          this.throttle = undefined;
          this.refresh();
        }, 1000);
      }
      return;
    }
    if (e.type === 'cell-start' || e.type === 'cell-end') {
      if (e.type === 'cell-end') this.live.delete(e.runId);
      this.refresh();
    }
  }
}

/** The run a command was invoked on: a Runs view node, or nothing (the command then asks). */
export function runOfNode(arg: unknown): RunEntry | undefined {
  const node = arg as Node | undefined;
  return node?.kind === 'run' ? node.entry : undefined;
}
