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

type RunNode = { kind: 'run'; entry: RunEntry };
type Node = { kind: 'experiment'; name: string; runs: RunEntry[] } | RunNode | { kind: 'problem'; text: string };

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
  /** Runs whose live step changed since the view last redrew them. */
  private readonly stepped = new Set<string>();
  /**
   * The run nodes the view shows, by tree item id, kept from one listing to the next: a step redraws only its run
   * (the same object), where a refresh of the whole view would, while VS Code fetches it again, leave a context-menu
   * command on any run without its run (the command then has to ask which one).
   */
  private runNodes = new Map<string, RunNode>();
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
    if (node?.kind === 'experiment') return node.runs.map((entry) => this.runNode(entry));
    if (node) return [];
    const { entries, problems } = listRuns(runsFolders(await this.index.files(), configuredRunsFolders()));
    // Runs gone from disk are forgotten; the others keep their node, with the entry just read.
    const listed = new Set(entries.map(itemId));
    this.runNodes = new Map([...this.runNodes].filter(([id]) => listed.has(id)));
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
    item.id = itemId(node.entry);
    return item;
  }

  private runNode(entry: RunEntry): RunNode {
    const id = itemId(entry);
    const known = this.runNodes.get(id);
    if (known) {
      known.entry = entry;
      return known;
    }
    const node: RunNode = { kind: 'run', entry };
    this.runNodes.set(id, node);
    return node;
  }

  dispose(): void {
    clearTimeout(this.throttle);
    for (const d of this.disposables) d.dispose();
  }

  private onGridEvent(e: GridEvent): void {
    if (e.type === 'progress') {
      this.live.set(e.runId, { step: e.step, totalSteps: e.totalSteps });
      this.stepped.add(e.runId);
      // Steps come many times a second; their runs are redrawn at most once a second, each on its own.
      if (this.throttle === undefined) {
        this.throttle = setTimeout(() => {
          this.throttle = undefined;
          const nodes = [...this.runNodes.values()].filter((n) => this.stepped.has(n.entry.run.id) && n.entry.run.status === 'running');
          // A run listed before its record said "running" (or not listed yet) needs the whole view read again.
          if (nodes.length < this.stepped.size) this.refresh();
          else for (const n of nodes) this.changed.fire(n);
          this.stepped.clear();
        }, 1000);
      }
      return;
    }
    if (e.type === 'cell-start' || e.type === 'cell-end') {
      if (e.type === 'cell-end') {
        this.live.delete(e.runId);
        this.stepped.delete(e.runId);
      }
      this.refresh();
    }
  }
}

function itemId(entry: RunEntry): string {
  return `${entry.runsDir}/${entry.run.id}`;
}

/** The run a command was invoked on: a Runs view node, or nothing (the command then asks). */
export function runOfNode(arg: unknown): RunEntry | undefined {
  const node = arg as Node | undefined;
  return node?.kind === 'run' ? node.entry : undefined;
}
