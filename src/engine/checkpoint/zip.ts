// A minimal, strict, read-only ZIP reader over an in-memory buffer: enough for the archives torch.save writes
// (stored entries, ZIP64 records for large files) plus deflate, which other writers use. Every offset and size
// read from the file is bounds-checked before use, and entries are only decompressed when asked for, with
// their declared size as a hard limit, so a hostile archive cannot make us read out of bounds or balloon memory.

import { constants as bufferConstants } from 'node:buffer';
import * as zlib from 'node:zlib';
import { UserError } from '../errors';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
/** Deflate cannot expand data by more than about 1032:1; a larger declared ratio is a zip bomb or corruption. */
const MAX_DEFLATE_RATIO = 1032;
const DAMAGED_FIX = 'The file is damaged or truncated; download it again.';

export class ZipArchive {
  readonly entries = new Map<string, ZipEntry>();
  /** Central directory start: every entry's data must lie before it. */
  private readonly centralStart: number;

  constructor(
    private readonly buf: Uint8Array,
    /** The archive's path, for error messages. */
    private readonly file: string,
  ) {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const eocd = this.findEocd(view);
    let count = view.getUint16(eocd + 10, true);
    let cdSize = view.getUint32(eocd + 12, true);
    let cdOffset = view.getUint32(eocd + 16, true);
    if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0 || view.getUint16(eocd + 8, true) !== count) {
      this.fail('is a multi-part ZIP archive, which is not supported');
    }
    let directoryEnd = eocd;
    const locator = eocd - 20;
    if (locator >= 0 && view.getUint32(locator, true) === SIG_ZIP64_LOCATOR) {
      const z = this.u64(view, locator + 8);
      this.check(z + 56 <= locator && view.getUint32(z, true) === SIG_ZIP64_EOCD, 'ZIP64 end-of-directory record is missing');
      if (view.getUint32(z + 16, true) !== 0 || view.getUint32(z + 20, true) !== 0) this.fail('is a multi-part ZIP archive, which is not supported');
      const entriesHere = this.u64(view, z + 24);
      count = this.u64(view, z + 32);
      this.check(entriesHere === count, 'is a multi-part ZIP archive, which is not supported');
      cdSize = this.u64(view, z + 40);
      cdOffset = this.u64(view, z + 48);
      directoryEnd = z;
    }
    this.check(cdOffset + cdSize <= directoryEnd, `central directory [${cdOffset}, +${cdSize}] runs past its end record`);
    this.check(count * CENTRAL_SIZE <= cdSize, `claims ${count} entries, more than its central directory can hold`);
    this.centralStart = cdOffset;
    let p = cdOffset;
    const cdEnd = cdOffset + cdSize;
    for (let i = 0; i < count; i++) {
      this.check(p + CENTRAL_SIZE <= cdEnd && view.getUint32(p, true) === SIG_CENTRAL, `central directory entry ${i} is damaged`);
      const entry = this.parseCentral(view, p, cdEnd);
      if (this.entries.has(entry.name)) this.fail(`has two entries named "${entry.name}"`);
      this.entries.set(entry.name, entry);
      p += CENTRAL_SIZE + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    }
  }

  /** The contents of entry `name` (a view into the archive for stored entries), CRC-checked. */
  read(name: string): Uint8Array {
    const e = this.entries.get(name);
    if (!e) this.fail(`has no entry "${name}"`);
    const view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    const h = e.localHeaderOffset;
    this.check(h + LOCAL_SIZE <= this.centralStart && view.getUint32(h, true) === SIG_LOCAL, `local header of "${name}" is damaged`);
    const nameLength = view.getUint16(h + 26, true);
    const start = h + LOCAL_SIZE + nameLength + view.getUint16(h + 28, true);
    this.check(start + e.compressedSize <= this.centralStart, `data of "${name}" runs past the end of the entries`);
    const localName = Buffer.from(this.buf.buffer, this.buf.byteOffset + h + LOCAL_SIZE, nameLength).toString('utf8');
    this.check(localName === name, `local header of "${name}" names "${localName}"`);
    const raw = this.buf.subarray(start, start + e.compressedSize);
    let data: Uint8Array;
    if (e.method === 0) {
      data = raw;
    } else {
      try {
        data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, e.uncompressedSize) });
      } catch (err) {
        this.fail(`entry "${name}" does not decompress (${(err as Error).message})`);
      }
      this.check(data.byteLength === e.uncompressedSize, `entry "${name}" decompresses to ${data.byteLength} bytes, not ${e.uncompressedSize}`);
    }
    this.check((zlib.crc32(data) >>> 0) === e.crc32, `entry "${name}" fails its CRC check`);
    return data;
  }

  private parseCentral(view: DataView, p: number, cdEnd: number): ZipEntry {
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    this.check(p + CENTRAL_SIZE + nameLength + extraLength + commentLength <= cdEnd, 'central directory entry runs past its end');
    let name: string;
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(this.buf.subarray(p + CENTRAL_SIZE, p + CENTRAL_SIZE + nameLength));
    } catch {
      this.fail('has an entry whose name is not valid UTF-8');
    }
    if (flags & 1) this.fail(`entry "${name}" is encrypted`);
    if (method !== 0 && method !== 8) this.fail(`entry "${name}" uses compression method ${method}; only stored and deflate are supported`);
    if (view.getUint16(p + 34, true) !== 0 && view.getUint16(p + 34, true) !== 0xffff) this.fail('is a multi-part ZIP archive, which is not supported');
    let compressedSize = view.getUint32(p + 20, true);
    let uncompressedSize = view.getUint32(p + 24, true);
    let localHeaderOffset = view.getUint32(p + 42, true);
    // ZIP64: a field that reads 0xFFFFFFFF is in the 0x0001 extra field instead, in this fixed order.
    const zip64 = this.findExtra(view, p + CENTRAL_SIZE + nameLength, extraLength, 0x0001);
    if (zip64) {
      let q = zip64.start;
      const take = (): number => {
        this.check(q + 8 <= zip64.end, `ZIP64 extra field of "${name}" is too short`);
        const v = this.u64(view, q);
        q += 8;
        return v;
      };
      if (uncompressedSize === 0xffffffff) uncompressedSize = take();
      if (compressedSize === 0xffffffff) compressedSize = take();
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
    }
    if (method === 0) this.check(compressedSize === uncompressedSize, `stored entry "${name}" has different compressed and uncompressed sizes`);
    if (method === 8) {
      this.check(
        uncompressedSize <= bufferConstants.MAX_LENGTH && uncompressedSize <= Math.max(1, compressedSize) * MAX_DEFLATE_RATIO,
        `entry "${name}" declares an impossible uncompressed size ${uncompressedSize}`,
      );
    }
    return { name, method, crc32: view.getUint32(p + 16, true), compressedSize, uncompressedSize, localHeaderOffset };
  }

  private findExtra(view: DataView, start: number, length: number, id: number): { start: number; end: number } | undefined {
    let q = start;
    const end = start + length;
    while (q + 4 <= end) {
      const size = view.getUint16(q + 2, true);
      this.check(q + 4 + size <= end, 'an extra field runs past its entry');
      if (view.getUint16(q, true) === id) return { start: q + 4, end: q + 4 + size };
      q += 4 + size;
    }
    return undefined;
  }

  /** The end-of-central-directory record: scanned for backwards over the (at most 64 KiB) trailing comment. */
  private findEocd(view: DataView): number {
    const len = view.byteLength;
    this.check(len >= EOCD_SIZE, 'is too short to be a ZIP archive');
    for (let p = len - EOCD_SIZE; p >= Math.max(0, len - EOCD_SIZE - 0xffff); p--) {
      if (view.getUint32(p, true) === SIG_EOCD && p + EOCD_SIZE + view.getUint16(p + 20, true) === len) return p;
    }
    this.fail('has no ZIP end-of-central-directory record');
  }

  private u64(view: DataView, p: number): number {
    this.check(p + 8 <= view.byteLength, 'a ZIP record runs past the end of the file');
    const v = view.getBigUint64(p, true);
    this.check(v <= BigInt(view.byteLength), `a ZIP offset or size (${v}) is larger than the file`);
    return Number(v);
  }

  private check(ok: boolean, problem: string): asserts ok {
    if (!ok) this.fail(problem);
  }

  private fail(problem: string): never {
    throw new UserError(problem, { file: this.file }, DAMAGED_FIX);
  }
}
