// Element types as they are stored in checkpoint files, and their conversion to the two host dtypes the engine
// computes in. Both safetensors and pytorch_model.bin go through here, so a float16 or int64 tensor converts the
// same way whichever file it came from. Names are the safetensors spellings; torch storage types map onto them.

import { ErrorPlace, UserError } from '../errors';
import { HostDType } from '../tensors';

/** Every stored element type this reader converts. */
export type StoredDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

const ITEM_SIZE: Record<StoredDType, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

export const SUPPORTED_DTYPES_TEXT = 'F32, F16, BF16, F64, I64, I32, I16, I8, U8 and BOOL';

export function isStoredDType(s: unknown): s is StoredDType {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(ITEM_SIZE, s);
}

export function itemSize(dtype: StoredDType): number {
  return ITEM_SIZE[dtype];
}

/** Floats become float32 (the engine's compute type); every integer and bool type becomes int32. */
export function hostDType(dtype: StoredDType): HostDType {
  return dtype.startsWith('F') || dtype === 'BF16' ? 'float32' : 'int32';
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Converts `count` little-endian elements stored in `bytes` (exactly count × itemSize bytes) to a host array.
 * float32 and int32 data that is 4-byte aligned is returned as a view over `bytes` (no copy): that is what lets a
 * 440 MB checkpoint load without a second copy of its weights. The caller decides whether aliasing is acceptable.
 */
export function decodeElements(bytes: Uint8Array, dtype: StoredDType, count: number, place: ErrorPlace): Float32Array | Int32Array {
  if (bytes.byteLength !== count * ITEM_SIZE[dtype]) {
    throw new Error(`decodeElements: ${bytes.byteLength} bytes for ${count} × ${dtype}`);
  }
  if (dtype === 'F32' || dtype === 'I32') {
    const Ctor = dtype === 'F32' ? Float32Array : Int32Array;
    if (LITTLE_ENDIAN_HOST) {
      if (bytes.byteOffset % 4 === 0) return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, count);
      const copy = new Ctor(count);
      new Uint8Array(copy.buffer).set(bytes);
      return copy;
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32': return fill(new Float32Array(count), (i) => view.getFloat32(i * 4, true));
    case 'F64': return fill(new Float32Array(count), (i) => view.getFloat64(i * 8, true));
    case 'F16': {
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = halfToFloatBits(view.getUint16(i * 2, true));
      return out;
    }
    case 'BF16': {
      // bfloat16 is the top half of a float32, so widening is a shift.
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return out;
    }
    case 'I32': return fill(new Int32Array(count), (i) => view.getInt32(i * 4, true));
    case 'I16': return fill(new Int32Array(count), (i) => view.getInt16(i * 2, true));
    case 'I8': return fill(new Int32Array(count), (i) => view.getInt8(i));
    case 'U16': return fill(new Int32Array(count), (i) => view.getUint16(i * 2, true));
    case 'U8': return fill(new Int32Array(count), (i) => view.getUint8(i));
    case 'BOOL': return fill(new Int32Array(count), (i) => (view.getUint8(i) !== 0 ? 1 : 0));
    case 'U32': return fill(new Int32Array(count), (i) => checkedInt(0, view.getUint32(i * 4, true), i, dtype, place));
    case 'I64': case 'U64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const lo = view.getUint32(i * 8, true);
        const hi = dtype === 'I64' ? view.getInt32(i * 8 + 4, true) : view.getUint32(i * 8 + 4, true);
        out[i] = checkedInt(hi, lo, i, dtype, place);
      }
      return out;
    }
  }
}

function fill<T extends Float32Array | Int32Array>(out: T, at: (i: number) => number): T {
  for (let i = 0; i < out.length; i++) out[i] = at(i);
  return out;
}

/** The 64-bit integer hi:lo as int32, or a UserError: ids and position buffers fit, anything larger is not ours to truncate. */
function checkedInt(hi: number, lo: number, index: number, dtype: StoredDType, place: ErrorPlace): number {
  if ((hi === 0 && lo <= 0x7fffffff) || (hi === -1 && lo >= 0x80000000)) return lo | 0;
  const value = (BigInt(hi) << 32n) + BigInt(lo);
  throw new UserError(
    `${dtype} value ${value} at element ${index} does not fit in int32, which is how integer tensors are held here`,
    place,
    'Integer tensors in BERT checkpoints are ids and positions, which are small; this one is probably not a weight this tool can use. Remove it from the checkpoint or store it as int32.',
  );
}

/** IEEE half → float32 bit pattern, including subnormals, infinities and NaN. */
function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  // Subnormal half: shift the mantissa up until its leading bit is the implicit one, lowering the exponent each time.
  let e = 113;
  while ((mant & 0x400) === 0) {
    mant <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((mant & 0x3ff) << 13)) >>> 0;
}

/** Host tensor data as the little-endian bytes a file holds (a view when the host is little-endian). */
export function encodeElements(data: Float32Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else data.forEach((v, i) => view.setInt32(i * 4, v, true));
  return out;
}
