// Test-side writers for the formats torch.save produces: a pickle byte builder (protocol 2, with the memo use of
// CPython's pickler), the state-dict pickle torch.save emits, and a ZIP writer with torch's 64-byte data
// alignment and optional ZIP64 records / deflate. Kept apart from the tests because hardening tests reuse them.

import { writeFileSync } from 'node:fs';
import * as zlib from 'node:zlib';

/** Builds pickle bytes opcode by opcode. Strings and globals are memoized and re-read with BINGET, as CPython does. */
export class PickleWriter {
  private readonly parts: number[] = [];
  private readonly memo = new Map<string, number>();
  private nextMemo = 0;

  byte(...bs: number[]): this {
    this.parts.push(...bs);
    return this;
  }
  private u32(n: number): this {
    return this.byte(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }
  private ascii(s: string): this {
    return this.byte(...Buffer.from(s, 'latin1'));
  }
  proto(v = 2): this {
    return this.byte(0x80, v);
  }
  /** BINPUT of the value on top of the stack; returns this for chaining. */
  put(): this {
    const i = this.nextMemo++;
    return i < 256 ? this.byte(0x71, i) : this.byte(0x72).u32(i);
  }
  get(i: number): this {
    return i < 256 ? this.byte(0x68, i) : this.byte(0x6a).u32(i);
  }
  private memoized(key: string, write: () => void): this {
    const at = this.memo.get(key);
    if (at !== undefined) return this.get(at);
    write();
    this.memo.set(key, this.nextMemo);
    return this.put();
  }
  str(s: string): this {
    return this.memoized(`s:${s}`, () => {
      const b = Buffer.from(s, 'utf8');
      this.byte(0x58).u32(b.length).byte(...b);
    });
  }
  global(module: string, name: string): this {
    return this.memoized(`g:${module}.${name}`, () => this.byte(0x63).ascii(`${module}\n${name}\n`));
  }
  /** Python's int encoding: BININT1, BININT2, BININT, else LONG1. */
  int(n: number | bigint): this {
    const v = BigInt(n);
    if (v >= 0n && v < 256n) return this.byte(0x4b, Number(v));
    if (v >= 0n && v < 65536n) return this.byte(0x4d, Number(v) & 0xff, Number(v) >> 8);
    if (v >= -(2n ** 31n) && v < 2n ** 31n) return this.byte(0x4a).u32(Number(BigInt.asUintN(32, v)));
    const bytes: number[] = [];
    let x = v;
    for (;;) {
      bytes.push(Number(BigInt.asUintN(8, x)));
      x >>= 8n;
      const signBit = (bytes[bytes.length - 1] & 0x80) !== 0;
      if ((x === 0n && !signBit) || (x === -1n && signBit)) break;
    }
    return this.byte(0x8a, bytes.length, ...bytes);
  }
  bool(b: boolean): this {
    return this.byte(b ? 0x88 : 0x89);
  }
  none(): this {
    return this.byte(0x4e);
  }
  mark(): this {
    return this.byte(0x28);
  }
  /** Closes a tuple of `n` items already written (after a mark when n > 3), then memoizes it as CPython does. */
  tuple(n: number): this {
    if (n === 0) return this.byte(0x29);
    this.byte(n === 1 ? 0x85 : n === 2 ? 0x86 : n === 3 ? 0x87 : 0x74);
    return this.put();
  }
  intTuple(values: number[]): this {
    if (values.length > 3) this.mark();
    for (const v of values) this.int(v);
    return this.tuple(values.length);
  }
  reduce(): this {
    return this.byte(0x52);
  }
  persid(): this {
    return this.byte(0x51);
  }
  emptyDict(): this {
    return this.byte(0x7d).put();
  }
  setitem(): this {
    return this.byte(0x73);
  }
  setitems(): this {
    return this.byte(0x75);
  }
  build(): this {
    return this.byte(0x62);
  }
  stop(): this {
    return this.byte(0x2e);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export type StorageType =
  | 'FloatStorage' | 'HalfStorage' | 'BFloat16Storage' | 'DoubleStorage' | 'LongStorage'
  | 'IntStorage' | 'ShortStorage' | 'CharStorage' | 'ByteStorage' | 'BoolStorage';

export interface TorchStorage {
  key: string;
  type: StorageType;
  /** The raw little-endian bytes of the storage. */
  data: Uint8Array;
  /** Element count written in the persistent id (defaults to data length / element size). */
  numel?: number;
}

export interface TorchTensor {
  name: string;
  storage: TorchStorage;
  offset: number;
  size: number[];
  stride: number[];
  /** Wrap in `_rebuild_parameter`, as torch.save does for an nn.Parameter. */
  parameter?: boolean;
}

const ELEMENT_SIZE: Record<StorageType, number> = {
  FloatStorage: 4, HalfStorage: 2, BFloat16Storage: 2, DoubleStorage: 8, LongStorage: 8,
  IntStorage: 4, ShortStorage: 2, CharStorage: 1, ByteStorage: 1, BoolStorage: 1,
};

/** Row-major strides for `size`. */
export function contiguousStride(size: number[]): number[] {
  const stride = new Array<number>(size.length);
  let s = 1;
  for (let d = size.length - 1; d >= 0; d--) {
    stride[d] = s;
    s *= size[d];
  }
  return stride;
}

/**
 * The data.pkl torch.save writes for an OrderedDict state dict: `OrderedDict()` REDUCE, then SETITEMS of name →
 * `_rebuild_tensor_v2((storage pid), offset, size, stride, False, OrderedDict())`, then BUILD with the
 * `_metadata` attribute state dicts carry.
 */
export function stateDictPickle(tensors: TorchTensor[]): Uint8Array {
  const p = new PickleWriter().proto(2);
  p.global('collections', 'OrderedDict').byte(0x29).reduce().put();
  p.mark();
  for (const t of tensors) {
    p.str(t.name);
    if (t.parameter) p.global('torch._utils', '_rebuild_parameter');
    p.global('torch._utils', '_rebuild_tensor_v2');
    p.mark();
    const numel = t.storage.numel ?? t.storage.data.byteLength / ELEMENT_SIZE[t.storage.type];
    p.mark().str('storage').global('torch', t.storage.type).str(t.storage.key).str('cpu').int(numel).byte(0x74).put().persid();
    p.int(t.offset).intTuple(t.size).intTuple(t.stride).bool(false);
    p.global('collections', 'OrderedDict').byte(0x29).reduce().put();
    p.byte(0x74).put().reduce().put();
    if (t.parameter) p.bool(true).global('collections', 'OrderedDict').byte(0x29).reduce().put().tuple(3).reduce().put();
  }
  p.setitems();
  // state = {'_metadata': OrderedDict([('', {'version': 1})])}
  p.emptyDict().str('_metadata').global('collections', 'OrderedDict').byte(0x29).reduce().put();
  p.str('').emptyDict().str('version').int(1).setitem().setitem().setitem().build();
  return p.stop().bytes();
}

export interface ZipFileEntry {
  name: string;
  data: Uint8Array;
  deflate?: boolean;
}

/**
 * A ZIP archive as PyTorch's writer lays it out: local headers whose extra field ('FB' padding) aligns each
 * entry's data to 64 bytes, then the central directory and end records. `zip64` writes every size and offset
 * through ZIP64 extra fields and adds the ZIP64 end record and locator, as large checkpoints have.
 */
export function buildZip(entries: ZipFileEntry[], options: { zip64?: boolean } = {}): Uint8Array {
  const chunks: Buffer[] = [];
  let offset = 0;
  const central: Buffer[] = [];
  const add = (b: Buffer) => {
    chunks.push(b);
    offset += b.length;
  };
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? zlib.deflateRawSync(e.data) : Buffer.from(e.data);
    const crc = zlib.crc32(e.data) >>> 0;
    const headerOffset = offset;
    const zip64Local = options.zip64 ? zip64Extra([e.data.byteLength, body.length]) : Buffer.alloc(0);
    const baseLength = 30 + name.length + zip64Local.length;
    const pad = (64 - ((headerOffset + baseLength + 4) % 64)) % 64;
    const padding = Buffer.alloc(4 + pad);
    padding.writeUInt16LE(0x4246, 0);
    padding.writeUInt16LE(pad, 2);
    const extra = Buffer.concat([zip64Local, padding]);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(options.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(options.zip64 ? 0xffffffff : body.length, 18);
    local.writeUInt32LE(options.zip64 ? 0xffffffff : e.data.byteLength, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    add(Buffer.concat([local, name, extra]));
    add(body);

    const cextra = options.zip64 ? zip64Extra([e.data.byteLength, body.length, headerOffset]) : Buffer.alloc(0);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(options.zip64 ? 45 : 20, 4);
    c.writeUInt16LE(options.zip64 ? 45 : 20, 6);
    c.writeUInt16LE(e.deflate ? 8 : 0, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(options.zip64 ? 0xffffffff : body.length, 20);
    c.writeUInt32LE(options.zip64 ? 0xffffffff : e.data.byteLength, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(cextra.length, 30);
    c.writeUInt32LE(options.zip64 ? 0xffffffff : headerOffset, 42);
    central.push(Buffer.concat([c, name, cextra]));
  }
  const cdOffset = offset;
  const cd = Buffer.concat(central);
  add(cd);
  if (options.zip64) {
    const z = Buffer.alloc(56);
    const zOffset = offset;
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(entries.length), 24);
    z.writeBigUInt64LE(BigInt(entries.length), 32);
    z.writeBigUInt64LE(BigInt(cd.length), 40);
    z.writeBigUInt64LE(BigInt(cdOffset), 48);
    add(z);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(zOffset), 8);
    loc.writeUInt32LE(1, 16);
    add(loc);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.zip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(options.zip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : cd.length, 12);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : cdOffset, 16);
  add(end);
  return new Uint8Array(Buffer.concat(chunks));
}

function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}

/** The archive torch.save writes: `archive/data.pkl`, `archive/byteorder`, `archive/data/<key>`, `archive/version`. */
export function torchArchive(pickle: Uint8Array, storages: TorchStorage[], options: { zip64?: boolean; deflate?: boolean; prefix?: string } = {}): Uint8Array {
  const prefix = options.prefix ?? 'archive';
  const unique = [...new Map(storages.map((s) => [s.key, s])).values()];
  return buildZip(
    [
      { name: `${prefix}/data.pkl`, data: pickle, deflate: options.deflate },
      { name: `${prefix}/byteorder`, data: Buffer.from('little') },
      ...unique.map((s) => ({ name: `${prefix}/data/${s.key}`, data: s.data, deflate: options.deflate })),
      { name: `${prefix}/version`, data: Buffer.from('3\n') },
    ],
    options,
  );
}

/** Writes a torch.save-format state dict file holding `tensors`. */
export function writeTorchBin(file: string, tensors: TorchTensor[], options: { zip64?: boolean; deflate?: boolean } = {}): void {
  writeFileSync(file, torchArchive(stateDictPickle(tensors), tensors.map((t) => t.storage), options));
}

/** Little-endian bytes of typed data (the host is little-endian on every platform Node supports for us). */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}
