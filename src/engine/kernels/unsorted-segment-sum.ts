// UnsortedSegmentSum is missing from tfjs-backend-wasm 4.22, and tf.gather's gradient (every
// embedding lookup) needs it. out[s, ...] = sum of x[i, ...] over i with segmentIds[i] = s;
// ids outside [0, numSegments) are dropped, as on the cpu backend.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { heapView, type WasmKernelBackend } from './heap';

export const unsortedSegmentSum: KernelFunc = (args) => {
  const { inputs, attrs } = args as unknown as {
    inputs: { x: TensorInfo; segmentIds: TensorInfo };
    attrs: { numSegments: number };
  };
  const backend = args.backend as unknown as WasmKernelBackend;
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new TypeError(`UnsortedSegmentSum (wasm): dtype ${x.dtype} is not supported`);
  }
  const idRank = segmentIds.shape.length;
  const innerShape = x.shape.slice(idRank);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  const xs = heapView(backend, x);
  const ids = heapView(backend, segmentIds);
  const sums = heapView(backend, out);
  sums.fill(0);
  sumSegments(xs, ids, sums, inner, numSegments);
  return out;
};

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
