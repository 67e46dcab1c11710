// DUET's per-row generated layers (generator.ts) as one matmul: y = [z (x) x | x | z] [A; a; B]
// + c. GeneratedInput builds the rows (SIMD, simd/kernels.as), GeneratedInputGrad turns their
// gradient into the gradients of x and z. Before: three matmuls each way, an elementwise outer
// product with its two reductions (Sum over a middle axis transposes first), three transposes
// and ~35 launches per layer. Same maths up to float rounding (tests/engine/generated.test.ts).
// Only where the SIMD module loads; elsewhere generator.ts runs the ops.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type OurKernel } from './define';
import { heapOffset } from './heap';
import { requireSimdKernels, simdKernelSwitch } from './simd/index';
import { recordingGradients } from './recording';
import { denseRow } from './dense-row';

export const generatedKernels: OurKernel[] = [
  defineKernel<'wasm', { z: TensorInfo; x: TensorInfo }>({
    kernelName: 'GeneratedInput',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { z, x }, backend }) => {
      const simd = requireSimdKernels(backend, 'GeneratedInput');
      const [B, D] = z.shape;
      const I = x.shape[1];
      const out = backend.makeOutput([B, D * I + I + D], 'float32');
      simd.generatedInput(heapOffset(backend, z), heapOffset(backend, x), heapOffset(backend, out), B, D, I);
      return out;
    },
  }),
  defineKernel<'wasm', { d: TensorInfo; z: TensorInfo; x: TensorInfo }>({
    kernelName: 'GeneratedInputGrad',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { d, z, x }, backend }) => {
      const simd = requireSimdKernels(backend, 'GeneratedInputGrad');
      const [B, D] = z.shape;
      const I = x.shape[1];
      const dx = backend.makeOutput([B, I], 'float32');
      const dz = backend.makeOutput([B, D], 'float32');
      const o = (t: TensorInfo) => heapOffset(backend, t);
      simd.generatedInputGrad(o(d), o(z), o(x), o(dz), o(dx), B, D, I);
      return [dx, dz];
    },
  }),
  defineKernel<'wasm', Record<'z' | 'A' | 'a' | 'B' | 'c', TensorInfo>>({
    kernelName: 'GeneratedLayer',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { z, A, a, B, c }, backend }) => {
      const simd = requireSimdKernels(backend, 'GeneratedLayer');
      const [rows, D] = z.shape;
      const P = A.shape[1];
      const O = B.shape[1];
      const out = backend.makeOutput([rows, P + O], 'float32');
      const o = (t: TensorInfo) => heapOffset(backend, t);
      simd.generatedLayerRows(o(z), o(A), o(a), o(B), o(c), o(out), rows, D, P, O);
      return out;
    },
  }),
];

const kernelSwitch = simdKernelSwitch('GeneratedInput');

/** Benchmarks and tests switch the fused generated layers off to compare with the ops. */
export const setGeneratedDenseEnabled = kernelSwitch.setEnabled;

/** Can generatedDenseFused run here: the wasm backend with our kernels and the SIMD module. */
export const generatedDenseAvailable = kernelSwitch.available;

/** The stacked weights [A; a; B] [D*in + in + D, out] of a generated layer with input size `inDim`. */
function stackedWeights(A: tf.Tensor, a: tf.Tensor, B: tf.Tensor, inDim: number): tf.Tensor2D {
  const [D, outDim] = (B as tf.Tensor2D).shape;
  return tf.concat([tf.reshape(A, [D * inDim, outDim]), tf.reshape(a, [inDim, outDim]), B], 0) as tf.Tensor2D;
}

/** The row [z (x) x | x | z] [B, K] and the stacked weights [A; a; B] [K, out]. */
function stacked(x: tf.Tensor2D, z: tf.Tensor2D, A: tf.Tensor, a: tf.Tensor, B: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const input = tf.engine().runKernel('GeneratedInput', { z, x }, {}) as tf.Tensor2D;
  return [input, stackedWeights(A, a, B, x.shape[1])];
}

const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, z, A, a, B, c] = args as tf.Tensor2D[];
  const save = args[6] as tf.GradSaveFunc;
  const D = z.shape[1];
  const inDim = x.shape[1];
  const [input, weights] = stacked(x, z, A, a, B);
  save([input, weights, x, z]);
  return {
    value: tf.add(tf.matMul(input, weights), c) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sInput, sWeights, sx, sz] = saved as tf.Tensor2D[];
      const dInput = tf.matMul(dy as tf.Tensor2D, sWeights, false, true);
      const dW = tf.matMul(sInput, dy as tf.Tensor2D, true, false);
      const [dA, da, dB] = tf.split(dW, [D * inDim, inDim, D], 0);
      const [dx, dz] = tf.engine().runKernel('GeneratedInputGrad', { d: dInput, z: sz, x: sx }, {}) as tf.Tensor[];
      return [dx, dz, tf.reshape(dA, A.shape), tf.reshape(da, a.shape), dB, tf.sum(dy, 0)];
    },
  };
});

/**
 * x W(z) + b(z) with a different generated layer per row, W(z) = reshape(z A + a, [in, out]),
 * b(z) = z B + c: x [B, in], z [B, D], A [D, in*out], a [in*out], B [D, out], c [out] ->
 * [B, out]. Differentiable w.r.t. all six.
 */
export function generatedDenseFused(x: tf.Tensor, z: tf.Tensor, A: tf.Tensor, a: tf.Tensor, B: tf.Tensor, c: tf.Tensor): tf.Tensor2D {
  if (!recordingGradients()) {
    const input = tf.engine().runKernel('GeneratedInput', { z, x }, {}) as tf.Tensor2D;
    const weights = stackedWeights(A, a, B, (x as tf.Tensor2D).shape[1]);
    const row = denseRow(input, weights, c, 'linear'); // one row: + c in the same launch
    if (row) {
      tf.dispose([input, weights]);
      return row;
    }
    const product = tf.matMul(input, weights);
    const y = tf.add(product, c) as tf.Tensor2D;
    tf.dispose([input, weights, product]);
    return y;
  }
  return op(x, z, A, a, B, c) as tf.Tensor2D;
}

/** [z A + a | z B + c] [B, in*out + out] in one kernel (wasm, outside a gradient scope); undefined elsewhere. */
export function generatedLayerFused(z: tf.Tensor, A: tf.Tensor, a: tf.Tensor, B: tf.Tensor, c: tf.Tensor): tf.Tensor2D | undefined {
  if (!generatedDenseAvailable() || recordingGradients()) return undefined;
  return tf.engine().runKernel('GeneratedLayer', { z, A, a, B, c }, {}) as tf.Tensor2D;
}
