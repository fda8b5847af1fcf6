// The objects the commands share, created once at activation (each is cheap to create; the work they do is
// lazy), so command modules can be loaded on first use.
import type * as vscode from 'vscode';
import type { JobManager } from './jobs/job-manager';
import type { ReportDocuments } from './report-documents';
import type { RunsView } from './views/runs-view';
import type { ExperimentIndex } from './workspace-index';

export interface Services {
  context: vscode.ExtensionContext;
  jobs: JobManager;
  reports: ReportDocuments;
  experiments: ExperimentIndex;
  runs: RunsView;
}
