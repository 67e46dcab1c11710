// tanh(x W + b) after the matmul as two wasm kernels with SIMD code (simd/kernels.as): BiasTanh
// adds the bias and takes the tanh in one pass, BiasTanhGrad gives dy (1 - y^2) and its row
// sums (the bias gradient) in one pass. Before: Add, Tanh forward; Square, Sub, Multiply, Sum
// and two Reshapes backward. The same float32 operations in the same order as those ops
// (our Tanh and row-order Sum), so the results are identical (tests/engine/bias-tanh.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type OurKernel } from './define';
import { heapOffset } from './heap';
import { requireSimdKernels, simdKernelSwitch } from './simd/index';
import { recordingGradients } from './recording';

export const biasTanhKernels: OurKernel[] = [
  defineKernel<'wasm', { xw: TensorInfo; b: TensorInfo }>({
    kernelName: 'BiasTanh',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { xw, b }, backend }) => {
      const simd = requireSimdKernels(backend, 'BiasTanh');
      const [N, M] = xw.shape;
      const y = backend.makeOutput([N, M], 'float32');
      simd.biasTanh(heapOffset(backend, xw), heapOffset(backend, b), heapOffset(backend, y), N, M);
      return y;
    },
  }),
  defineKernel<'wasm', { y: TensorInfo; dy: TensorInfo }>({
    kernelName: 'BiasTanhGrad',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { y, dy }, backend }) => {
      const simd = requireSimdKernels(backend, 'BiasTanhGrad');
      const [N, M] = y.shape;
      const g = backend.makeOutput([N, M], 'float32');
      const db = backend.makeOutput([M], 'float32');
      const o = (t: TensorInfo) => heapOffset(backend, t);
      simd.biasTanhGrad(o(y), o(dy), o(g), o(db), N, M);
      return [g, db];
    },
  }),
];

const kernelSwitch = simdKernelSwitch('BiasTanh');

/** Benchmarks and tests switch the fused bias + tanh off to compare with the ops. */
export const setBiasTanhEnabled = kernelSwitch.setEnabled;

/** Can biasTanh run here: the wasm backend with our kernels and the SIMD module. */
export const biasTanhAvailable = kernelSwitch.available;

const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [xw, b] = args as tf.Tensor[];
  const save = args[2] as tf.GradSaveFunc;
  const y = tf.engine().runKernel('BiasTanh', { xw, b }, {}) as tf.Tensor;
  save([y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel('BiasTanhGrad', { y: saved[0], dy }, {}) as tf.Tensor[],
  };
});

/** tanh(xw + b): xw [N, M] (a matmul's result), b [M]; differentiable w.r.t. both. */
export function biasTanh(xw: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  if (!recordingGradients()) return tf.engine().runKernel('BiasTanh', { xw, b }, {}) as tf.Tensor2D;
  return op(xw, b) as tf.Tensor2D;
}
