// tfjs-backend-cpu's UnsortedSegmentSum builds a mask per segment (O(segments x rows) ops), so
// the gradient of one embedding lookup over a 6k-item catalog took ~25 s. This one is a
// single pass: out[s, ...] += x[i, ...] for segmentIds[i] = s (ids outside [0, n) dropped).
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { sumSegments } from './unsorted-segment-sum';

interface CpuKernelBackend {
  data: { get(dataId: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array | Int32Array): TensorInfo;
}

export const unsortedSegmentSumCpu: KernelFunc = (args) => {
  const { inputs, attrs } = args as unknown as {
    inputs: { x: TensorInfo; segmentIds: TensorInfo };
    attrs: { numSegments: number };
  };
  const backend = args.backend as unknown as CpuKernelBackend;
  const { x, segmentIds } = inputs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new TypeError(`UnsortedSegmentSum (cpu): dtype ${x.dtype} is not supported`);
  }
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const xs = backend.data.get(x.dataId).values;
  const ids = backend.data.get(segmentIds.dataId).values;
  const sums = x.dtype === 'float32' ? new Float32Array(attrs.numSegments * inner) : new Int32Array(attrs.numSegments * inner);
  sumSegments(xs, ids, sums, inner, attrs.numSegments);
  return backend.makeTensorInfo([attrs.numSegments, ...innerShape], x.dtype, sums);
};

let registered = false;

/** Idempotent; a no-op when tfjs-backend-cpu is not loaded. */
export function registerCpuKernels(): void {
  if (registered || getKernel('UnsortedSegmentSum', 'cpu') === undefined) return;
  unregisterKernel('UnsortedSegmentSum', 'cpu');
  registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'cpu', kernelFunc: unsortedSegmentSumCpu });
  registered = true;
}
