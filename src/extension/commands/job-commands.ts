// Cancel Job and the status bar's job menu.
import * as vscode from 'vscode';
import type { Services } from '../services';

export async function cancelJob(s: Services): Promise<void> {
  const jobs = s.jobs.running;
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage('Adapt Lab: no job is running.');
    return;
  }
  const job = jobs.length === 1 ? jobs[0] : (await vscode.window.showQuickPick(jobs.map((j) => ({ label: j.title, job: j })), { placeHolder: 'Cancel which job?' }))?.job;
  if (job) s.jobs.cancel(job.lane, job.id);
}

export async function showJobs(s: Services): Promise<void> {
  const items: (vscode.QuickPickItem & { run(): unknown })[] = [
    ...s.jobs.running.map((j) => ({ label: `$(close) Cancel ${j.title}`, run: () => s.jobs.cancel(j.lane, j.id) })),
    { label: '$(output) Show Log', run: () => s.jobs.output.show(true) },
    { label: '$(list-tree) Show Runs', run: () => vscode.commands.executeCommand('adaptLab.runs.focus') },
  ];
  (await vscode.window.showQuickPick(items, { placeHolder: 'Adapt Lab jobs' }))?.run();
}
