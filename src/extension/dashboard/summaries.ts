// Run records as the dashboard's webview receives them. The list carries only what grouping, charts and the table
// read (5,000 runs must post quickly); a run's full detail — training options, per-class metrics, confusion
// matrix, training log — is sent when the user opens it. Pure: no vscode, no file access.
import type { MetricsEntry } from '../../engine/runs/store';
import type { RunRecord } from '../../engine/runs/record';
import type { LogEntry, RunDetail, RunSummary } from '../../../webview/dashboard/protocol';

export function toSummary(run: RunRecord, ref: string): RunSummary {
  const s: RunSummary = {
    ref, id: run.id, experiment: run.experiment, method: run.method, model: run.model, trainSize: run.trainSize, seed: run.seed,
    status: run.status, attempt: run.attempt, updatedAt: run.updatedAt,
  };
  if (run.teacher) s.teacher = { ...run.teacher };
  if (run.metrics) s.metrics = { accuracy: run.metrics.accuracy, macroF1: run.metrics.macroF1 };
  if (run.cost) s.cost = { ...run.cost };
  if (run.data) s.data = { labeled: run.data.labeled, unlabeled: run.data.unlabeled };
  if (run.notice) s.notice = run.notice;
  if (run.error) s.error = run.error;
  if (run.finishedAt) s.finishedAt = run.finishedAt;
  return s;
}

/** A value of the resolved training options, as text: strings as they are, anything else as JSON. */
function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}

export function toDetail(run: RunRecord, ref: string, log: readonly MetricsEntry[], logProblem?: string): RunDetail {
  const facts: Array<[string, string]> = [['run', run.id], ['cell', run.cellId], ['experiment', run.experiment]];
  if (run.experimentFile) facts.push(['experiment file', run.experimentFile]);
  if (run.modelSource && run.modelSource !== run.model) facts.push(['model source', run.modelSource]);
  if (run.teacher) facts.push(['teacher', [run.teacher.method, run.teacher.model, run.teacher.runId].filter(Boolean).join(' · ')]);
  if (run.zeroShot) facts.push(['zero-shot', 'yes']);
  facts.push(['attempt', String(run.attempt)], ['created', run.createdAt]);
  if (run.startedAt) facts.push(['started', run.startedAt]);
  if (run.finishedAt) facts.push(['finished', run.finishedAt]);
  if (run.labels) facts.push(['labels', run.labels.join(', ')]);
  if (run.dataHash) facts.push(['data hash', run.dataHash]);
  if (run.versions) for (const [k, v] of Object.entries(run.versions)) facts.push([`version: ${k}`, show(v)]);
  const detail: RunDetail = {
    summary: toSummary(run, ref),
    training: Object.entries(run.training).map(([k, v]) => [k, show(v)]),
    facts,
    // Only the entries the log format defines; anything else in a hand-edited log is left out.
    log: log.flatMap((e): LogEntry[] => {
      const o = e as unknown as Record<string, unknown>;
      const fin = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
      if (!(Number.isInteger(o.step) && (o.step as number) >= 0)) return [];
      if ((o.split === 'train' || o.split === 'dev' || o.split === 'test') && fin(o.accuracy) && fin(o.macroF1)) {
        return [{ step: o.step as number, split: o.split, accuracy: o.accuracy as number, macroF1: o.macroF1 as number }];
      }
      return fin(o.loss) && fin(o.lr) ? [{ step: o.step as number, loss: o.loss as number, lr: o.lr as number }] : [];
    }),
  };
  if (run.metrics) {
    detail.perClass = run.metrics.perClass;
    detail.confusion = run.metrics.confusion;
  }
  if (logProblem) detail.logProblem = logProblem;
  return detail;
}
