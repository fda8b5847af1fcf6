// UI test of the method-comparison dashboard, in code-server with the VSIX installed, on a run store made by a real
// tiny experiment (the CLI, `dist/cli.js run`, on two 1-layer random BERTs: fine-tuning, prompting with zero-shot,
// and distillation from the prompted larger model). Every view is checked against `adapt-lab report --json`; then
// the cost axis is switched, a budget set, a table row selected (and seen highlighted in the charts and opened in
// the run detail), the table exported as CSV through the save dialog, and the experiment's second seed run while
// the dashboard is open (live updates). Screenshots in the light and the dark theme go to test-output/screenshots.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { type FrameLocator } from 'playwright-core';
import { adviseBudget } from '../../src/engine/analysis/budget';
import type { AggregateRow } from '../../src/engine/analysis/group';
import { seriesNamer, shortModelName } from '../../src/engine/analysis/series';
import { formatStat } from '../../src/engine/runs/report';
import { experimentJson, L_B, makeWorld } from '../unit/grid/helpers';
import { repoRoot } from '../vscode/paths';
import { withWorkbench } from './lib/workbench';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const EXPERIMENT = 'test.experiment.json';

function experiment(seeds: number[]): Record<string, unknown> {
  return experimentJson({
    name: 'dashboard-e2e',
    trainSizes: [0, 4, 8],
    seeds,
    methods: ['finetune', 'prompt', { distill: { teacher: { method: 'prompt', model: L_B }, student: { model: './tiny-a' } } }],
  });
}

function runCli(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, HF_HUB_OFFLINE: '1' } });
  if (r.status !== 0) throw new Error(`adapt-lab ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}

function report(dir: string): AggregateRow[] {
  return (JSON.parse(runCli(['report', EXPERIMENT, '--json'], dir)) as { rows: AggregateRow[] }).rows;
}

const chartData = (view: FrameLocator, chart: string) => view.locator(`[data-chart="${chart}"]`).evaluate((el) => ({ ...(el as HTMLElement).dataset }));

/** Polls until `check` passes (the webview renders asynchronously, and live updates take a watcher round trip). */
async function eventually(what: string, check: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${what}: still failing after ${timeoutMs / 1000} s`, { cause: e });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

test('dashboard: every view against the report, cost axis, budget, selection, CSV export, live updates, light and dark', { timeout: 600_000 }, async () => {
  assert.ok(fs.existsSync(cli), `${cli} is missing; build it with: npm run build`);
  const world = await makeWorld(experiment([1]));
  try {
    runCli(['run', EXPERIMENT], world.dir);
    const rows = report(world.dir);
    assert.equal(rows.length, 12, 'finetune 2×2, prompt 2×3 (with zero-shot), distill←prompt 2');

    await withWorkbench({
      name: 'dashboard',
      workspace: world.dir,
      settings: { 'workbench.colorTheme': 'Default Light Modern' },
      ...(process.env.ADAPT_LAB_E2E_VSIX ? { vsix: process.env.ADAPT_LAB_E2E_VSIX } : {}),
    }, async (wb) => {
      const ws = wb.server.workspaceDir;
      await wb.runCommand('Adapt Lab: Open Dashboard');
      const view = await wb.findWebview('[data-chart="labels"][data-points]', 60_000);
      const nameOf = seriesNamer(rows);

      // 4. The table, grouped: exactly the report's rows and numbers.
      const table = view.locator('[data-testid="runs-table"]');
      await eventually('the table lists the report\'s rows', async () => assert.equal(await table.getAttribute('data-rows'), String(rows.length)));
      const shown = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      const expected = rows.map((r) => [nameOf(r).label, shortModelName(r.model), r.trainSize === 0 ? '0 (zero-shot)' : String(r.trainSize), String(r.n), formatStat(r.accuracy), formatStat(r.macroF1)].join(' | '));
      assert.deepEqual(shown.map((c) => [c[0], c[1], c[2], c[4], c[5], c[6]].join(' | ')).sort(), expected.sort());

      // 1. Accuracy vs labels: a panel per model, a curve per method, a point per (method, model, size > 0).
      const labels = await chartData(view, 'labels');
      assert.equal(labels.panels, '2');
      assert.equal(labels.series, 'finetune|prompt|distill←prompt');
      assert.equal(labels.points, String(rows.filter((r) => r.trainSize !== 0).length));
      // 2. Accuracy vs cost: every configuration, on inference FLOPs, then switched to latency.
      assert.equal((await chartData(view, 'cost-compute')).points, String(rows.length));
      assert.equal((await chartData(view, 'cost-data')).points, String(rows.length));
      await view.locator('[data-testid="cost-axis"]').click();
      await view.locator('[data-testid="cost-axis"] vscode-option[value="latencyMsP50"]').click();
      await eventually('the cost axis is latency', async () => assert.equal((await chartData(view, 'cost-compute')).axis, 'latencyMsP50'));
      // 6. Significance: the pair (prompt vs finetune) at each shared size, with a verdict once tested.
      await eventually('significance verdicts', async () => {
        const verdicts = await view.locator('[data-testid="significance-table"] [data-verdict]').count();
        assert.equal(verdicts, 2, 'sizes 4 and 8 on the first model');
      }, 60_000);

      // 3. Budget: at most 4 labels → the best configuration the analysis finds in the report's rows.
      await view.locator('[data-testid="budget-maxLabeled"] input').fill('4');
      const advice = adviseBudget(rows, { maxLabeled: 4 });
      const describe = (r: AggregateRow) => `${nameOf(r).label} · ${shortModelName(r.model)} · ${r.trainSize === 0 ? '0 (zero-shot)' : r.trainSize} labels`;
      await eventually('the budget advice', async () => {
        assert.match(await view.locator('[data-testid="budget-counts"]').innerText(), new RegExp(`${advice.eligible} configuration\\(s\\) fit`));
        assert.ok((await view.locator('[data-testid="budget-best"]').innerText()).includes(describe(advice.best!)));
      });

      // Select a table row: highlighted there and in the charts, opened in the run detail (5).
      const row = table.locator('tbody tr').first();
      await row.click();
      await eventually('the selection is shown everywhere', async () => {
        assert.equal(await row.getAttribute('aria-selected'), 'true');
        assert.equal((await chartData(view, 'cost-compute')).selected, '1');
        assert.equal((await chartData(view, 'cost-data')).selected, '1');
        assert.ok((await view.locator('[data-testid="run-detail"]').count()) >= 1);
        assert.ok((await view.locator('[data-testid="confusion"] tbody tr').count()) === 2, 'ham and spam');
      });
      // The pointer off the charts: a hovered series would dim the others in the screenshots.
      await wb.page.mouse.move(2, 790);
      console.log(`screenshot: ${await wb.screenshot('light-table')}`);
      await view.locator('h1').scrollIntoViewIfNeeded();
      console.log(`screenshot: ${await wb.screenshot('light')}`);

      // Export CSV: the save dialog (VS Code's own, in the browser) gets a path in the workspace.
      const csvFile = path.join(ws, 'exported-runs.csv');
      await view.locator('[data-testid="export-csv"]').click();
      const input = wb.page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 30_000 });
      // The dialog fills in its default (the workspace and the suggested name) a moment after it opens.
      await eventually('the save dialog suggests a file name', async () => assert.match(await input.inputValue(), /dashboard-e2e-runs\.csv$/));
      await input.fill(csvFile);
      await input.press('Enter');
      await wb.waitForNotification(/exported exported-runs\.csv/);
      const csv = fs.readFileSync(csvFile, 'utf8').trimEnd().split('\r\n');
      assert.match(csv[0], /^experiment,method,series,teacher,model,train_size,labeled,seeds,n,accuracy_mean,accuracy_std/);
      assert.equal(csv.length, rows.length + 1);

      // Live: the second seed runs while the dashboard is open; its runs appear without any action.
      fs.writeFileSync(path.join(ws, EXPERIMENT), JSON.stringify(experiment([1, 2]), null, 2));
      const job = spawn(process.execPath, [cli, 'run', EXPERIMENT], { cwd: ws, stdio: 'ignore', env: { ...process.env, HF_HUB_OFFLINE: '1' } });
      const finished = new Promise<number | null>((resolve) => job.on('exit', resolve));
      try {
        const status = view.locator('[data-testid="status-line"]');
        await eventually('a run of seed 2 appears while the job runs', async () => assert.match(await status.innerText(), /^1[3-9] runs|^2\d runs/), 120_000);
        assert.equal(await finished, 0);
        assert.equal(await view.locator('header details.problem').count(), 0, 'no run folder reported unreadable while the job ran');
        const after = report(ws);
        await eventually('all runs of both seeds are shown', async () => {
          assert.match(await status.innerText(), /^24 runs: 24 done/);
          assert.equal(await table.getAttribute('data-rows'), String(after.length));
        }, 60_000);
        assert.ok(after.every((r) => r.n === 2), 'two seeds per configuration now');
      } finally {
        job.kill();
      }

      // The dark theme: the dashboard follows it (its charts redraw from the theme's variables).
      await wb.runCommand('Preferences: Toggle between Light/Dark Themes');
      await eventually('the dark theme is applied', async () => assert.ok(await wb.page.locator('.monaco-workbench.vs-dark').count() > 0));
      await eventually('the dashboard has the dark theme', async () => assert.equal(await view.locator('body.vscode-dark').count(), 1));
      await view.locator('h1').scrollIntoViewIfNeeded();
      await wb.page.mouse.move(2, 790);
      await wb.page.waitForTimeout(1000);
      console.log(`screenshot: ${await wb.screenshot('dark')}`);
    });
  } finally {
    world.dispose();
  }
});
