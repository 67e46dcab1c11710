// One sequence outside a gradient (a device click) on SASRec, as two wasm kernels with SIMD
// code (simd/kernels.as). A click is launch-bound: each tfjs launch costs more than the few
// thousand multiply-adds it does. HistoryRow is the history tanh((E[items] + P) W + b) in one
// launch (before: Reshape, GatherV2, Reshape, Add, Reshape, BatchMatMul, BiasTanh and two
// Reshapes); SasrecReadRow is the whole last encoder layer at the read position (before: the
// padding mask's Sub and Multiply, the read row's Reshape and product, the query's DenseRow,
// AttendRowForward, then Wo, residual Add, LayerNorm, the FFN's two DenseRows, Add, LayerNorm).
// Same maths up to float rounding (tests/engine/click-row.test.ts). Only where the SIMD module
// loads; elsewhere the ops run.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type OurKernel } from './define';
import { asWasmBackend, heapOffset } from './heap';
import { simdKernelsFor } from './simd/index';
import { recordingGradients } from './recording';

function requireSimd(backend: Parameters<typeof simdKernelsFor>[0], kernel: string) {
  const simd = simdKernelsFor(backend);
  if (simd === undefined) throw new Error(`${kernel}: needs the SIMD kernels (check clickRowAvailable first)`);
  return simd;
}

/** The last encoder layer's weights, by the names sasrec.ts gives them (without the `enc{l}.` prefix). */
const LAYER_WEIGHTS = [
  'Wq',
  'bq',
  'Wk',
  'Wv',
  'bv',
  'Wo',
  'bo',
  'ln1.g',
  'ln1.b',
  'ff1.W',
  'ff1.b',
  'ff2.W',
  'ff2.b',
  'ln2.g',
  'ln2.b',
] as const;
type LayerWeight = (typeof LAYER_WEIGHTS)[number];

type ReadRowInputs = { x: TensorInfo; read: TensorInfo; mask?: TensorInfo } & Record<LayerWeight, TensorInfo>;

export const clickRowKernels: OurKernel[] = [
  defineKernel<'wasm', Record<'E' | 'items' | 'P' | 'W' | 'b', TensorInfo>>({
    kernelName: 'HistoryRow',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { E, items, P, W, b }, backend }) => {
      const simd = requireSimd(backend, 'HistoryRow');
      const [B, L] = items.shape;
      const [V, D] = E.shape;
      const out = backend.makeOutput([B, L, D], 'float32');
      const o = (t: TensorInfo) => heapOffset(backend, t);
      simd.historyRows(o(E), o(items), o(P), o(W), o(b), o(out), B * L, L, D, V);
      return out;
    },
  }),
  defineKernel<'wasm', ReadRowInputs, { heads: number; epsilon: number }>({
    kernelName: 'SasrecReadRow',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs, attrs: { heads, epsilon }, backend }) => {
      const simd = requireSimd(backend, 'SasrecReadRow');
      const { x, read, mask } = inputs;
      const [, L, D] = x.shape;
      const F = inputs['ff1.W'].shape[1];
      const out = backend.makeOutput([1, D], 'float32');
      const scratch = backend.makeOutput([D * D + 2 * heads * D + L * heads + L + F + 8 * D], 'float32');
      const o = (t: TensorInfo) => heapOffset(backend, t);
      const w = (name: LayerWeight) => o(inputs[name]);
      simd.sasrecReadRow(
        o(x),
        o(read),
        mask ? o(mask) : 0,
        mask ? 1 : 0,
        w('Wq'),
        w('bq'),
        w('Wk'),
        w('Wv'),
        w('bv'),
        w('Wo'),
        w('bo'),
        w('ln1.g'),
        w('ln1.b'),
        w('ff1.W'),
        w('ff1.b'),
        w('ff2.W'),
        w('ff2.b'),
        w('ln2.g'),
        w('ln2.b'),
        o(out),
        o(scratch),
        L,
        D,
        heads,
        F,
        1 / Math.sqrt(D / heads),
        epsilon,
      );
      backend.disposeData(scratch.dataId);
      return out;
    },
  }),
];

let enabled = true;

/** Benchmarks and tests switch the one-row kernels off to compare with the ops. */
export function setClickRowEnabled(on: boolean): void {
  enabled = on;
}

/** Do the one-row kernels apply: one sequence, no gradient, wasm with our kernels and the SIMD module. */
export function clickRowApplies(rows: number): boolean {
  if (!enabled || rows !== 1 || recordingGradients() || tf.getBackend() !== 'wasm') return false;
  if (tf.getKernel('SasrecReadRow', 'wasm') === undefined) return false;
  return simdKernelsFor(asWasmBackend(tf.backend())) !== undefined;
}

/** tanh((E[items] + P) W + b): items [B, L] int32, E [V, D], P [L, D] -> [B, L, D]. */
export function historyRow(E: tf.Tensor, items: tf.Tensor, P: tf.Tensor, W: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  return tf.engine().runKernel('HistoryRow', { E, items, P, W, b }, {}) as tf.Tensor3D;
}

/**
 * SASRec's last layer at the read position of one sequence: x [1, L, D], read [1, L] one-hot,
 * mask [1, L] (1 real, 0 padding) or null to mask nothing; `weight` gets a weight of the layer
 * by its name in sasrec.ts. Returns the user state [1, D]. Layer norm eps as layers.ts's.
 */
export function sasrecReadRow(
  x: tf.Tensor,
  read: tf.Tensor,
  mask: tf.Tensor | null,
  weight: (name: LayerWeight) => tf.Tensor,
  heads: number,
): tf.Tensor2D {
  const inputs: tf.NamedTensorMap = { x, read };
  if (mask) inputs.mask = mask;
  for (const name of LAYER_WEIGHTS) inputs[name] = weight(name);
  return tf.engine().runKernel('SasrecReadRow', inputs, { heads, epsilon: 1e-5 } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
