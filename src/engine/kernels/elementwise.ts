// Elementwise kernels for tfjs-backend-wasm that tfjs runs as scalar loops. Tanh: tfjs-wasm
// 4.22 calls std::tanh per element (~170 us on 8k floats here); ours is 4 lanes at a time
// (simd/kernels.as, Cephes' tanhf, ~1-2 ulp). Sigmoid is already XNNPACK's vectorised kernel
// in tfjs-wasm, so it stays stock. Anything but float32, or no SIMD, goes to the stock kernel.
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
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
