// Tensors on the host side of the engine: what checkpoint readers produce and writers consume, before any
// TF.js backend is involved. Keeping this layer free of TF.js lets checkpoints be read, checked and converted
// without loading a backend (e.g. by `adapt-lab info`).

export type HostDType = 'float32' | 'int32';

export interface HostTensor {
  dtype: HostDType;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Tensors keyed by their Hugging Face name, e.g. `bert.encoder.layer.0.attention.self.query.weight`. */
export type TensorMap = Map<string, HostTensor>;

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
