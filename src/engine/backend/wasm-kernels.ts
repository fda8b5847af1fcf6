// Kernel fixes for @tensorflow/tfjs-backend-wasm 4.22, registered once before the wasm backend is used.
//
// - UnsortedSegmentSum has no wasm kernel, and it is the gradient of tf.gather: without it no embedding lookup
//   (and no gather at [MASK] positions) can be trained. ScatterNd computes the same thing — it adds updates that
//   land on the same row — so the kernel reshapes its arguments and delegates.
// - The stock Slice (and Unpack, which slices) copies the WHOLE input out of the wasm heap (readSync) for every
//   slice: unstacking a [32,128,128] tensor took 134 ms instead of 2. These replacements read the heap in place.
// - Transpose costs about 7 ns per element (see transpose.ts), and Sum over leading axes — every bias gradient —
//   transposes first with it internally. Both are replaced for the permutations transpose.ts handles.
// - GatherV2 (every embedding lookup) walks element by element: 7 ms for 2048 rows of 128. Copying whole rows
//   out of the heap takes a few percent of that.
// - Identity copies its input; TF.js calls it for every tensor it saves for a backward pass (7 ms per BERT-tiny
//   training step). Tensors are immutable, so sharing the data with a reference count, as Reshape does, is enough.
// - OneHot ignores its dtype: asked for float32 it writes int32 bit patterns (1 reads as 1.4e-45). The fix runs
//   it as int32 and converts.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { transposeInto } from './transpose';

type KernelArgs = Parameters<tf.KernelFunc>[0];

function input(args: KernelArgs, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`kernel input ${name} missing`);
  return t;
}

let registered = false;

/** Registers the wasm kernel fixes; safe to call more than once. */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum });
  override('Slice', (stock) => (args) => (input(args, 'x').dtype === 'string' ? stock(args) : slice(args)));
  override('Unpack', () => unpack);
  override('Transpose', (stock) => (args) => transpose(args) ?? stock(args));
  override('Sum', (stock) => (args) => sum(args, stock));
  override('GatherV2', (stock) => (args) => gather(args) ?? stock(args));
  override('Identity', (stock) => (args) => {
    const x = input(args, 'x');
    if (x.dtype === 'string') return stock(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
  override('OneHot', (stock) => (args) => (args.attrs!.dtype === 'int32' ? stock(args) : oneHot(args, stock)));
}

/**
 * Replaces a stock wasm kernel, keeping it at hand for the cases the replacement leaves to it. The stock setupFunc
 * is kept too: it binds the C function the stock kernel calls.
 */
function override(name: string, replacement: (stock: tf.KernelFunc) => tf.KernelFunc): void {
  const stock = tf.getKernel(name, 'wasm');
  if (!stock) throw new Error(`the wasm backend has no ${name} kernel: @tensorflow/tfjs-backend-wasm not loaded`);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', setupFunc: stock.setupFunc, kernelFunc: replacement(stock.kernelFunc) });
}

function oneHot(args: KernelArgs, stock: tf.KernelFunc): tf.TensorInfo {
  const wasm = args.backend as BackendWasm;
  const ints = stock({ ...args, attrs: { ...args.attrs, dtype: 'int32' } }) as tf.TensorInfo;
  const out = wasm.makeOutput(ints.shape, args.attrs!.dtype as tf.DataType);
  wasm.typedArrayFromHeap(out).set(wasm.typedArrayFromHeap(ints)); // converts int32 → float32 element-wise
  wasm.disposeData(ints.dataId);
  return out;
}

function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const { backend, attrs } = args;
  const wasm = backend as BackendWasm;
  const x = input(args, 'x');
  const segmentIds = input(args, 'segmentIds');
  const numSegments = attrs!.numSegments as number;
  const n = tf.util.sizeFromShape(segmentIds.shape);
  const rowShape = x.shape.slice(segmentIds.shape.length);
  let ids = segmentIds;
  let converted: tf.TensorInfo | undefined;
  if (ids.dtype !== 'int32') {
    converted = wasm.makeOutput([n], 'int32', undefined, Int32Array.from(wasm.readSync(ids.dataId) as Float32Array));
    ids = converted;
  }
  const scatterNd = tf.getKernel('ScatterNd', 'wasm')!;
  const out = scatterNd.kernelFunc({
    backend,
    inputs: {
      indices: { dataId: ids.dataId, shape: [n, 1], dtype: 'int32' },
      updates: { dataId: x.dataId, shape: [n, ...rowShape], dtype: x.dtype },
    },
    attrs: { shape: [numSegments, ...rowShape] },
  }) as tf.TensorInfo;
  if (converted) wasm.disposeData(converted.dataId);
  return out;
}

function slice(args: KernelArgs): tf.TensorInfo {
  const { backend, attrs } = args;
  const wasm = backend as BackendWasm;
  const x = input(args, 'x');
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs!.begin as number[], attrs!.size as number[]);
  const out = wasm.makeOutput(size, x.dtype);
  const n = tf.util.sizeFromShape(size);
  if (n === 0) return out;
  // Heap views are taken after makeOutput: allocating may grow the heap and detach older views.
  const src = wasm.typedArrayFromHeap(x);
  const dst = wasm.typedArrayFromHeap(out);
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const start = tf.slice_util.computeFlatOffset(begin, strides);
    dst.set(src.subarray(start, start + n));
    return out;
  }
  // Copy contiguous runs along the last axis, walking the other axes like an odometer.
  const rank = size.length;
  const run = size[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  for (let o = 0; o < n; o += run) {
    let start = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) start += (begin[d] + index[d]) * strides[d];
    dst.set(src.subarray(start, start + run), o);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

function unpack(args: KernelArgs): tf.TensorInfo[] {
  const { backend, attrs } = args;
  const value = input(args, 'value');
  const rank = value.shape.length;
  const axis = ((attrs!.axis as number) + rank) % rank;
  const outShape = value.shape.filter((_, i) => i !== axis);
  const begin = new Array<number>(rank).fill(0);
  const size = value.shape.slice();
  size[axis] = 1;
  const outs: tf.TensorInfo[] = [];
  for (let i = 0; i < value.shape[axis]; i++) {
    begin[axis] = i;
    const piece = slice({ inputs: { x: value }, backend, attrs: { begin, size } });
    outs.push({ dataId: piece.dataId, dtype: piece.dtype, shape: outShape });
  }
  return outs;
}

/** The fast transposition, or undefined (nothing allocated) when transpose.ts has no loop for this permutation. */
function transpose(args: KernelArgs): tf.TensorInfo | undefined {
  const wasm = args.backend as BackendWasm;
  const x = input(args, 'x');
  const perm = args.attrs!.perm as number[];
  if (x.dtype === 'string') return undefined;
  const out = wasm.makeOutput(perm.map((a) => x.shape[a]), x.dtype);
  if (transposeInto(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(out), x.shape, perm)) return out;
  wasm.disposeData(out.dataId);
  return undefined;
}

/** Sum: when the reduced axes are not the innermost ones, move them there with the fast transpose first. */
function sum(args: KernelArgs, stock: tf.KernelFunc): tf.TensorInfo {
  const wasm = args.backend as BackendWasm;
  const x = input(args, 'x');
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(args.attrs!.axis as number | number[], x.shape);
  const perm = tf.backend_util.getAxesPermutation(axes, rank);
  if (perm === null) return stock(args) as tf.TensorInfo;
  const moved = transpose({ ...args, inputs: { x }, attrs: { perm } });
  if (!moved) return stock(args) as tf.TensorInfo;
  const inner = tf.backend_util.getInnerMostAxes(axes.length, rank);
  const out = stock({ ...args, inputs: { x: moved }, attrs: { axis: inner, keepDims: false } }) as tf.TensorInfo;
  wasm.disposeData(moved.dataId);
  if (args.attrs!.keepDims) out.shape = tf.backend_util.expandShapeToKeepDim(out.shape, axes);
  return out;
}

/** Gather along one axis (no batch dims) by copying contiguous runs; undefined for cases left to the stock kernel. */
function gather(args: KernelArgs): tf.TensorInfo | undefined {
  const wasm = args.backend as BackendWasm;
  const x = input(args, 'x');
  const indices = input(args, 'indices');
  if ((args.attrs!.batchDims as number) !== 0 || x.dtype === 'string' || indices.dtype !== 'int32') return undefined;
  const axis = tf.util.parseAxisParam(args.attrs!.axis as number, x.shape)[0];
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const n = x.shape[axis];
  const inner = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const count = tf.util.sizeFromShape(indices.shape);
  const out = wasm.makeOutput([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype);
  // Views after makeOutput, which may grow the heap.
  const src = wasm.typedArrayFromHeap(x);
  const idx = wasm.typedArrayFromHeap(indices) as Int32Array;
  const dst = wasm.typedArrayFromHeap(out);
  for (let i = 0; i < count; i++) {
    if (idx[i] < 0 || idx[i] >= n) {
      wasm.disposeData(out.dataId);
      throw new Error(`gather: index ${idx[i]} is outside [0, ${n})`);
    }
  }
  let o = 0;
  for (let b = 0; b < outer; b++) {
    const base = b * n * inner;
    for (let i = 0; i < count; i++) {
      const from = base + idx[i] * inner;
      if (inner >= 32) dst.set(src.subarray(from, from + inner), o);
      else for (let k = 0; k < inner; k++) dst[o + k] = src[from + k];
      o += inner;
    }
  }
  return out;
}
