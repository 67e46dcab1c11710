// SASRec's last-layer attention for one query row per sequence (sasrec.ts) as two wasm
// kernels with SIMD code (simd/kernels.as): AttendRowForward gives the attended row before
// Wo, AttendRowBackward every gradient. The keys and values are never projected (the
// [B L, D] x [D, D] products and their gradients were a third of a Base-SASRec step): the
// query is mapped back through Wk instead, and the softmax-weighted sum of the inputs goes
// through Wv once per row. Same maths as the op-by-op attention up to float rounding
// (tests/engine/attention.test.ts). Only where the SIMD module loads; elsewhere sasrec.ts
// runs the ops.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type OurKernel } from './define';
import { heapOffset } from './heap';
import { requireSimdKernels, simdKernelSwitch } from './simd/index';
import { recordingGradients } from './recording';

type ForwardInputs = { x: TensorInfo; q: TensorInfo; wk: TensorInfo; wv: TensorInfo; bv: TensorInfo; mask?: TensorInfo };
type BackwardInputs = Record<'dA' | 'x' | 'q' | 'wk' | 'wv' | 'w' | 'xbar' | 'qt', TensorInfo>;
type Attrs = { heads: number };

export const attentionKernels: OurKernel[] = [
  defineKernel<'wasm', ForwardInputs, Attrs>({
    kernelName: 'AttendRowForward',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { x, q, wk, wv, bv, mask }, attrs: { heads }, backend }) => {
      const simd = requireSimdKernels(backend, 'AttendRowForward');
      const [B, L, D] = x.shape;
      const outs = [
        [B, D],
        [B, L, heads],
        [B, heads, D],
        [B, heads, D],
      ].map((shape) => backend.makeOutput(shape, 'float32'));
      const scratch = backend.makeOutput([D * D], 'float32');
      const [out, w, xbar, qt] = outs;
      const o = (t: TensorInfo) => heapOffset(backend, t);
      simd.attendRowForward(
        o(x),
        o(q),
        o(wk),
        o(wv),
        o(bv),
        mask ? o(mask) : 0,
        mask ? 1 : 0,
        o(out),
        o(w),
        o(xbar),
        o(qt),
        o(scratch),
        B,
        L,
        D,
        heads,
        1 / Math.sqrt(D / heads),
      );
      backend.disposeData(scratch.dataId);
      return outs;
    },
  }),
  defineKernel<'wasm', BackwardInputs, Attrs>({
    kernelName: 'AttendRowBackward',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { dA, x, q, wk, wv, w, xbar, qt }, attrs: { heads }, backend }) => {
      const simd = requireSimdKernels(backend, 'AttendRowBackward');
      const [B, L, D] = x.shape;
      const outs = [[B, L, D], [B, D], [D, D], [D], [D, D], [D]].map((shape) => backend.makeOutput(shape, 'float32'));
      const scratch = backend.makeOutput([2 * D * D + 2 * heads * D + L * heads], 'float32');
      const [dx, dq, dwk, dbk, dwv, dbv] = outs;
      const o = (t: TensorInfo) => heapOffset(backend, t);
      simd.attendRowBackward(
        o(dA),
        o(x),
        o(q),
        o(wk),
        o(wv),
        o(w),
        o(xbar),
        o(qt),
        o(dx),
        o(dq),
        o(dwk),
        o(dbk),
        o(dwv),
        o(dbv),
        o(scratch),
        B,
        L,
        D,
        heads,
        1 / Math.sqrt(D / heads),
      );
      backend.disposeData(scratch.dataId);
      return outs;
    },
  }),
];

const kernelSwitch = simdKernelSwitch('AttendRowForward');

/** Benchmarks and tests switch the fused attention off to compare with the ops. */
export const setAttendRowEnabled = kernelSwitch.setEnabled;

/** Can attendRow run here: the wasm backend with our kernels registered and the SIMD module loaded. */
export const attendRowAvailable = kernelSwitch.available;

/**
 * Multi-head attention of one query row per sequence over x [B, L, D], before the output
 * projection: q [B, D] is the projected query row, keys x Wk + bk, values x Wv + bv, softmax
 * over l of q_h . k_h / sqrt(D / heads) + maskBias [B, L] (when given). Returns [B, D].
 * Differentiable w.r.t. x, q, wk, bk, wv and bv.
 */
export function attendRow(
  x: tf.Tensor,
  q: tf.Tensor,
  wk: tf.Tensor,
  bk: tf.Tensor,
  wv: tf.Tensor,
  bv: tf.Tensor,
  maskBias: tf.Tensor | null,
  heads: number,
): tf.Tensor2D {
  const attrs = { heads } as unknown as tf.NamedAttrMap;
  if (!recordingGradients()) {
    const inputs: tf.NamedTensorMap = { x, q, wk, wv, bv };
    if (maskBias) inputs.mask = maskBias;
    const [out, ...kept] = tf.engine().runKernel('AttendRowForward', inputs, attrs) as tf.Tensor[];
    tf.dispose(kept);
    return out as tf.Tensor2D;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, qs, wks, , wvs, bvs] = args as tf.Tensor[];
    const save = args[6] as tf.GradSaveFunc;
    const inputs: tf.NamedTensorMap = { x: xs, q: qs, wk: wks, wv: wvs, bv: bvs };
    if (maskBias) inputs.mask = maskBias;
    const [out, w, xbar, qt] = tf.engine().runKernel('AttendRowForward', inputs, attrs) as tf.Tensor[];
    save([xs, qs, wks, wvs, w, xbar, qt]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sq, swk, swv, sw, sxbar, sqt] = saved;
        return tf
          .engine()
          .runKernel('AttendRowBackward', { dA: dy, x: sx, q: sq, wk: swk, wv: swv, w: sw, xbar: sxbar, qt: sqt }, attrs) as tf.Tensor[];
      },
    };
  });
  return op(x, q, wk, bk, wv, bv) as tf.Tensor2D;
}
