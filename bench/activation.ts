// `npm run bench:activation`: how long the extension takes to activate — loading its bundle and running
// activate() with a stand-in vscode module — against the 100 ms budget. Each of ten loads is cold (the module
// cache is cleared); the first one also warms Node up, so the median and the best are the numbers to read.
import { rmSync } from 'node:fs';
import type { Recorded } from '../test/unit/extension/fake-vscode';
import { bundle, context, load } from '../test/unit/extension/load-extension';

const BUDGET_MS = 100;

async function main(): Promise<void> {
  const { file, dir } = await bundle();
  try {
    const times: number[] = [];
    let commands = 0;
    for (let i = 0; i < 10; i++) {
      const recorded: Recorded = { commands: [], treeViews: [], customEditors: [], codeLensSelectors: [] };
      const start = performance.now();
      load(file, recorded).activate(context());
      times.push(performance.now() - start);
      commands = recorded.commands.length;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`activation (bundle load + activate, ${commands} commands registered), 10 cold loads:`);
    console.log(`  first ${times[0].toFixed(1)} ms · median ${median.toFixed(1)} ms · best ${sorted[0].toFixed(1)} ms`);
    console.log(`  median / ${BUDGET_MS} ms budget: ${(median / BUDGET_MS).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
