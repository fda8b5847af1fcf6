import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from '../../../src/engine/checkpoint/safetensors';
import { writeFileAtomic } from '../../../src/engine/fs/atomic';
import { TensorMap } from '../../../src/engine/tensors';
import { fixtureDir, scratch, userErrorFrom } from './paths';

const expected = JSON.parse(readFileSync(join(fixtureDir, 'expected.json'), 'utf8'));
const tmp = scratch();
after(tmp.dispose);

function shapes(tensors: TensorMap): Record<string, number[]> {
  return Object.fromEntries([...tensors].map(([name, t]) => [name, t.shape]));
}

/** A safetensors file from a header object and raw data, exactly as given (for malformed inputs). */
function rawFile(name: string, header: unknown, data: Uint8Array = new Uint8Array(0), headerText?: string): string {
  const json = Buffer.from(headerText ?? JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const file = join(tmp.dir, name);
  writeFileSync(file, Buffer.concat([length, json, data]));
  return file;
}

test('reads the fixture model.safetensors: names, shapes, dtypes and metadata as expected.json lists them', async () => {
  for (const rel of ['model.safetensors', 'seqcls/model.safetensors']) {
    const { tensors, metadata } = await readSafetensors(join(fixtureDir, rel));
    const listed = expected.files[rel];
    assert.deepEqual(shapes(tensors), listed.tensors, rel);
    assert.deepEqual(metadata, { format: 'pt' }, rel);
    for (const [name, t] of tensors) {
      assert.equal(t.dtype, 'float32', name);
      assert.ok(t.data instanceof Float32Array);
      assert.equal(t.data.length, t.shape.reduce((a, b) => a * b, 1), name);
    }
  }
});

test('reads expected.safetensors fully: I64 converts to int32 and values match expected.json', async () => {
  const { tensors, metadata } = await readSafetensors(join(fixtureDir, 'expected.safetensors'));
  assert.deepEqual(shapes(tensors), expected.tensors.keys);
  assert.equal(metadata.format, 'pt');
  // The row ids of the sparse embedding gradient are the distinct token ids of the gradient-check batch.
  const ids = tensors.get('grad.bert.embeddings.word_embeddings.weight.row_ids')!;
  assert.equal(ids.dtype, 'int32');
  const distinct = [...new Set<number>(expected.seqcls.grad_check.input_ids.flat())].sort((a, b) => a - b);
  assert.deepEqual([...ids.data], distinct);
  // Hidden states listed in expected.json as decimals equal the float32 values in the file.
  const single = expected.mlm.single[0];
  const hidden = tensors.get('mlm.single.0.last_hidden_state')!;
  single.last_hidden_state_first8.forEach((row: number[], r: number) =>
    row.forEach((v, c) => assert.equal(hidden.data[r * 64 + c], Math.fround(v), `hidden[${r}][${c}]`)),
  );
  const embedding = tensors.get('mlm.single.0.embedding_output')!;
  assert.deepEqual([...embedding.data.subarray(0, 64)], single.embedding_output_cls.map(Math.fround));
});

test('readSafetensorsHeader lists tensors without loading data', async () => {
  const header = await readSafetensorsHeader(join(fixtureDir, 'model.safetensors'));
  assert.equal(header.entries.length, 42);
  assert.deepEqual(header.metadata, { format: 'pt' });
  const word = header.entries.find((e) => e.name === 'bert.embeddings.word_embeddings.weight')!;
  assert.deepEqual([word.dtype, word.shape, word.end - word.begin], ['F32', [30522, 64], 30522 * 64 * 4]);
  assert.equal(header.dataStart, 8 + 4632);
});

test('writing the fixture back reproduces the reference writer byte for byte', async () => {
  const source = join(fixtureDir, 'model.safetensors');
  const { tensors } = await readSafetensors(source);
  const out = join(tmp.dir, 'roundtrip.safetensors');
  await writeSafetensors(out, tensors);
  const written = readFileSync(out);
  assert.equal(createHash('sha256').update(written).digest('hex'), expected.files['model.safetensors'].sha256);
  assert.ok(written.equals(readFileSync(source)));
});

test('round trip of float32 and int32 tensors keeps data bytes and header entries; header follows the spec', async () => {
  const tensors: TensorMap = new Map([
    ['z.ids', { dtype: 'int32', shape: [2, 3], data: Int32Array.from([1, -2, 3, 2147483647, -2147483648, 0]) }],
    ['b.weight', { dtype: 'float32', shape: [3], data: Float32Array.from([0.1, -0, Infinity]) }],
    ['a.scalar', { dtype: 'float32', shape: [], data: Float32Array.from([42.5]) }],
    ['a.empty', { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) }],
  ]);
  const file = join(tmp.dir, 'mixed.safetensors');
  await writeSafetensors(file, tensors, { note: 'x' });
  const bytes = readFileSync(file);
  const n = Number(bytes.readBigUInt64LE(0));
  assert.equal(n % 8, 0, 'header padded to a multiple of 8');
  const headerText = bytes.subarray(8, 8 + n).toString('utf8');
  assert.match(headerText, /^\{.*\} *$/);
  const header = JSON.parse(headerText);
  // Metadata first, then float32 tensors by name, then int32: the reference layout.
  assert.deepEqual(Object.keys(header), ['__metadata__', 'a.empty', 'a.scalar', 'b.weight', 'z.ids']);
  assert.deepEqual(header.__metadata__, { format: 'pt', note: 'x' });
  assert.deepEqual(header['a.empty'], { dtype: 'F32', shape: [0, 4], data_offsets: [0, 0] });
  assert.deepEqual(header['a.scalar'], { dtype: 'F32', shape: [], data_offsets: [0, 4] });
  assert.deepEqual(header['b.weight'], { dtype: 'F32', shape: [3], data_offsets: [4, 16] });
  assert.deepEqual(header['z.ids'], { dtype: 'I32', shape: [2, 3], data_offsets: [16, 40] });
  assert.equal(bytes.length, 8 + n + 40);

  const back = await readSafetensors(file);
  assert.deepEqual(back.metadata, { format: 'pt', note: 'x' });
  for (const [name, t] of tensors) {
    const r = back.tensors.get(name)!;
    assert.equal(r.dtype, t.dtype, name);
    assert.deepEqual(r.shape, t.shape, name);
    assert.ok(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).equals(Buffer.from(t.data.buffer)), name);
  }
  assert.ok(Object.is(back.tensors.get('b.weight')!.data[1], -0));
  assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left behind');
});

test('converts F16, BF16, F64, I64, I16, I8, U8 and BOOL to float32 / int32', async () => {
  const half = Uint16Array.from([0x3c00, 0xc000, 0x0001, 0x03ff, 0x7c00, 0xfc00, 0x8000, 0x7bff, 0x3555]);
  const bf16 = Uint16Array.from([0x3f80, 0xc0a0, 0x7f80]);
  const f64 = Float64Array.from([1.5, -2.25, 1e-3]);
  const i64 = BigInt64Array.from([0n, -1n, 2147483647n, -2147483648n]);
  const i16 = Int16Array.from([-32768, 32767]);
  const i8 = Int8Array.from([-128, 127]);
  const u8 = Uint8Array.from([0, 255]);
  const bool = Uint8Array.from([0, 1, 1]);
  const parts: [string, string, number[], ArrayBufferView][] = [
    ['f16', 'F16', [9], half], ['bf16', 'BF16', [3], bf16], ['f64', 'F64', [3], f64], ['i64', 'I64', [2, 2], i64],
    ['i16', 'I16', [2], i16], ['i8', 'I8', [2], i8], ['u8', 'U8', [2], u8], ['bool', 'BOOL', [3], bool],
  ];
  const header: Record<string, unknown> = {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, dtype, shape, data] of parts) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + data.byteLength] };
    chunks.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    offset += data.byteLength;
  }
  const file = rawFile('dtypes.safetensors', header, Buffer.concat(chunks));
  const { tensors } = await readSafetensors(file);
  const values = (name: string) => [...tensors.get(name)!.data];
  assert.deepEqual(values('f16'), [1, -2, 2 ** -24, 1023 * 2 ** -24, Infinity, -Infinity, -0, 65504, Math.fround(0.333251953125)]);
  assert.deepEqual(values('bf16'), [1, -5, Infinity]);
  assert.deepEqual(values('f64'), [1.5, -2.25, Math.fround(1e-3)]);
  assert.deepEqual(values('i64'), [0, -1, 2147483647, -2147483648]);
  assert.deepEqual(values('i16'), [-32768, 32767]);
  assert.deepEqual(values('i8'), [-128, 127]);
  assert.deepEqual(values('u8'), [0, 255]);
  assert.deepEqual(values('bool'), [0, 1, 1]);
  for (const name of ['f16', 'bf16', 'f64']) assert.equal(tensors.get(name)!.dtype, 'float32');
  for (const name of ['i64', 'i16', 'i8', 'u8', 'bool']) assert.equal(tensors.get(name)!.dtype, 'int32');
  assert.deepEqual(tensors.get('i64')!.shape, [2, 2]);
});

test('an I64 value outside int32 is a UserError naming the tensor', async () => {
  const data = Buffer.from(BigInt64Array.from([1n, 2n ** 40n]).buffer);
  const file = rawFile('big-i64.safetensors', { ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, data);
  const err = await userErrorFrom(() => readSafetensors(file));
  assert.equal(err.place.field, 'ids');
  assert.match(err.message, /1099511627776 at element 1 does not fit in int32/);
});

test('malformed files are refused with a UserError that names the file, the tensor and the problem', async () => {
  const ok = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
  const eight = new Uint8Array(8);
  const cases: [string, () => string, RegExp, string | undefined][] = [
    ['shorter than 8 bytes', () => { const f = join(tmp.dir, 'short'); writeFileSync(f, Buffer.from([1, 2, 3])); return f; }, /3 bytes long, shorter than the 8-byte/, undefined],
    ['header length past EOF', () => { const f = join(tmp.dir, 'past'); const b = Buffer.alloc(20); b.writeBigUInt64LE(100n); writeFileSync(f, b); return f; }, /header length 100 runs past the end of the 20-byte file/, undefined],
    ['absurd header length', () => { const f = join(tmp.dir, 'absurd'); const b = Buffer.alloc(16); b.writeBigUInt64LE(2n ** 62n); writeFileSync(f, b); return f; }, /is absurd/, undefined],
    ['header not JSON', () => rawFile('notjson', null, eight, '{"a": {'), /not valid UTF-8 JSON/, undefined],
    ['header not an object', () => rawFile('array', [1, 2]), /not a JSON object/, undefined],
    ['unknown dtype', () => rawFile('dtype', { w: { dtype: 'F8_E4M3', shape: [8], data_offsets: [0, 8] } }, eight), /unsupported dtype "F8_E4M3"/, 'w'],
    ['negative shape', () => rawFile('neg', { w: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, eight), /shape \[-2\] is not a list of non-negative integers/, 'w'],
    ['fractional shape', () => rawFile('frac', { w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 8] } }, eight), /not a list of non-negative integers/, 'w'],
    ['offsets out of range', () => rawFile('range', { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, eight), /\[0, 16\] are out of range for a data region of 8 bytes/, 'w'],
    ['offsets reversed', () => rawFile('rev', { w: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, eight), /out of range/, 'w'],
    ['overlapping offsets', () => rawFile('overlap', { a: ok, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eight), /\[4, 8\] overlap those of "a" \[0, 8\]/, 'b'],
    ['shape/bytes mismatch', () => rawFile('mismatch', { w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, eight), /needs 12 bytes but data_offsets \[0, 8\] hold 8/, 'w'],
    ['gap in data', () => rawFile('gap', { w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eight), /bytes 0–4 of the data region belong to no tensor/, 'w'],
    ['trailing data', () => rawFile('trail', { w: ok }, new Uint8Array(12)), /last 4 bytes of the data region belong to no tensor/, undefined],
    ['metadata not strings', () => rawFile('meta', { __metadata__: { format: 1 }, w: ok }, eight), /"__metadata__" value for "format" is not a string/, '__metadata__'],
    ['missing data_offsets', () => rawFile('nooff', { w: { dtype: 'F32', shape: [2] } }, eight), /data_offsets undefined is not a pair/, 'w'],
  ];
  for (const [label, make, message, field] of cases) {
    const file = make();
    const err = await userErrorFrom(() => readSafetensors(file));
    assert.match(err.message, message, label);
    assert.equal(err.place.file, file, label);
    assert.equal(err.place.field, field, label);
    assert.match(err.fix, /\S/, label);
    // The header-only reader validates the same things (the data is never needed to find these).
    await userErrorFrom(() => readSafetensorsHeader(file));
  }
});

test('a missing file is a UserError, not a stack trace', async () => {
  const err = await userErrorFrom(() => readSafetensors(join(tmp.dir, 'nope.safetensors')));
  assert.match(err.format(), /nope\.safetensors: file not found/);
});

test('writeFileAtomic leaves the old file untouched and no temp file when writing fails', async () => {
  const file = join(tmp.dir, 'atomic.bin');
  writeFileSync(file, 'old');
  await assert.rejects(
    writeFileAtomic(file, async (handle) => {
      await handle.write('partial');
      throw new Error('disk full');
    }),
    /disk full/,
  );
  assert.equal(readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.includes('atomic.bin.')), []);
});
