// `adapt-lab forward --model M --input in.jsonl --out out.jsonl`: the model's raw outputs per input line, for checking
// the engine against transformers (same ids, same numbers) and for scripting.
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../engine/backend/select';
import { readCheckpointFolder } from '../../engine/checkpoint/folder';
import { checkpointHeads } from '../../engine/checkpoint/heads';
import { readJsonl, textFields } from '../../engine/data/jsonl';
import { UserError } from '../../engine/errors';
import { Bert } from '../../engine/model/bert';
import { parseBertConfig } from '../../engine/model/config';
import { loadWeights } from '../../engine/model/weights';
import { loadTokenizer, type Encoding } from '../../engine/tokenizer';
import { evalBatches, restoreOrder, toTensors } from '../../engine/train/batching';
import type { Command } from '../command';
import { optionalInt, reportStatus, requireString, resolveForCli } from '../common';

interface Row {
  input_ids: number[];
  cls_hidden: number[];
  mask_logits?: number[][];
  logits?: number[];
}

export const forward: Command = {
  summary: 'run a model on JSONL inputs and write hidden states and logits',
  usage: `adapt-lab forward --model M --input in.jsonl --out out.jsonl [--max-length N] [--batch-size B]

Each input line is {"text": ..., "text_pair"?: ...}. Each output line, in input order, is
{"input_ids", "cls_hidden": last-layer [CLS] vector, "mask_logits": full-vocabulary logits at each [MASK]
position in order (when the checkpoint has a masked-LM head), "logits": classifier logits (when it has a
sequence-classification head)}.`,
  options: {
    model: { type: 'string', short: 'm' },
    input: { type: 'string', short: 'i' },
    out: { type: 'string', short: 'o' },
    'max-length': { type: 'string' },
    'batch-size': { type: 'string' },
  },
  async run(values) {
    const model = requireString(values, 'model', 'forward');
    const input = requireString(values, 'input', 'forward');
    const out = requireString(values, 'out', 'forward');
    const batchSize = optionalInt(values, 'batch-size', 1) ?? 16;

    const resolved = await resolveForCli(model);
    const tokenizer = await loadTokenizer(resolved.dir);
    const checkpoint = await readCheckpointFolder(resolved.dir);
    const config = parseBertConfig(checkpoint.config, checkpoint.configPath);
    const maxLength = optionalInt(values, 'max-length', 2) ?? Math.min(tokenizer.modelMaxLength, config.maxPositionEmbeddings);
    if (maxLength > config.maxPositionEmbeddings) {
      throw new UserError(`--max-length ${maxLength} exceeds the model's ${config.maxPositionEmbeddings} positions`, { file: checkpoint.configPath, field: 'max_position_embeddings' }, `Pass --max-length ${config.maxPositionEmbeddings} or less.`);
    }

    const encodings: Encoding[] = [];
    for await (const row of readJsonl(input, input)) {
      const { text, textPair } = textFields(row, input);
      encodings.push(tokenizer.encode(text, textPair, { maxLength }));
    }

    const backend = await initBackend();
    reportStatus(`backend: ${backend.name}, ${backend.threads} thread(s)`);
    const heads = checkpointHeads(checkpoint.tensors);
    const bert = Bert.create(config, { heads, seed: 0 });
    try {
      loadWeights(bert, checkpoint.tensors, checkpoint.weightsFiles[0]);
      const maskId = tokenizer.specialIds.mask;
      const batches = evalBatches(encodings, { batchSize, padId: tokenizer.specialIds.pad });
      const results = batches.map((batch) => runBatch(bert, batch, maskId, heads));
      const rows = restoreOrder(batches, results);
      const lines = rows.map((r, i) => JSON.stringify({ ...r, input_ids: encodings[i].inputIds }));
      await writeFile(out, lines.length > 0 ? lines.join('\n') + '\n' : '');
    } finally {
      bert.dispose();
    }
    return 0;
  },
};

function runBatch(bert: Bert, batch: ReturnType<typeof evalBatches>[number], maskId: number, heads: ReturnType<typeof checkpointHeads>): Omit<Row, 'input_ids'>[] {
  const inputs = toTensors(batch);
  try {
    const { hidden } = bert.encode(inputs);
    const cls = tf.tidy(() => tf.slice(hidden, [0, 0, 0], [batch.size, 1, bert.config.hiddenSize]).reshape([batch.size, -1]));
    const clsRows = cls.arraySync() as number[][];
    tf.dispose([hidden, cls]);
    const rows: Omit<Row, 'input_ids'>[] = clsRows.map((v) => ({ cls_hidden: v }));

    if (heads.mlm) {
      const positions: number[] = [];
      for (let i = 0; i < batch.inputIds.length; i++) if (batch.inputIds[i] === maskId) positions.push(i);
      for (const r of rows) r.mask_logits = [];
      if (positions.length > 0) {
        const pos = tf.tensor1d(positions, 'int32');
        const logits = bert.mlmLogits(inputs, pos);
        const values = logits.arraySync() as number[][];
        tf.dispose([pos, logits]);
        positions.forEach((p, k) => rows[Math.floor(p / batch.seqLen)].mask_logits!.push(values[k]));
      }
    }
    if (heads.classifier) {
      const logits = bert.classifyLogits(inputs);
      (logits.arraySync() as number[][]).forEach((v, i) => (rows[i].logits = v));
      logits.dispose();
    }
    return rows;
  } finally {
    tf.dispose([inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask]);
  }
}
