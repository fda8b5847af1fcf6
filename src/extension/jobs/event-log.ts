// Grid events as lines for the "Adapt Lab" output channel: every cell's start and end, log lines, and about ten
// progress lines per training run (every step would drown the log). Pure, so the wording is unit-tested.
import type { GridEvent } from '../../engine/grid/events';

export function eventLogger(write: (line: string) => void, now: () => number = Date.now): (e: GridEvent) => void {
  let total = 0;
  let lastProgress = 0;
  const tag = (index: number, cellId: string) => `[${index + 1}/${total}] ${cellId}`;
  return (e) => {
    switch (e.type) {
      case 'grid-start':
        total = e.cells.length;
        write(`experiment "${e.experiment}": ${e.cells.length} cell(s), backend ${e.backend} (${e.threads} thread(s)), runs in ${e.runsDir}`);
        break;
      case 'cell-start':
        lastProgress = 0;
        write(`${tag(e.index, e.cellId)}: training${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`);
        break;
      case 'progress': {
        const every = Math.max(1, Math.ceil(e.totalSteps / 10));
        const t = now();
        if (e.step % every !== 0 && e.step !== e.totalSteps && t - lastProgress < 30_000) break;
        lastProgress = t;
        write(`${tag(e.index, e.cellId)}: step ${e.step}/${e.totalSteps} loss ${Number.isFinite(e.loss) ? e.loss.toFixed(4) : String(e.loss)}`);
        break;
      }
      case 'cell-end': {
        const t = tag(e.index, e.cellId);
        const secs = e.seconds !== undefined ? `, ${e.seconds.toFixed(1)} s` : '';
        if (e.status === 'done') write(`${t}: done — accuracy ${e.accuracy?.toFixed(3) ?? '?'}, macro-F1 ${e.macroF1?.toFixed(3) ?? '?'}${secs}`);
        else if (e.status === 'skipped') write(`${t}: skipped (${e.reason ?? 'no reason given'})`);
        else if (e.status === 'failed') write(`${t}: FAILED: ${e.reason ?? 'no reason given'}`);
        else write(`${t}: cancelled${secs}`);
        break;
      }
      case 'log':
        write(`${e.level === 'info' ? '' : `${e.level}: `}${e.message}`);
        break;
      case 'grid-end':
        write(`${e.done} done, ${e.skipped} skipped, ${e.failed} failed${e.cancelled ? ', cancelled' : ''}`);
        break;
    }
  };
}
