// Fuzzing the readers of files that come from outside: safetensors, pytorch_model.bin (the whole archive, and its
// data.pkl alone), and the dataset formats. Each case is a seeded mutation of a valid file (test/hardening/mutate),
// and every case must either parse or throw a UserError — never another exception, never a hang, never an
// allocation its input does not justify. Each reader runs in a child process (test/hardening/fuzz-target), so a
// case that hangs is stopped from outside and named. 300 cases per reader in CI; ADAPT_LAB_FUZZ_COUNT raises it,
// ADAPT_LAB_FUZZ_SEED changes the seed. A failure prints the seed, the case and the command that replays it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { READERS, type ReaderName } from '../../hardening/fuzz-target';
import { repoRoot } from '../grid/helpers';

const TARGET = path.join(repoRoot, 'test', 'hardening', 'fuzz-target.ts');
const COUNT = Number(process.env.ADAPT_LAB_FUZZ_COUNT ?? 300);
const BASE_SEED = Number(process.env.ADAPT_LAB_FUZZ_SEED ?? 20240601);
/** No case of these tiny files takes long; silence this long means a hang (generous for a loaded CI machine). */
const STALL_MS = 20_000;
/** Memory a reader may hold for inputs of a few KiB: far above what they need, far below a runaway allocation. */
const MAX_ARRAY_BUFFERS = 128 * 2 ** 20;
const MAX_RSS = 1024 * 2 ** 20;

interface CaseLine {
  start?: number;
  what?: string;
  done?: number;
  outcome?: 'ok' | 'user' | 'crash';
  ms?: number;
  error?: string;
  summary?: { ok: number; user: number; crash: number };
  peakArrayBuffers?: number;
  maxRssBytes?: number;
}

interface FuzzRun {
  lines: CaseLine[];
  stalled?: CaseLine;
  code: number | null;
  stderr: string;
}

function runTarget(reader: ReaderName, seed: number, dir: string): Promise<FuzzRun> {
  return new Promise((resolve, reject) => {
    // --max-old-space-size bounds the JS heap, so a runaway array or string fails fast instead of swapping.
    const child = spawn(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', TARGET, reader, String(seed), String(COUNT), dir], { cwd: repoRoot });
    const lines: CaseLine[] = [];
    let partial = '';
    let stderr = '';
    let stalled: CaseLine | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = [...lines].reverse().find((l) => l.start !== undefined) ?? {};
        child.kill('SIGKILL');
      }, STALL_MS);
    };
    arm();
    child.stdout.on('data', (d) => {
      arm();
      partial += d;
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const p of parts) if (p !== '') lines.push(JSON.parse(p) as CaseLine);
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ lines, stalled, code, stderr });
    });
  });
}

READERS.forEach((reader, index) => {
  test(`fuzz ${reader}: ${COUNT} mutations each parse or throw a UserError, without hanging or ballooning`, { timeout: 10 * 60_000 }, async () => {
    const seed = BASE_SEED + index;
    const dir = mkdtempSync(path.join(tmpdir(), `adapt-lab-fuzz-${reader}-`));
    try {
      const run = await runTarget(reader, seed, dir);
      const replay = `node --import tsx test/hardening/fuzz-target.ts ${reader} ${seed} ${COUNT} <folder>  (seed ${seed}; ADAPT_LAB_FUZZ_SEED=${BASE_SEED})`;
      const whatOf = (i: number) => run.lines.find((l) => l.start === i)?.what;
      if (run.stalled) {
        assert.fail(`${reader}: case ${run.stalled.start} (${run.stalled.what}) ran for more than ${STALL_MS / 1000} s: a hang. Replay: ${replay}`);
      }
      assert.equal(run.code, 0, `${reader}: the fuzz process failed (exit ${run.code}): ${run.stderr.slice(-3000)}\nReplay: ${replay}`);
      const crashes = run.lines.filter((l) => l.outcome === 'crash');
      assert.deepEqual(
        crashes.map((c) => `case ${c.done} (${whatOf(c.done!)}): ${c.error}`),
        [],
        `${reader}: exceptions other than UserError. Replay: ${replay}`,
      );
      const summary = run.lines.find((l) => l.summary !== undefined);
      assert.ok(summary?.summary, `${reader}: no summary. Replay: ${replay}`);
      assert.equal(summary.summary.ok + summary.summary.user, COUNT);
      // Not vacuous: some mutations still parse (the reader accepts what it should) and some are refused.
      assert.ok(summary.summary.ok > 0 && summary.summary.user > 0, `${reader}: ${JSON.stringify(summary.summary)}`);
      assert.ok(summary.peakArrayBuffers! < MAX_ARRAY_BUFFERS, `${reader}: ${summary.peakArrayBuffers} bytes of buffers held. Replay: ${replay}`);
      assert.ok(summary.maxRssBytes! < MAX_RSS, `${reader}: peak RSS ${summary.maxRssBytes} bytes. Replay: ${replay}`);
      const slowest = run.lines.filter((l) => l.ms !== undefined).sort((a, b) => b.ms! - a.ms!)[0];
      assert.ok(slowest.ms! < STALL_MS / 2, `${reader}: case ${slowest.done} (${whatOf(slowest.done!)}) took ${slowest.ms} ms. Replay: ${replay}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
