// Equal for tfjs-backend-wasm. The stock kernel takes a slow generic path whenever its inputs
// broadcast: Equal([256, 30, 4], [256, 1, 4]), the mask in the gradient of the max that
// every softmax subtracts, took ~10x a broadcast Multiply of the same size. This one walks
// the output once with per-input strides (0 on broadcast axes).
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel } from './define';
import { heapView } from './heap';

/** Strides of `shape` aligned to the right of `outShape`, 0 where the input broadcasts. */
function broadcastStrides(shape: number[], outShape: number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1, o = outShape.length - 1; i >= 0; i--, o--) {
    strides[o] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

export const equalWasm = defineKernel<'wasm', { a: TensorInfo; b: TensorInfo }>({
  kernelName: 'Equal',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: { a, b }, backend, runStock }) => {
    if (a.dtype === 'string' || b.dtype === 'string' || a.dtype !== b.dtype) return runStock();
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = backend.makeOutput(outShape, 'bool');
    const size = util.sizeFromShape(outShape);
    if (size === 0) return out;
    // views after the allocation: it may have grown the heap
    const [xs, ys, eq] = [heapView(backend, a), heapView(backend, b), heapView(backend, out)];
    if (util.arraysEqual(a.shape, b.shape)) {
      for (let i = 0; i < size; i++) eq[i] = xs[i] === ys[i] ? 1 : 0;
      return out;
    }
    const rank = outShape.length;
    const [sa, sb] = [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)];
    const inner = outShape[rank - 1];
    const [ia, ib] = [sa[rank - 1], sb[rank - 1]];
    const index = new Array<number>(rank).fill(0);
    let [offA, offB] = [0, 0];
    for (let o = 0; o < size; o += inner) {
      for (let j = 0, pa = offA, pb = offB; j < inner; j++, pa += ia, pb += ib) eq[o + j] = xs[pa] === ys[pb] ? 1 : 0;
      // next row: odometer over the outer axes
      let axis = rank - 2;
      while (axis >= 0) {
        offA += sa[axis];
        offB += sb[axis];
        if (++index[axis] < outShape[axis]) break;
        offA -= sa[axis] * outShape[axis];
        offB -= sb[axis] * outShape[axis];
        index[axis--] = 0;
      }
    }
    return out;
  },
});
