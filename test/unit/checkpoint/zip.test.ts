import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZipArchive } from '../../../src/engine/checkpoint/zip';
import { CPYTHON_ZIP } from './cpython-samples';
import { buildZip } from './torch-writer';
import { userErrorFrom } from './paths';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const payload = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 251);

test('reads a ZIP written by CPython zipfile: stored, deflated and a ZIP64 local header', () => {
  const zip = new ZipArchive(Buffer.from(CPYTHON_ZIP, 'base64'), 'py.zip');
  assert.deepEqual([...zip.entries.keys()], ['stored.txt', 'deflated.bin', 'big64.txt']);
  assert.equal(text(zip.read('stored.txt')), 'hello stored\n'.repeat(3));
  const expected = Buffer.alloc(2048);
  for (let i = 0; i < 2048; i++) expected[i] = i % 256;
  assert.ok(Buffer.from(zip.read('deflated.bin')).equals(expected));
  assert.equal(zip.entries.get('deflated.bin')!.method, 8);
  assert.equal(text(zip.read('big64.txt')), 'zip64 entry\n');
});

for (const zip64 of [false, true]) {
  test(`reads torch-style aligned archives (${zip64 ? 'ZIP64 records' : 'plain'}), stored and deflated`, () => {
    const bytes = buildZip(
      [
        { name: 'archive/data.pkl', data: Buffer.from('pickle') },
        { name: 'archive/data/0', data: payload },
        { name: 'archive/data/1', data: payload, deflate: true },
        { name: 'archive/empty', data: new Uint8Array(0) },
      ],
      { zip64 },
    );
    const zip = new ZipArchive(bytes, 'a.bin');
    assert.equal(text(zip.read('archive/data.pkl')), 'pickle');
    const stored = zip.read('archive/data/0');
    assert.deepEqual(stored, payload);
    assert.equal(stored.buffer, bytes.buffer, 'stored entries are views, not copies');
    assert.equal(stored.byteOffset % 64, 0, 'torch aligns entry data to 64 bytes');
    assert.deepEqual(new Uint8Array(zip.read('archive/data/1')), payload);
    assert.equal(zip.read('archive/empty').byteLength, 0);
  });
}

function corrupt(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at] = value;
  return copy;
}

test('damaged archives are UserErrors, with every offset checked', async () => {
  const good = buildZip([{ name: 'a', data: payload }, { name: 'b', data: payload, deflate: true }]);
  const view = Buffer.from(good);
  const eocd = view.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const cd = view.readUInt32LE(eocd + 16);
  const firstData = 64;
  const cases: [string, () => unknown, RegExp][] = [
    ['too short', () => new ZipArchive(new Uint8Array(10), 'x'), /too short/],
    ['no end record', () => new ZipArchive(good.subarray(0, good.length - 1), 'x'), /no ZIP end-of-central-directory/],
    ['central directory past end', () => { const b = Buffer.from(good); b.writeUInt32LE(good.length, eocd + 16); return new ZipArchive(b, 'x'); }, /central directory .* runs past/],
    ['too many entries', () => { const b = Buffer.from(good); b.writeUInt16LE(900, eocd + 8); b.writeUInt16LE(900, eocd + 10); return new ZipArchive(b, 'x'); }, /claims 900 entries/],
    ['local header offset out of range', () => { const b = Buffer.from(good); b.writeUInt32LE(cd - 10, cd + 42); return new ZipArchive(b, 'x').read('a'); }, /local header of "a" is damaged/],
    ['CRC mismatch', () => new ZipArchive(corrupt(good, firstData + 5, good[firstData + 5] ^ 1), 'x').read('a'), /fails its CRC check/],
    ['size past the entries', () => { const b = Buffer.from(good); b.writeUInt32LE(cd, cd + 20); b.writeUInt32LE(cd, cd + 24); return new ZipArchive(b, 'x').read('a'); }, /runs past the end of the entries/],
    ['unsupported method', () => { const b = Buffer.from(good); b.writeUInt16LE(12, cd + 10); return new ZipArchive(b, 'x'); }, /compression method 12/],
    ['encrypted', () => { const b = Buffer.from(good); b.writeUInt16LE(1, cd + 8); return new ZipArchive(b, 'x'); }, /encrypted/],
    ['missing entry', () => new ZipArchive(good, 'x').read('zzz'), /has no entry "zzz"/],
    ['duplicate names', () => new ZipArchive(buildZip([{ name: 'a', data: payload }, { name: 'a', data: payload }]), 'x'), /two entries named "a"/],
    ['deflate bomb claim', () => { const b = Buffer.from(good); const second = cd + 46 + 1; b.writeUInt32LE(0x7fffffff, second + 24); return new ZipArchive(b, 'x'); }, /impossible uncompressed size/],
  ];
  for (const [label, run, message] of cases) {
    const err = await userErrorFrom(run);
    assert.match(err.message, message, label);
    assert.equal(err.place.file, 'x', label);
  }
});
