// One sequence outside a gradient (a device click) as four wasm kernels with SIMD code
// (simd/kernels.as). GruRow is the GRU over one sequence (before: Reshape, Slice, the input
// product and GruForward). A click is launch-bound: each tfjs launch costs more than the few thousand
// multiply-adds it does. HistoryRow is SASRec's history tanh((E[items] + P) W + b) in one
// launch (before: Reshape, GatherV2, Reshape, Add, Reshape, BatchMatMul, BiasTanh and two
// Reshapes); SasrecReadRow is the whole last encoder layer at the read position (before: the
// padding mask's Sub and Multiply, the read row's Reshape and product, the query's DenseRow,
// AttendRowForward, then Wo, residual Add, LayerNorm, the FFN's two DenseRows, Add, LayerNorm);
// GeneratedClickRow is DUET's generator head z, both generated layers and the user vector
// through them (before: BatchMatMul, BiasTanh, DenseRow, two GeneratedLayer and, per layer,
// GeneratedInput and a [1, D in + in + D] x [.., out] DenseRow, with a Tanh between: u now
// comes from the 2 k multiply-adds of the generated layers themselves, not from 70 k over the
// stacked projections). Same maths up to float rounding (tests/engine/click-row.test.ts).
// Only where the SIMD module loads; elsewhere the ops run.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type OurKernel } from './define';
import { heapOffset } from './heap';
import { requireSimdKernels, simdKernelSwitch } from './simd/index';
import { recordingGradients } from './recording';

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

type GeneratedInputs = Record<
  'g' | 's' | 'zw1' | 'zb1' | 'zw2' | 'zb2' | 'A1' | 'a1' | 'B1' | 'c1' | 'A2' | 'a2' | 'B2' | 'c2',
  TensorInfo
>;

type ReadRowInputs = { x: TensorInfo; read: TensorInfo; mask?: TensorInfo } & Record<LayerWeight, TensorInfo>;

export const clickRowKernels: OurKernel[] = [
  defineKernel<'wasm', Record<'x' | 'wi' | 'bi' | 'wh' | 'bh', TensorInfo>, { steps: number }>({
    kernelName: 'GruRow',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { x, wi, bi, wh, bh }, attrs: { steps }, backend }) => {
      const simd = requireSimdKernels(backend, 'GruRow');
      const D = wh.shape[0];
      const out = backend.makeOutput([1, D], 'float32');
      const scratch = backend.makeOutput([12 * D + 1], 'float32');
      const o = (t: TensorInfo) => heapOffset(backend, t);
      simd.gruRow(o(x), o(wi), o(bi), o(wh), o(bh), o(out), o(scratch), steps, D);
      backend.disposeData(scratch.dataId);
      return out;
    },
  }),
  defineKernel<'wasm', Record<'E' | 'items' | 'P' | 'W' | 'b', TensorInfo>>({
    kernelName: 'HistoryRow',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { E, items, P, W, b }, backend }) => {
      const simd = requireSimdKernels(backend, 'HistoryRow');
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
      const simd = requireSimdKernels(backend, 'SasrecReadRow');
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
  defineKernel<'wasm', GeneratedInputs>({
    kernelName: 'GeneratedClickRow',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: t, backend }) => {
      const simd = requireSimdKernels(backend, 'GeneratedClickRow');
      const D = t.g.shape[1];
      const [O1, O2] = [t.B1.shape[1], t.B2.shape[1]];
      const [P1, P2] = [t.A1.shape[1], t.A2.shape[1]];
      const u = backend.makeOutput([1, O2], 'float32');
      const layer1 = backend.makeOutput([1, P1 + O1], 'float32');
      const layer2 = backend.makeOutput([1, P2 + O2], 'float32');
      const scratch = backend.makeOutput([2 * D + O1], 'float32');
      const o = (x: TensorInfo) => heapOffset(backend, x);
      const { g, s, zw1, zb1, zw2, zb2, A1, a1, B1, c1, A2, a2, B2, c2 } = t;
      simd.generatedClickRow(
        o(g),
        o(s),
        o(zw1),
        o(zb1),
        o(zw2),
        o(zb2),
        o(A1),
        o(a1),
        o(B1),
        o(c1),
        o(A2),
        o(a2),
        o(B2),
        o(c2),
        o(u),
        o(layer1),
        o(layer2),
        o(scratch),
        D,
        P1 / O1,
        O1,
        P2 / O2,
        O2,
      );
      backend.disposeData(scratch.dataId);
      return [u, layer1, layer2];
    },
  }),
];

const kernelSwitch = simdKernelSwitch('SasrecReadRow');

/** Benchmarks and tests switch the one-row kernels off to compare with the ops. */
export const setClickRowEnabled = kernelSwitch.setEnabled;

/** Do the one-row kernels apply: one sequence, no gradient, wasm with our kernels and the SIMD module. */
export function clickRowApplies(rows: number): boolean {
  return rows === 1 && !recordingGradients() && kernelSwitch.available();
}

/** The GRU's state after the first `steps` items of one sequence x [1, L, D] (gru.ts gruAtRead). */
export function gruRow(x: tf.Tensor, steps: number, w: { Wi: tf.Tensor; bi: tf.Tensor; Wh: tf.Tensor; bh: tf.Tensor }): tf.Tensor2D {
  return tf
    .engine()
    .runKernel('GruRow', { x, wi: w.Wi, bi: w.bi, wh: w.Wh, bh: w.bh }, { steps } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
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

/** One generated layer's projections (generator.ts Projection). */
interface LayerProjection {
  A: tf.Tensor;
  a: tf.Tensor;
  B: tf.Tensor;
  c: tf.Tensor;
}

/**
 * DUET for one sequence in one launch: the code z = Dense(tanh(Dense(g))) (weights zw1, zb1,
 * zw2, zb2) from the generator's GRU state g [1, D], the two generated layers [1, in*out + out]
 * (W row-major, then b) and the user vector u = tanh(s W_1 + b_1) W_2 + b_2 through them, from
 * the backbone's state s [1, in_1].
 */
export function generatedClickRow(
  g: tf.Tensor,
  s: tf.Tensor,
  code: { zw1: tf.Tensor; zb1: tf.Tensor; zw2: tf.Tensor; zb2: tf.Tensor },
  layers: [LayerProjection, LayerProjection],
): { u: tf.Tensor2D; layers: tf.Tensor2D[] } {
  const [p1, p2] = layers;
  const inputs = { g, s, ...code, A1: p1.A, a1: p1.a, B1: p1.B, c1: p1.c, A2: p2.A, a2: p2.a, B2: p2.B, c2: p2.c };
  const [u, layer1, layer2] = tf.engine().runKernel('GeneratedClickRow', inputs, {}) as tf.Tensor2D[];
  return { u, layers: [layer1, layer2] };
}
