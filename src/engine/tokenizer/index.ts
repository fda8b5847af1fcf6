// Loading a checkpoint folder's tokenizer. Like transformers' AutoTokenizer, a tokenizer.json wins when
// present (it is what the fast tokenizer would use); otherwise vocab.txt drives our BertTokenizer.

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors';
import { BertTokenizer } from './bert';
import { readTokenizerSettings } from './config';
import { TokenizerJsonTokenizer } from './tokenizer-json';
import { Vocab } from './vocab';
import type { Tokenizer } from './types';

export type { Encoding, EncodeOptions, SpecialIds, Tokenizer, Truncation } from './types';
export { BertTokenizer } from './bert';
export { TokenizerJsonTokenizer } from './tokenizer-json';

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

export async function loadTokenizer(dir: string): Promise<Tokenizer> {
  const settings = await readTokenizerSettings(dir);
  if (await isFile(path.join(dir, 'tokenizer.json'))) return TokenizerJsonTokenizer.load(dir, settings);
  const vocabFile = path.join(dir, 'vocab.txt');
  if (!(await isFile(vocabFile))) {
    throw new UserError(
      'no tokenizer found: the folder has neither vocab.txt nor tokenizer.json',
      { file: dir },
      'Point at a checkpoint folder saved by transformers (save_pretrained writes the tokenizer files), or copy vocab.txt into it.',
    );
  }
  return new BertTokenizer(await Vocab.load(vocabFile), settings, vocabFile);
}
