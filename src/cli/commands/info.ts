// `adapt-lab info --model M`: what a model is and what it costs to run, as one JSON object on stdout.
import { initBackend } from '../../engine/backend/select';
import { checkpointHeads, storedParameterCount } from '../../engine/checkpoint/heads';
import { readCheckpointFolder } from '../../engine/checkpoint/folder';
import { forwardFlopsPerToken, shapeOf } from '../../engine/costs/flops';
import { parseBertConfig } from '../../engine/model/config';
import type { Command } from '../command';
import { optionalInt, reportStatus, requireString, resolveForCli } from '../common';

export const info: Command = {
  summary: 'describe a model: parameters, shape, FLOPs per token, backend (JSON)',
  usage: `adapt-lab info --model M [--seq-length N]

M is a model folder (saved with save_pretrained) or a Hugging Face Hub id. Prints one JSON object:
parameters (total and non-embedding, counted from the checkpoint's tensors), layers, hidden, heads, intermediate,
vocab, max positions, the task heads the checkpoint carries, forward FLOPs per token of the encoder at
--seq-length tokens (default 128), and the compute backend with its thread count.`,
  options: { model: { type: 'string', short: 'm' }, 'seq-length': { type: 'string' } },
  async run(values) {
    const model = requireString(values, 'model', 'info');
    const seqLength = optionalInt(values, 'seq-length', 1) ?? 128;
    const resolved = await resolveForCli(model);
    const checkpoint = await readCheckpointFolder(resolved.dir);
    const config = parseBertConfig(checkpoint.config, checkpoint.configPath);
    const backend = await initBackend();
    reportStatus(`backend: ${backend.name}, ${backend.threads} thread(s)`);
    const params = storedParameterCount(checkpoint.tensors);
    const out = {
      model,
      dir: resolved.dir,
      source: resolved.source,
      ...(resolved.commit ? { commit: resolved.commit } : {}),
      parameters: { total: params.total, nonEmbedding: params.total - params.embedding },
      layers: config.numHiddenLayers,
      hidden: config.hiddenSize,
      heads: config.numAttentionHeads,
      intermediate: config.intermediateSize,
      vocab: config.vocabSize,
      maxPositions: config.maxPositionEmbeddings,
      taskHeads: checkpointHeads(checkpoint.tensors),
      flopsPerTokenForward: { seqLength, flops: forwardFlopsPerToken(shapeOf(config), seqLength) },
      backend: { name: backend.name, threads: backend.threads, ...(backend.note ? { note: backend.note } : {}) },
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  },
};
