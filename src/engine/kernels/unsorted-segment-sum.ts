// UnsortedSegmentSum: out[s, ...] = sum of x[i, ...] over i with segmentIds[i] = s; ids outside
// [0, numSegments) are dropped. tf.gather's gradient (every embedding lookup) needs it.
// - wasm: missing from tfjs-backend-wasm 4.22; float32 runs our SIMD code (simd/kernels.as).
// - cpu: the stock kernel builds a mask per segment (O(segments x rows) ops), so the gradient
//   of one embedding lookup over a 6k-item catalog took ~25 s; ours is a single pass.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel } from './define';
import { heapOffset, heapView } from './heap';
import { simdKernelsFor } from './simd/index';

type Inputs = { x: TensorInfo; segmentIds: TensorInfo };
type Attrs = { numSegments: number };

function checkDtype(x: TensorInfo, backend: string): void {
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new TypeError(`UnsortedSegmentSum (${backend}): dtype ${x.dtype} is not supported`);
  }
}

export const unsortedSegmentSumWasm = defineKernel<'wasm', Inputs, Attrs>({
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  role: 'fix',
  run: ({ inputs: { x, segmentIds }, attrs: { numSegments }, backend }) => {
    checkDtype(x, 'wasm');
    const innerShape = x.shape.slice(segmentIds.shape.length);
    const inner = innerShape.reduce((a, b) => a * b, 1);
    const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
    const simd = x.dtype === 'float32' && segmentIds.dtype === 'int32' ? simdKernelsFor(backend) : undefined;
    if (simd) {
      // the same sums in the same order, 4 columns at a time
      simd.segmentSum(
        heapOffset(backend, x),
        heapOffset(backend, segmentIds),
        heapOffset(backend, out),
        segmentIds.shape.reduce((a, b) => a * b, 1),
        inner,
        numSegments,
      );
      return out;
    }
    const sums = heapView(backend, out);
    sums.fill(0);
    sumSegments(heapView(backend, x), heapView(backend, segmentIds), sums, inner, numSegments);
    return out;
  },
});

export const unsortedSegmentSumCpu = defineKernel<'cpu', Inputs, Attrs>({
  kernelName: 'UnsortedSegmentSum',
  backendName: 'cpu',
  role: 'fix',
  run: ({ inputs: { x, segmentIds }, attrs: { numSegments }, backend }) => {
    checkDtype(x, 'cpu');
    const innerShape = x.shape.slice(segmentIds.shape.length);
    const inner = innerShape.reduce((a, b) => a * b, 1);
    const values = (t: TensorInfo) => {
      const data = backend.data.get(t.dataId);
      if (data === undefined) throw new Error('UnsortedSegmentSum (cpu): input not on the cpu backend');
      return data.values;
    };
    const sums = x.dtype === 'float32' ? new Float32Array(numSegments * inner) : new Int32Array(numSegments * inner);
    sumSegments(values(x), values(segmentIds), sums, inner, numSegments);
    return backend.makeTensorInfo([numSegments, ...innerShape], x.dtype, sums);
  },
});

/** sums[s, :] += xs[i, :] for every row i with ids[i] = s in [0, numSegments); rows of `inner` values. */
export function sumSegments(
  xs: ArrayLike<number>,
  ids: ArrayLike<number>,
  sums: { [index: number]: number },
  inner: number,
  numSegments: number,
): void {
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i];
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * inner;
    const to = segment * inner;
    for (let j = 0; j < inner; j++) sums[to + j] += xs[from + j];
  }
}
