// A workspace folder for the UI tests that train or score: a 1-layer random BERT small enough to train in
// milliseconds a step (with the real bert-base-uncased vocabulary, so verbalizer words tokenize as in BERT), a
// few labeled SMS messages from the shipped data, and whatever files the test adds. Written to a temp folder that
// the workbench copies; dispose() removes it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeTinyModel } from '../../unit/grid/helpers';
import { repoRoot } from '../../vscode/paths';

export const TINY_MODEL = './tiny';

export interface TinyWorkspace {
  dir: string;
  /** Writes `content` (JSON for anything but a string) to `name` in the folder; returns its path. */
  write(name: string, content: unknown): string;
  dispose(): void;
}

/** The first `ham` and `spam` rows of the shipped SMS spam file, as JSON Lines. */
export function smsRows(file: 'train.jsonl' | 'test.jsonl', ham: number, spam: number): string {
  const lines = fs.readFileSync(path.join(repoRoot, 'data', 'sms_spam', file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const pick = (label: string, n: number) => lines.filter((l) => (JSON.parse(l) as { label: string }).label === label).slice(0, n);
  return [...pick('ham', ham), ...pick('spam', spam)].join('\n') + '\n';
}

/** A folder with tiny/ (the model), train.jsonl (16 ham, 8 spam) and test.jsonl (8 ham, 4 spam). */
export async function tinyWorkspace(): Promise<TinyWorkspace> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adapt-lab-e2e-'));
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
    return file;
  };
  try {
    await writeTinyModel(path.join(dir, TINY_MODEL), 1, { layers: 1, hidden: 32 });
    write('train.jsonl', smsRows('train.jsonl', 16, 8));
    write('test.jsonl', smsRows('test.jsonl', 8, 4));
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, write, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
