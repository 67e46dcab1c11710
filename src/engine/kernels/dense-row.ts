// x W + b (then relu) for ONE row outside a gradient (a device click), as one launch: tfjs-wasm's
// _FusedMatMul (XNNPACK adds the bias, and clamps for relu, in its kernel) called with the 3-D
// views it needs, which tf.fused.matMul would make with two Reshape launches and a customGrad
// around them. Before: a BatchMatMul, an Add and for the FFN a Relu. The bias is added inside
// the dot product's accumulation, so the value matches matMul + add up to float rounding
// (tests/engine/dense-row.test.ts). XNNPACK keeps one operator per (W, b), as for BatchMatMul.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type OurKernel } from './define';
import { heapOffset, type WasmKernelBackend } from './heap';

export type RowActivation = 'linear' | 'relu';

function rank1Copy(backend: WasmKernelBackend, b: TensorInfo): TensorInfo {
  const size = b.shape.reduce((n, d) => n * d, 1);
  const out = backend.makeOutput([size], 'float32');
  const from = heapOffset(backend, b);
  backend.wasm.HEAPU8.copyWithin(heapOffset(backend, out), from, from + 4 * size);
  return out;
}

export const denseRowKernels: OurKernel[] = [
  defineKernel<'wasm', { x: TensorInfo; w: TensorInfo; b: TensorInfo }, { activation: RowActivation }>({
    kernelName: 'DenseRow',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { x, w, b }, attrs, backend }) => {
      const fused = tf.getKernel('_FusedMatMul', 'wasm');
      if (fused === undefined) throw new Error('DenseRow: tfjs-wasm has no _FusedMatMul kernel');
      // tfjs-wasm checks the bias's rank as its data was first made: a reshaped view of other
      // data (the SWA mix of c) gets a rank-1 copy
      const bias = backend.dataIdMap.get(b.dataId)?.shape.length === 1 ? b : rank1Copy(backend, b);
      try {
        const out = fused.kernelFunc({
          inputs: { a: { ...x, shape: [1, ...x.shape] }, b: { ...w, shape: [1, ...w.shape] }, bias },
          attrs: { transposeA: false, transposeB: false, activation: attrs.activation, leakyreluAlpha: 0 },
          backend,
        }) as TensorInfo;
        return { ...out, shape: [x.shape[0], w.shape[1]] };
      } finally {
        if (bias !== b) backend.disposeData(bias.dataId);
      }
    },
  }),
];

let enabled = true;

/** Benchmarks and tests switch the one-row kernel off to compare with the ops. */
export function setDenseRowEnabled(on: boolean): void {
  enabled = on;
}

/** act(x W + b) in one launch where it applies (wasm, x one row [1, in], b [out]); undefined elsewhere. */
export function denseRow(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, activation: RowActivation): tf.Tensor2D | undefined {
  if (!enabled || x.rank !== 2 || x.shape[0] !== 1 || b.rank !== 1 || tf.getBackend() !== 'wasm') return undefined;
  if (tf.getKernel('DenseRow', 'wasm') === undefined) return undefined;
  return tf.engine().runKernel('DenseRow', { x, w, b }, { activation }) as tf.Tensor2D;
}
