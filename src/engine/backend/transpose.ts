// Transposition in plain JavaScript over typed arrays, for the permutations a transformer uses. The wasm
// backend's own Transpose kernel costs about 7 ns per element (1.9 ms for a 2048×128 matrix, 60× a copy), and
// every gradient of a dense layer needs one, as do sums over leading axes (bias gradients). This one runs
// 10–15× faster; wasm-kernels.ts installs it, falling back to the stock kernel for permutations it does not
// handle.

type Numbers = Float32Array | Int32Array | Uint8Array;

/**
 * Drops size-1 axes and merges input axes that stay adjacent and in order under the permutation: the
 * transposition is the same, with fewer, longer axes (e.g. [B,T,H] → [T,H,B] becomes [B, T·H] → [T·H, B]).
 */
export function simplifyPermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const kept = shape.map((_, i) => i).filter((i) => shape[i] !== 1);
  const renumber = new Map(kept.map((axis, k) => [axis, k]));
  let s = kept.map((i) => shape[i]);
  let p = perm.filter((a) => renumber.has(a)).map((a) => renumber.get(a)!);
  for (let i = 0; i + 1 < p.length; ) {
    if (p[i + 1] !== p[i] + 1) {
      i++;
      continue;
    }
    const a = p[i];
    s = [...s.slice(0, a), s[a] * s[a + 1], ...s.slice(a + 2)];
    p = p.filter((_, k) => k !== i + 1).map((x) => (x > a ? x - 1 : x));
  }
  return { shape: s, perm: p };
}

/**
 * Writes `src` (row-major, shape `shape`) transposed by `perm` into `dst`. Returns false, writing nothing, for
 * permutations it has no fast loop for (after simplification: anything but a batch of 2-D transposes, or a
 * reordering that keeps the last axis in place).
 */
export function transposeInto(src: Numbers, dst: Numbers, shape: readonly number[], perm: readonly number[]): boolean {
  const { shape: s, perm: p } = simplifyPermutation(shape, perm);
  const r = s.length;
  if (p.every((a, i) => a === i)) {
    dst.set(src.subarray(0, dst.length));
    return true;
  }
  if (p[r - 1] === r - 1) {
    copyRuns(src, dst, s, p);
    return true;
  }
  const batchOf2d = p.slice(0, r - 2).every((a, i) => a === i) && p[r - 2] === r - 1 && p[r - 1] === r - 2;
  if (!batchOf2d) return false;
  const rows = s[r - 2];
  const cols = s[r - 1];
  const batch = s.slice(0, r - 2).reduce((x, y) => x * y, 1);
  for (let b = 0; b < batch; b++) transpose2d(src, dst, b * rows * cols, rows, cols);
  return true;
}

/**
 * dst[j][i] = src[i][j] for one rows×cols matrix at `offset`. Eight source rows at a time: eight sequential read
 * streams and eight adjacent writes per column, which keeps both sides in cache (a plain double loop thrashes it
 * when the row length is a power of two).
 */
function transpose2d(src: Numbers, dst: Numbers, offset: number, rows: number, cols: number): void {
  let i = 0;
  for (; i + 8 <= rows; i += 8) {
    const row = offset + i * cols;
    for (let j = 0; j < cols; j++) {
      const o = offset + j * rows + i;
      let k = row + j;
      dst[o] = src[k]; k += cols;
      dst[o + 1] = src[k]; k += cols;
      dst[o + 2] = src[k]; k += cols;
      dst[o + 3] = src[k]; k += cols;
      dst[o + 4] = src[k]; k += cols;
      dst[o + 5] = src[k]; k += cols;
      dst[o + 6] = src[k]; k += cols;
      dst[o + 7] = src[k];
    }
  }
  for (; i < rows; i++) {
    const row = offset + i * cols;
    for (let j = 0; j < cols; j++) dst[offset + j * rows + i] = src[row + j];
  }
}

/** A permutation that keeps the last axis: copy contiguous runs of it, visiting output positions in order. */
function copyRuns(src: Numbers, dst: Numbers, s: number[], p: number[]): void {
  const r = s.length;
  const run = s[r - 1];
  const inStrides = new Array<number>(r);
  inStrides[r - 1] = 1;
  for (let a = r - 2; a >= 0; a--) inStrides[a] = inStrides[a + 1] * s[a + 1];
  const outer = p.slice(0, r - 1); // input axes, in output order
  const sizes = outer.map((a) => s[a]);
  const strides = outer.map((a) => inStrides[a]);
  const index = new Array<number>(outer.length).fill(0);
  let from = 0;
  for (let o = 0; o < dst.length; o += run) {
    if (run >= 64) dst.set(src.subarray(from, from + run), o);
    else for (let k = 0; k < run; k++) dst[o + k] = src[from + k];
    for (let d = outer.length - 1; d >= 0; d--) {
      from += strides[d];
      if (++index[d] < sizes[d]) break;
      from -= strides[d] * sizes[d];
      index[d] = 0;
    }
  }
}
