// Seeded mutations of a valid file, the kinds that damaged downloads and hostile files have: flipped bits, bytes
// set to values that mean something to a parser, truncation, inserted and deleted runs, a run copied elsewhere,
// and edits of length and offset fields (an integer rewritten with a boundary value, or a decimal number in a
// text header replaced by a large one). Each mutation is described in words so a failing case can be understood.
import { Rng } from '../../src/engine/rng';

export interface Mutation {
  bytes: Uint8Array;
  /** e.g. `flip bit 3 of byte 120; truncate to 77 bytes`. */
  what: string;
}

/** Bytes that parsers of our formats give meaning to. */
const SPECIAL = [0x00, 0x01, 0x0a, 0x0d, 0x20, 0x22, 0x27, 0x2c, 0x09, 0x5b, 0x5d, 0x7b, 0x7d, 0x3a, 0x5c, 0x7f, 0x80, 0xbf, 0xc0, 0xef, 0xfe, 0xff, 0x28, 0x2e, 0x52, 0x63, 0x93];
/** Integers at the edges of what length fields hold. */
const BOUNDARY = [0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

export function mutate(valid: Uint8Array, rng: Rng, maxSteps = 3): Mutation {
  let bytes: Uint8Array = Uint8Array.from(valid);
  const what: string[] = [];
  const steps = 1 + rng.int(maxSteps);
  for (let s = 0; s < steps; s++) {
    const n = bytes.length;
    const at = n === 0 ? 0 : rng.int(n);
    switch (rng.int(8)) {
      case 0: {
        if (n === 0) break;
        const bit = rng.int(8);
        bytes[at] ^= 1 << bit;
        what.push(`flip bit ${bit} of byte ${at}`);
        break;
      }
      case 1: {
        if (n === 0) break;
        const v = SPECIAL[rng.int(SPECIAL.length)];
        bytes[at] = v;
        what.push(`set byte ${at} to 0x${v.toString(16)}`);
        break;
      }
      case 2: {
        const keep = rng.int(n + 1);
        bytes = bytes.slice(0, keep);
        what.push(`truncate to ${keep} bytes`);
        break;
      }
      case 3: {
        const count = 1 + rng.int(16);
        const run = Uint8Array.from({ length: count }, () => (rng.int(2) === 0 ? SPECIAL[rng.int(SPECIAL.length)] : rng.int(256)));
        bytes = concat(bytes.subarray(0, at), run, bytes.subarray(at));
        what.push(`insert ${count} bytes at ${at}`);
        break;
      }
      case 4: {
        const count = 1 + rng.int(Math.max(1, Math.min(64, n - at)));
        bytes = concat(bytes.subarray(0, at), bytes.subarray(at + count));
        what.push(`delete ${count} bytes at ${at}`);
        break;
      }
      case 5: {
        // A run copied over another place: duplicated records, shifted fields.
        if (n < 2) break;
        const from = rng.int(n);
        const count = 1 + rng.int(Math.min(32, n - from));
        const to = rng.int(n);
        bytes = concat(bytes.subarray(0, to), bytes.subarray(from, from + count), bytes.subarray(to));
        what.push(`copy ${count} bytes from ${from} to ${to}`);
        break;
      }
      case 6: {
        // A little-endian integer field rewritten: 2, 4 or 8 bytes, with a boundary value or near the file's size.
        const width = [2, 4, 8][rng.int(3)];
        if (n < width) break;
        const pos = rng.int(n - width + 1);
        const value = rng.int(3) === 0 ? BigInt(Math.max(0, n + rng.int(33) - 16)) : rng.int(4) === 0 ? 2n ** BigInt(8 * width) - 1n - BigInt(rng.int(4)) : BigInt(BOUNDARY[rng.int(BOUNDARY.length)]);
        const masked = BigInt.asUintN(8 * width, value);
        for (let i = 0; i < width; i++) bytes[pos + i] = Number((masked >> BigInt(8 * i)) & 0xffn);
        what.push(`write ${width}-byte integer ${masked} at ${pos}`);
        break;
      }
      case 7: {
        // A decimal number in text (a JSON header's shape or offsets, a CSV count) replaced by another.
        const text = Buffer.from(bytes).toString('latin1');
        const numbers = [...text.matchAll(/\d+/g)];
        if (numbers.length === 0) break;
        const m = numbers[rng.int(numbers.length)];
        const replacement = ['0', '-1', '4294967296', '9007199254740993', '1e308', String(Number(m[0]) + 1 + rng.int(8)), '1.5'][rng.int(7)];
        bytes = concat(bytes.subarray(0, m.index!), Buffer.from(replacement, 'latin1'), bytes.subarray(m.index! + m[0].length));
        what.push(`replace the number ${m[0]} at ${m.index} by ${replacement}`);
        break;
      }
    }
  }
  return { bytes, what: what.join('; ') || 'unchanged' };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
