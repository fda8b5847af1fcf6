// The CLI's public contract for info / tokenize / forward: formats, numbers that agree with transformers, and the
// error contract (exit code 2, one line naming the file and what to do, no stack trace).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { readSafetensors, writeSafetensors } from '../../../src/engine/checkpoint/safetensors';
import { fixtureDir as fixture } from '../../lib/shared';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const expected = JSON.parse(readFileSync(path.join(fixture, 'expected.json'), 'utf8'));
const scratch = mkdtempSync(path.join(tmpdir(), 'adapt-lab-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function cli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts'), ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, HF_HUB_OFFLINE: '1', ADAPT_LAB_BACKEND: 'wasm' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertUserError(r: ReturnType<typeof cli>, mentions: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('adapt-lab: backend'));
  assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`);
  assert.match(lines[0], mentions);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

const relative = (got: number[], want: number[]): number =>
  Math.max(...got.map((g, i) => Math.abs(g - want[i]))) / Math.max(...want.map(Math.abs));

test('info reports the parameters stored in the checkpoint, the shape, FLOPs per token and the backend', () => {
  const r = cli(['info', '--model', fixture]);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  // Independent count: the tensor shapes transformers listed when it saved the fixture.
  const shapes = Object.values(expected.files['model.safetensors'].tensors) as number[][];
  assert.equal(info.parameters.total, shapes.reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0));
  assert.equal(info.parameters.nonEmbedding, info.parameters.total - (30522 + 512 + 2) * 64);
  assert.deepEqual([info.layers, info.hidden, info.heads, info.vocab, info.maxPositions], [2, 64, 2, 30522, 512]);
  // per token at T=128: 2 layers × (8·H² + 4·H·I + 4·T·H)
  assert.equal(info.flopsPerTokenForward.flops, 2 * (8 * 64 * 64 + 4 * 64 * 128 + 4 * 128 * 64));
  assert.deepEqual(info.taskHeads, { mlm: true });
  assert.equal(info.backend.name, 'wasm');
  assert.ok(info.backend.threads >= 1);
});

test('tokenize writes what transformers\' BertTokenizer gives', () => {
  const cases = [...expected.tokenizer.single.slice(0, 8), ...expected.tokenizer.pairs];
  const input = cases.map((c: { text: string; text_pair?: string }) => JSON.stringify({ text: c.text, text_pair: c.text_pair })).join('\n');
  const r = cli(['tokenize', '--model', fixture], input + '\n');
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, cases.length);
  cases.forEach((c: { tokens: string[]; input_ids: number[]; token_type_ids: number[] }, i: number) => {
    assert.deepEqual(rows[i].tokens, c.tokens);
    assert.deepEqual(rows[i].input_ids, c.input_ids);
    assert.deepEqual(rows[i].token_type_ids, c.token_type_ids);
  });
});

test('forward matches transformers: [CLS] hidden state, full-vocabulary logits at each [MASK], classifier logits', () => {
  const single = expected.mlm.single as { text: string; input_ids: number[]; last_hidden_state_cls: number[]; mask_logits_full_row: number[][] }[];
  const inFile = path.join(scratch, 'in.jsonl');
  const outFile = path.join(scratch, 'out.jsonl');
  writeFileSync(inFile, single.map((c) => JSON.stringify({ text: c.text })).join('\n') + '\n');
  const r = cli(['forward', '--model', fixture, '--input', inFile, '--out', outFile]);
  assert.equal(r.status, 0, r.stderr);
  const rows = readFileSync(outFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, single.length);
  let masks = 0;
  single.forEach((c, i) => {
    assert.deepEqual(rows[i].input_ids, c.input_ids);
    assert.ok(relative(rows[i].cls_hidden, c.last_hidden_state_cls) < 1e-5);
    assert.equal(rows[i].mask_logits.length, c.mask_logits_full_row.length);
    c.mask_logits_full_row.forEach((row, k) => assert.ok(relative(rows[i].mask_logits[k], row) < 1e-5));
    masks += c.mask_logits_full_row.length;
    assert.equal(rows[i].logits, undefined, 'an MLM checkpoint has no classifier logits');
  });
  assert.ok(masks > 0, 'the fixture has [MASK] cases');

  const cases = expected.seqcls.cases as { text: string; text_pair?: string; input_ids: number[]; logits: number[] }[];
  writeFileSync(inFile, cases.map((c) => JSON.stringify({ text: c.text, text_pair: c.text_pair })).join('\n') + '\n');
  const s = cli(['forward', '--model', path.join(fixture, 'seqcls'), '--input', inFile, '--out', outFile]);
  assert.equal(s.status, 0, s.stderr);
  const out = readFileSync(outFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(cases.some((c) => c.text_pair !== undefined), 'pairs are covered');
  cases.forEach((c, i) => {
    assert.deepEqual(out[i].input_ids, c.input_ids);
    assert.ok(relative(out[i].logits, c.logits) < 1e-5);
  });
});

/** A copy of the fixture model whose files a test may break. */
function modelCopy(name: string): string {
  const dir = mkdtempSync(path.join(scratch, name));
  for (const f of ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']) {
    copyFileSync(path.join(fixture, f), path.join(dir, f));
  }
  return dir;
}

test('errors: exit 2 and one line naming the file and the fix', async () => {
  assertUserError(cli(['info', '--model', path.join(scratch, 'no-such-folder')]), /no-such-folder.*folder not found/);
  assertUserError(cli(['info', '--model', 'google/bert_uncased_L-2_H-128_A-2']), /not in the Hugging Face cache.*huggingface-cli download/);

  const badConfig = modelCopy('badconfig-');
  writeFileSync(path.join(badConfig, 'config.json'), '{"hidden_size": 64,\n "num_hidden_layers": 2,\n}');
  assertUserError(cli(['info', '--model', badConfig]), /config\.json.*line 3/);

  const absurd = modelCopy('absurd-');
  const config = JSON.parse(readFileSync(path.join(fixture, 'config.json'), 'utf8'));
  writeFileSync(path.join(absurd, 'config.json'), JSON.stringify({ ...config, hidden_size: 1_000_000_000 }));
  assertUserError(cli(['info', '--model', absurd]), /config\.json.*hidden_size/);

  const inFile = path.join(scratch, 'one.jsonl');
  writeFileSync(inFile, '{"text": "fine"}\n');
  const outFile = path.join(scratch, 'one.out.jsonl');
  const { tensors } = await readSafetensors(path.join(fixture, 'model.safetensors'));
  const missing = modelCopy('missing-');
  const without = new Map(tensors);
  without.delete('bert.encoder.layer.1.output.dense.weight');
  await writeSafetensors(path.join(missing, 'model.safetensors'), without);
  assertUserError(cli(['forward', '--model', missing, '--input', inFile, '--out', outFile]), /model\.safetensors.*layer\.1\.output\.dense\.weight/);

  const misshaped = modelCopy('misshaped-');
  const wrong = new Map(tensors);
  wrong.set('bert.embeddings.token_type_embeddings.weight', { dtype: 'float32', shape: [3, 64], data: new Float32Array(192) });
  await writeSafetensors(path.join(misshaped, 'model.safetensors'), wrong);
  assertUserError(cli(['forward', '--model', misshaped, '--input', inFile, '--out', outFile]), /model\.safetensors.*token_type_embeddings.*\[3, 64\]/);

  writeFileSync(inFile, '{"text": "fine"}\n{"text": broken}\n');
  const before = readFileSync(inFile);
  assertUserError(cli(['forward', '--model', fixture, '--input', inFile, '--out', outFile]), /one\.jsonl:2/);
  assert.deepEqual(readFileSync(inFile), before, 'the input is not modified');
  assertUserError(cli(['tokenize', '--model', fixture], '{"text_pair": "x"}\n'), /<stdin>:1.*text/);
  assertUserError(cli(['info', '--model', fixture, '--seq-length', 'abc']), /--seq-length/);
  assertUserError(cli(['frobnicate']), /unknown command/);
});
