// Pieces several commands share: required options, model resolution with download progress on stderr, and the
// status line every command prints so that the backend behind any number is on record.
import { UserError } from '../engine/errors';
import { resolveModel, type ResolvedModel } from '../engine/hub/resolve';
import type { OptionValues } from './command';

export function requireString(values: OptionValues, name: string, command: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') {
    throw new UserError(`missing --${name}`, { field: command }, `Run \`adapt-lab ${command} --help\` for its options.`);
  }
  return v;
}

export function optionalInt(values: OptionValues, name: string, min: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min) {
    throw new UserError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`, { field: `--${name}` }, `Pass a whole number, e.g. --${name} 128.`);
  }
  return n;
}

/** Resolves a model argument, showing download progress on stderr (stdout stays machine-readable). */
export async function resolveForCli(model: string): Promise<ResolvedModel> {
  let lastFile = '';
  let lastShown = 0;
  const resolved = await resolveModel(model, {
    onProgress: ({ file, loadedBytes, totalBytes }) => {
      const now = Date.now();
      if (file === lastFile && now - lastShown < 500 && loadedBytes !== totalBytes) return;
      lastFile = file;
      lastShown = now;
      const total = totalBytes ? ` of ${(totalBytes / 1e6).toFixed(1)} MB` : '';
      process.stderr.write(`adapt-lab: downloading ${file}: ${(loadedBytes / 1e6).toFixed(1)} MB${total}\n`);
    },
  });
  return resolved;
}

/** One line on stderr naming what computed the results (or that no tensor backend was needed). */
export function reportStatus(what: string): void {
  process.stderr.write(`adapt-lab: ${what}\n`);
}
