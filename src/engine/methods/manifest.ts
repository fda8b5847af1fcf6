// adapt-lab.json: what a saved predictor is beyond its Hugging Face folder(s) — the method, the class order, the
// input length it was trained with, and for prompting the patterns, the verbalizer and the ensemble weights —
// so that `loadPredictor` rebuilds exactly the predictor that was saved.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { UserError } from '../errors';
import type { Method } from '../experiment/training';
import { FieldReader } from '../json/fields';

export const MANIFEST_FILE = 'adapt-lab.json';
const FORMAT = 'adapt-lab-predictor';
const VERSION = 1;

export interface PatternEntry {
  pattern: string;
  /** The pattern model's Hugging Face folder, relative to the predictor's folder. */
  folder: string;
  /** Its ensemble weight (unnormalised). */
  weight: number;
}

export type Manifest =
  | { method: 'finetune' | 'distill'; labels: string[]; maxLength: number }
  | {
      method: 'prompt';
      labels: string[];
      maxLength: number;
      zeroShot: boolean;
      verbalizer: { words: string[][]; tokenIds: number[][] };
      patterns: PatternEntry[];
    };

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const text = JSON.stringify({ format: FORMAT, version: VERSION, ...manifest }, null, 2) + '\n';
  await writeFileAtomic(join(dir, MANIFEST_FILE), text);
}

export async function readManifest(dir: string): Promise<Manifest> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`no ${MANIFEST_FILE} in the folder`, { file: dir },
      'Point at a model saved by Adapt Lab (a run folder\'s model/ folder), which holds adapt-lab.json next to the weights.');
  }
  const { doc, fields } = FieldReader.parse(text, file);
  const fix = 'The file is damaged or was edited by hand; re-run the training that saved this model.';
  const root = fields.object(doc, '', 'the predictor description object');
  if (root.format !== FORMAT || root.version !== VERSION) {
    throw fields.error('format', `not an Adapt Lab predictor of version ${VERSION} (format ${JSON.stringify(root.format)}, version ${JSON.stringify(root.version)})`, fix);
  }
  const method = fields.oneOf<Method>(root.method, 'method', ['finetune', 'prompt', 'distill']);
  const labels = fields.array(root.labels, 'labels', { nonEmpty: true, example: '["ham", "spam"]' }).map((l, i) => fields.string(l, `labels[${i}]`));
  fields.unique(labels, 'labels');
  const maxLength = fields.number(root.maxLength, 'maxLength', { integer: true, min: 8 });
  if (method !== 'prompt') return { method, labels, maxLength };

  const v = fields.object(root.verbalizer, 'verbalizer');
  const lists = <T>(value: unknown, path: string, item: (x: unknown, at: string) => T): T[][] => {
    const outer = fields.array(value, path, { nonEmpty: true, example: '[[...]]' });
    if (outer.length !== labels.length) throw fields.error(path, `has ${outer.length} entries for ${labels.length} labels`, fix);
    return outer.map((inner, i) => fields.array(inner, `${path}[${i}]`, { nonEmpty: true, example: '[...]' }).map((x, j) => item(x, `${path}[${i}][${j}]`)));
  };
  const words = lists(v.words, 'verbalizer.words', (x, at) => fields.string(x, at));
  const tokenIds = lists(v.tokenIds, 'verbalizer.tokenIds', (x, at) => fields.number(x, at, { integer: true, min: 0 }));
  const patterns = fields.array(root.patterns, 'patterns', { nonEmpty: true, example: '[{"pattern": ..., "folder": ..., "weight": 1}]' }).map((p, i) => {
    const at = `patterns[${i}]`;
    const o = fields.object(p, at);
    const folder = fields.string(o.folder, `${at}.folder`);
    // The folder must lie inside the predictor's folder: the file is input, and may have been edited.
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(folder)) throw fields.error(`${at}.folder`, `folder ${JSON.stringify(folder)} is not a plain sub-folder name`, fix);
    return { pattern: fields.string(o.pattern, `${at}.pattern`), folder, weight: fields.number(o.weight, `${at}.weight`, { min: 0 }) };
  });
  const zeroShot = root.zeroShot === undefined ? false : fields.boolean(root.zeroShot, 'zeroShot');
  return { method, labels, maxLength, zeroShot, verbalizer: { words, tokenIds }, patterns };
}
