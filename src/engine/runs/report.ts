// The results table: method × model × train size, with accuracy and macro-F1 as mean ± std over seeds and the
// costs the study trades them against. When any run carries a notice (e.g. it used randomly initialised weights),
// the notice is printed above and below the table in a banner: a table of numbers is easily copied on its own, and
// the caveat must travel with it. `reportJson` gives the same content structured, for `--json`.
import { aggregateRuns, teacherLabel, type AggregateRow, type GroupableRun, type Stat } from '../analysis/group';
import type { RunRecord, RunStatus } from './record';

export interface ReportNotice {
  text: string;
  /** Runs (finished, in the table) carrying it, out of `of`. */
  runs: number;
  of: number;
}

export interface ReportJson {
  notices: ReportNotice[];
  rows: AggregateRow[];
  /** Runs left out of the table because they have not finished successfully. */
  notIncluded: Partial<Record<RunStatus, number>>;
}

/** Takes run records, or anything with the fields grouping reads (the dashboard's run summaries). */
export function reportJson(runs: readonly GroupableRun[]): ReportJson {
  const done = runs.filter((r) => r.status === 'done' && r.metrics);
  const counts = new Map<string, number>();
  for (const r of done) if (r.notice) counts.set(r.notice, (counts.get(r.notice) ?? 0) + 1);
  const notIncluded: Partial<Record<RunStatus, number>> = {};
  for (const r of runs) if (!done.includes(r)) notIncluded[r.status] = (notIncluded[r.status] ?? 0) + 1;
  return {
    notices: [...counts].map(([text, n]) => ({ text, runs: n, of: done.length })),
    rows: aggregateRuns(done),
    notIncluded,
  };
}

export function formatReportJson(runs: readonly RunRecord[]): string {
  return JSON.stringify(reportJson(runs), null, 2) + '\n';
}

export function formatReport(runs: readonly RunRecord[]): string {
  const { notices, rows, notIncluded } = reportJson(runs);
  const out: string[] = [];
  const banner = noticeBanner(notices);
  if (banner) out.push(banner, '');

  if (rows.length === 0) {
    out.push('No finished runs yet.');
  } else {
    const experiments = new Set(rows.map((r) => r.experiment));
    const withTeacher = rows.some((r) => r.teacher);
    // Mark rows with a notice only when some rows have none; when all do, the banner says it for every row.
    const markRows = notices.length > 0 && rows.some((r) => r.notices.length === 0);
    const columns: Column[] = [
      ...(markRows ? [{ head: '!', align: 'left' as const, cell: (r: AggregateRow) => (r.notices.length > 0 ? '!' : '') }] : []),
      ...(experiments.size > 1 ? [{ head: 'experiment', align: 'left' as const, cell: (r: AggregateRow) => r.experiment }] : []),
      { head: 'method', align: 'left', cell: (r) => r.method },
      ...(withTeacher ? [{ head: 'teacher', align: 'left' as const, cell: (r: AggregateRow) => teacherLabel(r) || '-' }] : []),
      { head: 'model', align: 'left', cell: (r) => r.model },
      { head: 'train n', align: 'right', cell: (r) => (r.trainSize === 0 ? '0 (zero-shot)' : String(r.trainSize)) },
      { head: 'seeds', align: 'right', cell: (r) => String(r.n) },
      { head: 'accuracy', align: 'right', cell: (r) => formatStat(r.accuracy) },
      { head: 'macro-F1', align: 'right', cell: (r) => formatStat(r.macroF1) },
      { head: 'train FLOPs', align: 'right', cell: (r) => formatEngineering(r.trainFlops) },
      { head: 'infer FLOPs/ex', align: 'right', cell: (r) => formatEngineering(r.inferFlopsPerExample) },
      { head: 'p50 ms', align: 'right', cell: (r) => (r.latencyMsP50 === null ? '–' : r.latencyMsP50.toFixed(r.latencyMsP50 < 10 ? 2 : 1)) },
    ];
    out.push(...table(columns, rows));
    out.push('', 'accuracy and macro-F1: mean ± sample std over seeds on the test set; costs: mean over seeds.');
    const superseded = rows.reduce((a, r) => a + r.superseded, 0);
    if (superseded > 0) out.push(`${superseded} older run(s) of the same cell and seed were left out in favour of the latest.`);
  }
  const pending = Object.entries(notIncluded).map(([status, n]) => `${n} ${status}`);
  if (pending.length > 0) out.push(`Not in the table: ${pending.join(', ')}.`);
  if (banner) out.push('', banner);
  return out.join('\n') + '\n';
}

const BANNER_WIDTH = 100;

function noticeBanner(notices: readonly ReportNotice[]): string | undefined {
  if (notices.length === 0) return undefined;
  const rule = '!'.repeat(BANNER_WIDTH);
  const lines = notices.flatMap((n) =>
    wrap(`NOTICE: ${n.text}${n.runs < n.of ? ` (${n.runs} of ${n.of} runs)` : ' (all runs)'}`, BANNER_WIDTH - 3).map((l) => `!! ${l}`),
  );
  return [rule, ...lines, rule].join('\n');
}

/** Greedy word wrap; a word longer than the width stands on its own line. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') out.push(line);
  return out;
}

/** `0.812 ± 0.021`; with one seed the spread is unknown: `0.812 ± –`. */
export function formatStat(s: Stat): string {
  return `${s.mean.toFixed(3)} ± ${s.std === null ? '–' : s.std.toFixed(3)}`;
}

/**
 * Engineering notation with two significant digits: the exponent is a multiple of 3, so magnitudes line up like
 * SI prefixes (3.2e12 = 3.2 T, 45e9 = 45 G, 120e6 = 120 M). Values below 1000 are printed plainly.
 */
export function formatEngineering(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  const sign = x < 0 ? '-' : '';
  let v = Math.abs(x);
  if (v < 1000) return sign + String(Number(v.toPrecision(2)));
  let exp = Math.floor(Math.log10(v) / 3) * 3;
  let m = Number((v / 10 ** exp).toPrecision(2));
  if (m >= 1000) {
    exp += 3;
    m = Number((m / 1000).toPrecision(2));
  }
  v = m;
  const mantissa = v < 10 ? v.toFixed(1) : String(Math.round(v));
  return `${sign}${mantissa}e${exp}`;
}

interface Column {
  head: string;
  align: 'left' | 'right';
  cell: (r: AggregateRow) => string;
}

function table(columns: readonly Column[], rows: readonly AggregateRow[]): string[] {
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.head.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i].align === 'left' ? v.padEnd(widths[i]) : v.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.head)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
}
