// The GRU's per-step gate arithmetic as kernels for the wasm and cpu backends, so a forward
// step is two ops (matMul, GruForwardStep) and a backward step two (GruBackwardStep, matMul)
// instead of ~50 small ones. On wasm they run our SIMD code (simd/kernels.as) on tfjs's own
// heap; where that cannot load, and on cpu, the JavaScript loops below (same formulas, in
// float64). Other backends (webgl, webgpu) take the op-by-op path in gru-bptt.ts, where the
// formulas are. All float32; time-major [T B, *] tensors are read at row block `step`.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type KernelBackends, type OurKernel } from './define';
import { heapOffset, heapView } from './heap';
import { simdKernelsFor } from './simd/index';

interface StepAttrs {
  step: number;
  /** GruBackwardStep: the last step, where no gradient arrives from a later one */
  last?: boolean;
}

const FORWARD_INPUTS = ['gh', 'gi', 'bi', 'bh', 'h'] as const;
const BACKWARD_INPUTS = ['dOut', 'm', 'dhz', 'dbAcc', 'readT', 'rz', 'n', 'ghN', 'hAll'] as const;
type ForwardInputs = Record<(typeof FORWARD_INPUTS)[number], TensorInfo>;
type BackwardInputs = Record<(typeof BACKWARD_INPUTS)[number], TensorInfo>;

/** [rz [B, 2D], n, ghN, hNext [B, D]] from h [B, D]. */
const forwardShapes = (B: number, D: number) => [[B, 2 * D], [B, D], [B, D], [B, D]];
/** [dgh, dgi [B, 3D], dhz [B, D], dghT, dgiT [3D, B], db [2, 3D]] from dOut [B, D]. */
const backwardShapes = (B: number, D: number) => [[B, 3 * D], [B, 3 * D], [B, D], [3 * D, B], [3 * D, B], [2, 3 * D]];

type F = Float32Array;
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

// The loops are plain functions of scalars and arrays: V8 ran them ~2x slower with
// destructured parameters.
function forwardLoop(gh: F, gi: F, bi: F, bh: F, h: F, rz: F, n: F, ghN: F, hNext: F, step: number, B: number, D: number): void {
  const w2 = 2 * D;
  const w3 = 3 * D;
  for (let b = 0; b < B; b++) {
    const g = (step * B + b) * w3;
    const row3 = b * w3;
    const o2 = b * w2;
    const o = b * D;
    for (let j = 0; j < w2; j++) rz[o2 + j] = sigmoid(gi[g + j] + bi[j] + (gh[row3 + j] + bh[j]));
    for (let d = 0; d < D; d++) {
      const hn = gh[row3 + w2 + d] + bh[w2 + d];
      const nv = Math.tanh(gi[g + w2 + d] + bi[w2 + d] + rz[o2 + d] * hn);
      ghN[o + d] = hn;
      n[o + d] = nv;
      hNext[o + d] = nv + rz[o2 + D + d] * (h[o + d] - nv);
    }
  }
}

function backwardLoop(
  dOut: F, m: F, dhz: F, dbAcc: F, readT: F, rz: F, n: F, ghN: F, hAll: F,
  dgh: F, dgi: F, dhzOut: F, dghT: F, dgiT: F, db: F,
  step: number, last: boolean, B: number, D: number,
): void {
  if (last) db.fill(0); // wasm outputs are uninitialised heap memory
  else db.set(dbAcc);
  const carry = last ? 0 : 1; // m and dhz are placeholders at the last step
  const w2 = 2 * D;
  const w3 = 3 * D;
  for (let b = 0; b < B; b++) {
    const read = readT[step * B + b];
    const row3 = b * w3;
    const k0 = (step * B + b) * D;
    const rz0 = (step * B + b) * w2;
    const o = b * D;
    for (let d = 0; d < D; d++) {
      const i = o + d;
      const k = k0 + d;
      const dh = carry * (m[i] + dhz[i]) + read * dOut[i];
      const r = rz[rz0 + d];
      const z = rz[rz0 + D + d];
      const nk = n[k];
      const oneMinusZ = 1 - z;
      const dn = dh * oneMinusZ * (1 - nk * nk);
      const dz = dh * (hAll[k] - nk) * z * oneMinusZ;
      const dr = dn * ghN[k] * r * (1 - r);
      const dnr = dn * r;
      dgh[row3 + d] = dr;
      dgi[row3 + d] = dr;
      dgh[row3 + D + d] = dz;
      dgi[row3 + D + d] = dz;
      dgh[row3 + w2 + d] = dnr;
      dgi[row3 + w2 + d] = dn;
      dhzOut[i] = dh * z;
      dghT[d * B + b] = dr;
      dgiT[d * B + b] = dr;
      dghT[(D + d) * B + b] = dz;
      dgiT[(D + d) * B + b] = dz;
      dghT[(w2 + d) * B + b] = dnr;
      dgiT[(w2 + d) * B + b] = dn;
      db[d] += dr;
      db[D + d] += dz;
      db[w2 + d] += dnr;
      db[w3 + d] += dr;
      db[w3 + D + d] += dz;
      db[w3 + w2 + d] += dn;
    }
  }
}

/** Float32 arrays of the inputs, by name, on the cpu backend. */
function cpuValues<K extends string>(backend: KernelBackends['cpu'], inputs: Record<K, TensorInfo>, names: readonly K[], kernel: string): F[] {
  return names.map((name) => {
    const values = backend.data.get(inputs[name].dataId)?.values;
    if (!(values instanceof Float32Array)) throw new Error(`${kernel}: input ${name} is not float32 on the cpu backend`);
    return values;
  });
}

function cpuOutputs(backend: KernelBackends['cpu'], shapes: number[][], values: F[]): TensorInfo[] {
  return values.map((v, i) => backend.makeTensorInfo(shapes[i], 'float32', v));
}

const forwardWasm = defineKernel<'wasm', ForwardInputs, StepAttrs>({
  kernelName: 'GruForwardStep',
  backendName: 'wasm',
  role: 'op',
  run: ({ inputs, attrs, backend }) => {
    const [B, D] = inputs.h.shape;
    const outs = forwardShapes(B, D).map((shape) => backend.makeOutput(shape, 'float32'));
    // offsets and views only after every allocation: the heap may have grown
    const simd = simdKernelsFor(backend);
    if (simd !== undefined) {
      const [gh, gi, bi, bh, h] = FORWARD_INPUTS.map((name) => heapOffset(backend, inputs[name]));
      const [rz, n, ghN, hNext] = outs.map((o) => heapOffset(backend, o));
      simd.gruForwardStep(gh, gi, bi, bh, h, rz, n, ghN, hNext, attrs.step, B, D);
    } else {
      const [gh, gi, bi, bh, h] = FORWARD_INPUTS.map((name) => heapView(backend, inputs[name]) as F);
      const [rz, n, ghN, hNext] = outs.map((o) => heapView(backend, o) as F);
      forwardLoop(gh, gi, bi, bh, h, rz, n, ghN, hNext, attrs.step, B, D);
    }
    return outs;
  },
});

const forwardCpu = defineKernel<'cpu', ForwardInputs, StepAttrs>({
  kernelName: 'GruForwardStep',
  backendName: 'cpu',
  role: 'op',
  run: ({ inputs, attrs, backend }) => {
    const [B, D] = inputs.h.shape;
    const shapes = forwardShapes(B, D);
    const [gh, gi, bi, bh, h] = cpuValues(backend, inputs, FORWARD_INPUTS, 'GruForwardStep');
    const outs = shapes.map(([rows, cols]) => new Float32Array(rows * cols));
    const [rz, n, ghN, hNext] = outs;
    forwardLoop(gh, gi, bi, bh, h, rz, n, ghN, hNext, attrs.step, B, D);
    return cpuOutputs(backend, shapes, outs);
  },
});

const backwardWasm = defineKernel<'wasm', BackwardInputs, StepAttrs>({
  kernelName: 'GruBackwardStep',
  backendName: 'wasm',
  role: 'op',
  run: ({ inputs, attrs, backend }) => {
    const [B, D] = inputs.dOut.shape;
    const outs = backwardShapes(B, D).map((shape) => backend.makeOutput(shape, 'float32'));
    const simd = simdKernelsFor(backend);
    const last = attrs.last === true;
    if (simd !== undefined) {
      const [dOut, m, dhz, dbAcc, readT, rz, n, ghN, hAll] = BACKWARD_INPUTS.map((name) => heapOffset(backend, inputs[name]));
      const [dgh, dgi, dhzOut, dghT, dgiT, db] = outs.map((o) => heapOffset(backend, o));
      simd.gruBackwardStep(dOut, m, dhz, dbAcc, readT, rz, n, ghN, hAll, dgh, dgi, dhzOut, dghT, dgiT, db, attrs.step, last ? 1 : 0, B, D);
    } else {
      const [dOut, m, dhz, dbAcc, readT, rz, n, ghN, hAll] = BACKWARD_INPUTS.map((name) => heapView(backend, inputs[name]) as F);
      const [dgh, dgi, dhzOut, dghT, dgiT, db] = outs.map((o) => heapView(backend, o) as F);
      backwardLoop(dOut, m, dhz, dbAcc, readT, rz, n, ghN, hAll, dgh, dgi, dhzOut, dghT, dgiT, db, attrs.step, last, B, D);
    }
    return outs;
  },
});

const backwardCpu = defineKernel<'cpu', BackwardInputs, StepAttrs>({
  kernelName: 'GruBackwardStep',
  backendName: 'cpu',
  role: 'op',
  run: ({ inputs, attrs, backend }) => {
    const [B, D] = inputs.dOut.shape;
    const shapes = backwardShapes(B, D);
    const [dOut, m, dhz, dbAcc, readT, rz, n, ghN, hAll] = cpuValues(backend, inputs, BACKWARD_INPUTS, 'GruBackwardStep');
    const outs = shapes.map(([rows, cols]) => new Float32Array(rows * cols));
    const [dgh, dgi, dhzOut, dghT, dgiT, db] = outs;
    backwardLoop(dOut, m, dhz, dbAcc, readT, rz, n, ghN, hAll, dgh, dgi, dhzOut, dghT, dgiT, db, attrs.step, attrs.last === true, B, D);
    return cpuOutputs(backend, shapes, outs);
  },
});

export const gruStepKernels: OurKernel[] = [forwardWasm, forwardCpu, backwardWasm, backwardCpu];

/** The kernels' names, for tests that unregister them to exercise the op-by-op path. */
export const GRU_KERNEL_NAMES = ['GruForwardStep', 'GruBackwardStep'];

/** Are the step kernels available on the active backend? */
export function hasGruStepKernels(): boolean {
  const backend = tf.getBackend();
  return GRU_KERNEL_NAMES.every((name) => tf.getKernel(name, backend) !== undefined);
}

function run(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: StepAttrs): tf.Tensor2D[] {
  return tf.engine().runKernel(kernelName, inputs, { ...attrs }) as tf.Tensor2D[];
}

/** [rz, n, ghN, hNext] of step `step`; gh = h Wh and gi = x Wi without their biases. */
export function gruForwardStep(gh: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor, bh: tf.Tensor, h: tf.Tensor, step: number): tf.Tensor2D[] {
  return run('GruForwardStep', { gh, gi, bi, bh, h }, { step });
}

export interface BackwardStepInputs {
  dOut: tf.Tensor;
  /** null at the last step */
  m: tf.Tensor | null;
  dhz: tf.Tensor | null;
  dbAcc: tf.Tensor | null;
  readT: tf.Tensor;
  rz: tf.Tensor;
  n: tf.Tensor;
  ghN: tf.Tensor;
  hAll: tf.Tensor;
}

/** [dgh, dgi, dhz, dghT, dgiT, dbAcc] of one step. */
export function gruBackwardStep(x: BackwardStepInputs, step: number): tf.Tensor2D[] {
  const last = x.m === null || x.dhz === null || x.dbAcc === null;
  const inputs = { ...x, m: x.m ?? x.dOut, dhz: x.dhz ?? x.dOut, dbAcc: x.dbAcc ?? x.dOut };
  return run('GruBackwardStep', inputs, { step, last });
}
