// Kernels for tfjs-backend-wasm that return a view of their input instead of a copy, as
// tfjs-wasm's own Reshape and tfjs-backend-cpu's Identity already do:
// - Identity: the engine runs it for every tensor a tf.customGrad or a gradient saves
//   (tf.clone), ~14 copies of up to [7680, 64] floats per DUET-GRU4Rec training step;
// - Transpose whose permutation moves nothing but size-1 axes: tf.gather's gradient makes
//   two per axis-0 gather, and the stock kernel copies them (through its own Identity).
// Sharing is safe because nothing writes into a tensor's data after it is made: every kernel
// (ours included) writes only its own outputs, and Variable.assign takes new data.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type KernelBackends } from './define';

function view(backend: KernelBackends['wasm'], x: TensorInfo, shape: number[]): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

export const identityWasm = defineKernel<'wasm', { x: TensorInfo }>({
  kernelName: 'Identity',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: { x }, backend, runStock }) => (x.dtype === 'string' ? runStock() : view(backend, x, x.shape)),
});

export const transposeWasm = defineKernel<'wasm', { x: TensorInfo }, { perm: number[] }>({
  kernelName: 'Transpose',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: { x }, attrs: { perm }, backend, runStock }) => {
    const moved = perm.filter((axis) => x.shape[axis] !== 1); // the axes that are not size 1, in their new order
    if (x.dtype === 'string' || moved.some((axis, i) => i > 0 && axis < moved[i - 1])) return runStock();
    return view(
      backend,
      x,
      perm.map((axis) => x.shape[axis]),
    );
  },
});
