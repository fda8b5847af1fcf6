// `adapt-lab run X.experiment.json`: runs the grid (or, with --dry-run, estimates it), then prints the report.
// Progress goes to stderr, one line per cell event and about ten per training run; stdout carries only the report
// (or the estimates), so it can be redirected to a file. Exit codes: 0 all cells done, 1 some failed (the report
// is still printed), 2 a problem with the input, 130 interrupted.
import { formatEngineering, formatReport } from '../../engine/runs/report';
import { runExperiment, type GridEvent, type GridResult } from '../../engine/grid';
import type { Command } from '../command';
import { reportStatus } from '../common';
import { UserError } from '../../engine/errors';

export const run: Command = {
  summary: 'run an experiment grid (train, evaluate, measure) and print the report',
  usage: `adapt-lab run X.experiment.json [--runs-dir D] [--dry-run] [--only TEXT]

Runs every cell of the experiment's grid (method × model × train size × seed) that is not done yet, recording each
run under the runs folder (default: .adapt-lab/runs beside the experiment file), then prints the results table.
Run it again to resume: finished cells are skipped; failed, cancelled and interrupted ones run again.

  --runs-dir D   keep runs in folder D
  --dry-run      list the cells with their estimated training FLOPs and time on this machine; train nothing
  --only TEXT    only cells whose id contains TEXT (and the unfinished teachers they need)

Progress is printed on stderr, the report on stdout. Ctrl-C stops after the current training step and marks the run
cancelled (a second Ctrl-C quits at once). Exit code 0: all cells done; 1: some failed; 2: invalid input; 130:
interrupted.`,
  options: { 'runs-dir': { type: 'string' }, 'dry-run': { type: 'boolean' }, only: { type: 'string' } },
  async run(values, positionals) {
    if (positionals.length !== 1) {
      throw new UserError(positionals.length === 0 ? 'no experiment file given' : `expected one experiment file, got ${positionals.length}`,
        { field: 'run' }, 'Run `adapt-lab run path/to/name.experiment.json`, e.g. examples/sms-spam.experiment.json.');
    }
    const controller = new AbortController();
    const stopListening = interruptsAbort(controller);
    let result: GridResult;
    try {
      result = await runExperiment(positionals[0], {
        runsDir: typeof values['runs-dir'] === 'string' ? values['runs-dir'] : undefined,
        dryRun: values['dry-run'] === true,
        only: typeof values.only === 'string' ? values.only : undefined,
        signal: controller.signal,
        onEvent: progressPrinter(),
      });
    } finally {
      stopListening();
    }
    if (result.dryRun) {
      process.stdout.write(formatDryRun(result));
      return 0;
    }
    process.stdout.write(formatReport(result.runs));
    process.stdout.write(`\nRuns: ${result.runsDir}\n`);
    if (result.cancelled) return 130;
    return result.failed > 0 ? 1 : 0;
  },
};

/** SIGINT / SIGTERM cancel the grid gracefully; a second one quits at once (the lock is released on exit). */
function interruptsAbort(controller: AbortController): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      process.stderr.write(`adapt-lab: ${signal} again: quitting now; the interrupted run will be run again next time\n`);
      process.exit(130);
    }
    process.stderr.write(`adapt-lab: ${signal}: stopping after the current step (press Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Grid events as lines on stderr: each cell's start and end, and about ten progress lines per training run. */
export function progressPrinter(write: (line: string) => void = (l) => process.stderr.write(l + '\n')): (e: GridEvent) => void {
  let lastProgress = 0;
  const tag = (index: number, total: number, cellId: string) => `[${index + 1}/${total}] ${cellId}`;
  let total = 0;
  return (e) => {
    switch (e.type) {
      case 'grid-start':
        total = e.cells.length;
        reportStatus(`backend: ${e.backend}, ${e.threads} thread(s)`);
        write(`adapt-lab: experiment "${e.experiment}": ${e.cells.length} cell(s); runs in ${e.runsDir}`);
        break;
      case 'cell-start':
        lastProgress = 0;
        write(`${tag(e.index, e.total, e.cellId)}: training${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`);
        break;
      case 'progress': {
        const every = Math.max(1, Math.ceil(e.totalSteps / 10));
        const now = Date.now();
        if (e.step % every !== 0 && e.step !== e.totalSteps && now - lastProgress < 30_000) break;
        lastProgress = now;
        write(`${tag(e.index, total, e.cellId)}: step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)}`);
        break;
      }
      case 'cell-end': {
        const t = tag(e.index, e.total, e.cellId);
        const secs = e.seconds !== undefined ? `, ${e.seconds.toFixed(1)} s` : '';
        if (e.status === 'done') write(`${t}: done — accuracy ${e.accuracy!.toFixed(3)}, macro-F1 ${e.macroF1!.toFixed(3)}${secs}`);
        else if (e.status === 'skipped') write(`${t}: skipped (${e.reason})`);
        else if (e.status === 'failed') write(`${t}: FAILED: ${e.reason}`);
        else write(`${t}: cancelled${secs}`);
        break;
      }
      case 'log':
        write(`adapt-lab: ${e.level === 'info' ? '' : `${e.level}: `}${e.message}`);
        break;
      case 'grid-end':
        write(`adapt-lab: ${e.done} done, ${e.skipped} skipped, ${e.failed} failed${e.cancelled ? ', cancelled' : ''}`);
        break;
    }
  };
}

function formatDryRun(result: GridResult): string {
  const { estimates, how } = result.dryRun!;
  const rows = estimates.map((c) => [c.cellId, c.action === 'run' ? 'run' : `skip (${c.reason})`, formatEngineering(c.trainFlops), c.action === 'run' ? formatDuration(c.seconds) : '–']);
  const head = ['cell', 'action', 'train FLOPs', 'est. time'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => (i >= 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  const toRun = estimates.filter((c) => c.action === 'run');
  const flops = toRun.reduce((a, c) => a + c.trainFlops, 0);
  const seconds = toRun.reduce((a, c) => a + c.seconds, 0);
  return [
    line(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    `To run: ${toRun.length} of ${estimates.length} cell(s), ${formatEngineering(flops)} training FLOPs, about ${formatDuration(seconds)} (training + test-set evaluation).`,
    `Time: ${how}.`,
    'FLOPs: counted at the mean token length of the training data (each batch is padded to its longest example, so slightly more is run).',
    '',
  ].join('\n');
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
