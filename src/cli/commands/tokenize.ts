// `adapt-lab tokenize --model M [--max-length N]`: JSONL {"text","text_pair"?} on stdin → JSONL encodings on stdout.
import { readJsonl, textFields } from '../../engine/data/jsonl';
import { loadTokenizer } from '../../engine/tokenizer';
import type { Command } from '../command';
import { optionalInt, reportStatus, requireString, resolveForCli } from '../common';

export const tokenize: Command = {
  summary: 'tokenize JSONL from stdin with a model\'s tokenizer',
  usage: `adapt-lab tokenize --model M [--max-length N] < in.jsonl > out.jsonl

Reads one JSON object per line, {"text": ..., "text_pair"?: ...}, and writes one per line:
{"tokens", "input_ids", "token_type_ids", "attention_mask"} — exactly what the model's Hugging Face tokenizer gives
(longest_first truncation to --max-length, default the tokenizer's model_max_length).`,
  options: { model: { type: 'string', short: 'm' }, 'max-length': { type: 'string' } },
  async run(values) {
    const model = requireString(values, 'model', 'tokenize');
    const maxLength = optionalInt(values, 'max-length', 2);
    const { dir } = await resolveForCli(model);
    const tokenizer = await loadTokenizer(dir);
    reportStatus('backend: none needed (tokenizing does not use TF.js)');
    const out: string[] = [];
    for await (const row of readJsonl(process.stdin, '<stdin>')) {
      const { text, textPair } = textFields(row, '<stdin>');
      const e = tokenizer.encode(text, textPair, { maxLength });
      out.push(JSON.stringify({ tokens: e.tokens, input_ids: e.inputIds, token_type_ids: e.tokenTypeIds, attention_mask: e.attentionMask }));
      if (out.length >= 1000) process.stdout.write(out.splice(0).join('\n') + '\n');
    }
    if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
    return 0;
  },
};
