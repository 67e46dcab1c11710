// Layer normalisation over the last axis as two wasm kernels with SIMD code (simd/kernels.as):
// LayerNormForward (also keeping xhat and 1/sqrt(var + eps)) and LayerNormBackward (dx,
// dgamma, dbeta). The op-by-op form (layers.ts) is 9 launches forward and ~20 in autodiff's
// backward, plus the tensors the tape keeps. Same maths up to float rounding
// (tests/engine/layernorm.test.ts). Only where the SIMD module loads; elsewhere layers.ts
// runs the ops.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type OurKernel } from './define';
import { heapOffset } from './heap';
import { requireSimdKernels, simdKernelSwitch } from './simd/index';
import { recordingGradients } from './recording';

const rowsOf = (shape: number[]) => shape.slice(0, -1).reduce((a, b) => a * b, 1);

export const layerNormKernels: OurKernel[] = [
  defineKernel<'wasm', { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo }, { epsilon: number }>({
    kernelName: 'LayerNormForward',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { x, gamma, beta }, attrs: { epsilon }, backend }) => {
      const simd = requireSimdKernels(backend, 'LayerNormForward');
      const D = x.shape[x.shape.length - 1];
      const N = rowsOf(x.shape);
      const out = backend.makeOutput(x.shape, 'float32');
      const xhat = backend.makeOutput(x.shape, 'float32');
      const rstd = backend.makeOutput([N], 'float32');
      const o = (t: TensorInfo) => heapOffset(backend, t);
      simd.layerNormForward(o(x), o(gamma), o(beta), o(out), o(xhat), o(rstd), N, D, epsilon);
      return [out, xhat, rstd];
    },
  }),
  defineKernel<'wasm', Record<'dy' | 'xhat' | 'rstd' | 'gamma', TensorInfo>>({
    kernelName: 'LayerNormBackward',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { dy, xhat, rstd, gamma }, backend }) => {
      const simd = requireSimdKernels(backend, 'LayerNormBackward');
      const D = xhat.shape[xhat.shape.length - 1];
      const N = rowsOf(xhat.shape);
      const dx = backend.makeOutput(xhat.shape, 'float32');
      const dgamma = backend.makeOutput([D], 'float32');
      const dbeta = backend.makeOutput([D], 'float32');
      const o = (t: TensorInfo) => heapOffset(backend, t);
      simd.layerNormBackward(o(dy), o(xhat), o(rstd), o(gamma), o(dx), o(dgamma), o(dbeta), N, D);
      return [dx, dgamma, dbeta];
    },
  }),
];

const kernelSwitch = simdKernelSwitch('LayerNormForward');

/** Benchmarks and tests switch the fused layer norm off to compare with the ops. */
export const setLayerNormEnabled = kernelSwitch.setEnabled;

/** Can layerNormFused run here: the wasm backend with our kernels and the SIMD module. */
export const layerNormAvailable = kernelSwitch.available;

/** (x - mean) / sqrt(var + eps) gamma + beta over the last axis; differentiable w.r.t. x, gamma, beta. */
export function layerNormFused(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  if (!recordingGradients()) {
    const [out, xhat, rstd] = tf.engine().runKernel('LayerNormForward', { x, gamma, beta }, { epsilon }) as tf.Tensor[];
    tf.dispose([xhat, rstd]);
    return out;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [out, xhat, rstd] = tf.engine().runKernel('LayerNormForward', { x: xs, gamma: g, beta: b }, { epsilon }) as tf.Tensor[];
    save([xhat, rstd, g]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sg] = saved;
        return tf.engine().runKernel('LayerNormBackward', { dy, xhat: sxhat, rstd: srstd, gamma: sg }, {}) as tf.Tensor[];
      },
    };
  });
  return op(x, gamma, beta) as tf.Tensor;
}
