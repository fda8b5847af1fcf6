// `adapt-lab report [runs folder | experiment file] [--json]`: the results table of finished runs, without running
// anything. Given an experiment file, only the runs of its cells (as the file defines them now) are shown.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../engine/errors';
import { planCells } from '../../engine/experiment/cells';
import { parseExperiment } from '../../engine/experiment/schema';
import { formatReport, formatReportJson } from '../../engine/runs/report';
import { defaultRunsDir, RunStore } from '../../engine/runs/store';
import type { Command } from '../command';

export const report: Command = {
  summary: 'print the results table of finished runs (text, or --json)',
  usage: `adapt-lab report [RUNS_DIR | X.experiment.json] [--json]

Prints accuracy and macro-F1 (mean ± std over seeds) with the costs of every group of finished runs. The argument is
a runs folder (default: .adapt-lab/runs in the current folder) or an experiment file, whose own runs are then shown.
--json prints the same content as one JSON object. Notices (e.g. randomly initialised models) are printed with it.`,
  options: { json: { type: 'boolean' } },
  async run(values, positionals) {
    if (positionals.length > 1) throw new UserError(`expected at most one runs folder or experiment file, got ${positionals.length}`, { field: 'report' }, 'Run `adapt-lab report [folder]`.');
    const target = positionals[0] ?? path.join('.adapt-lab', 'runs');
    let dir = target;
    let only: Set<string> | undefined;
    if (existsSync(target) && statSync(target).isFile()) {
      const experiment = parseExperiment(readFileSync(target, 'utf8'), target);
      dir = defaultRunsDir(experiment.file);
      only = new Set(planCells(experiment).cells.map((c) => c.runId));
    } else if (!existsSync(target)) {
      throw new UserError('no runs folder here', { file: path.resolve(target) },
        'Pass the runs folder (by default .adapt-lab/runs beside the experiment file) or the experiment file itself.');
    }
    const { runs, problems } = new RunStore(dir).list();
    for (const p of problems) process.stderr.write(`adapt-lab: warning: ${p.format()}\n`);
    const shown = only ? runs.filter((r) => only.has(r.id)) : runs;
    process.stdout.write(values.json ? formatReportJson(shown) : formatReport(shown));
    return 0;
  },
};
