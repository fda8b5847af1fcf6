// Where the reference fixtures are (shared/ sits beside the repository, in CI too) and what the tokenizer
// section of expected.json holds.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureDir } from '../../lib/shared';
export { fixtureDir };

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export interface SingleCase {
  text: string;
  tokens: string[];
  input_ids: number[];
  token_type_ids: number[];
  attention_mask: number[];
  basic_tokens: string[];
  wordpiece_tokens: string[];
}
export interface PairCase extends SingleCase {
  text_pair: string;
  wordpiece_tokens_pair: string[];
}
export interface TruncationCase extends SingleCase {
  text_pair?: string;
  max_length: number;
  strategy: 'longest_first';
}
export interface TokenizerExpected {
  single: SingleCase[];
  pairs: PairCase[];
  truncation: TruncationCase[];
  note: string;
  direct_init_differs: [string, string | null][];
  batch_padded: {
    texts: string[];
    padding: string;
    input_ids: number[][];
    token_type_ids: number[][];
    attention_mask: number[][];
  };
}

export const expected: TokenizerExpected = JSON.parse(
  readFileSync(path.join(fixtureDir, 'expected.json'), 'utf8'),
).tokenizer;
