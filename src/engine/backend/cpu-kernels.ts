// Kernel fix for the pure-JS 'cpu' backend (tfjs-backend-cpu 4.22).
// Its UnsortedSegmentSum — the gradient of tf.gather, i.e. of every embedding lookup — compares the whole input
// against each segment in turn: O(numSegments · N · H), about half an hour for one 30,522-row word-embedding
// gradient. This replacement adds each input row into its segment once: O(N · H), same sums in the same order.
import * as tf from '@tensorflow/tfjs';

type KernelArgs = Parameters<tf.KernelFunc>[0];
interface CpuBackend {
  readSync(dataId: tf.DataId): ArrayLike<number>;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array): tf.TensorInfo;
}

let registered = false;

/** Registers the cpu kernel fix; safe to call more than once. */
export function registerCpuKernels(): void {
  if (registered) return;
  registered = true;
  const stock = tf.getKernel('UnsortedSegmentSum', 'cpu');
  if (!stock) throw new Error('the cpu backend has no UnsortedSegmentSum kernel: @tensorflow/tfjs-backend-cpu not loaded');
  tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'cpu',
    kernelFunc: (args) => {
      const x = args.inputs.x!;
      return x.dtype === 'float32' || x.dtype === 'int32' ? unsortedSegmentSum(args) : stock.kernelFunc(args);
    },
  });
}

function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const cpu = backend as CpuBackend;
  const x = inputs.x!;
  const segmentIds = inputs.segmentIds!;
  const numSegments = attrs!.numSegments as number;
  const values = cpu.readSync(x.dataId);
  const ids = cpu.readSync(segmentIds.dataId);
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const row = tf.util.sizeFromShape(rowShape);
  const out = x.dtype === 'float32' ? new Float32Array(numSegments * row) : new Int32Array(numSegments * row);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue; // TF semantics: out-of-range ids are dropped
    const o = s * row;
    const xo = i * row;
    for (let j = 0; j < row; j++) out[o + j] += values[xo + j];
  }
  return cpu.makeTensorInfo([numSegments, ...rowShape], x.dtype, out);
}
