// Elementwise and reduction kernels for tfjs-backend-wasm where tfjs is scalar or copies
// first (simd/kernels.as). Anything but float32, or no SIMD, goes to the stock kernel.
// - Tanh: tfjs-wasm 4.22 calls std::tanh per element (~170 us on 8k floats here); ours is 4
//   lanes at a time (Cephes' tanhf, ~1-2 ulp). Sigmoid is already XNNPACK's vectorised kernel
//   in tfjs-wasm, so it stays stock.
// - Sum over leading axes (every bias gradient: sum of dy over the batch rows): the stock
//   kernel transposes the whole input first, then sums rows; ours adds rows into the output
//   in place, in the same order per column.
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel } from './define';
import { heapOffset } from './heap';
import { simdKernelsFor } from './simd/index';

export const tanhWasm = defineKernel<'wasm', { x: TensorInfo }>({
  kernelName: 'Tanh',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: { x }, backend, runStock }) => {
    const simd = x.dtype === 'float32' ? simdKernelsFor(backend) : undefined;
    if (simd === undefined) return runStock();
    const out = backend.makeOutput(x.shape, 'float32');
    simd.tanhArray(heapOffset(backend, x), heapOffset(backend, out), util.sizeFromShape(x.shape));
    return out;
  },
});

export const sumWasm = defineKernel<'wasm', { x: TensorInfo }, { axis: number | number[]; keepDims?: boolean }>({
  kernelName: 'Sum',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: { x }, attrs, backend, runStock }) => {
    const rank = x.shape.length;
    const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
    // only a block of leading axes, and not all of them (that is one row sum: stock is fine)
    const leading = axes.length > 0 && axes.length < rank && axes.every((axis, i) => axis === i);
    const simd = x.dtype === 'float32' && leading && util.sizeFromShape(x.shape) > 0 ? simdKernelsFor(backend) : undefined;
    if (simd === undefined) return runStock();
    const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
    const outShape = x.shape.slice(axes.length);
    const out = backend.makeOutput(attrs.keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape, 'float32');
    simd.sumRows(heapOffset(backend, x), heapOffset(backend, out), rows, util.sizeFromShape(outShape));
    return out;
  },
});
