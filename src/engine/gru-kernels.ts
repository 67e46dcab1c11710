// The GRU's per-step gate arithmetic as kernels for the wasm and cpu backends: one loop
// instead of 5-10 tfjs ops of ~8k elements each, and no per-op engine work in between. The
// sigmoids stay tfjs ops (XNNPACK's beats Math.exp), so a forward step is matMul,
// GruGatesRz, sigmoid, GruGateN, sigmoid, GruStateUpdate, and a backward step is
// GruBackwardStep and one matMul. Other backends (webgl, webgpu) take the op-by-op path in
// gru-bptt.ts, where the formulas are. All inputs float32; time-major [T B, *] tensors are
// read at row block `step`. (Measured: these loops run ~2x slower on views of the WASM heap
// than on plain arrays, ~50-170 us per step; still well under the ops they replace.)
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { heapView, type WasmKernelBackend } from './kernels/heap';

interface StepAttrs {
  step: number;
  /** gruBackwardStep: the last step, where no gradient arrives from a later one */
  last?: boolean;
}

interface StepKernel {
  name: string;
  inputs: readonly string[];
  /** output shapes from B and D (B, D: the first input's rows, and wh's rows or the state width) */
  outputs: (B: number, D: number) => number[][];
  compute: (a: Float32Array[], out: Float32Array[], B: number, D: number, attrs: StepAttrs) => void;
}

/** rzPre [B, 2D] = gi_rz + bi_rz + gh_rz + bh_rz; gi [T B, 3D], gh = h Wh [B, 3D]. */
const gatesRz: StepKernel = {
  name: 'GruGatesRz',
  inputs: ['gh', 'gi', 'bi', 'bh'],
  outputs: (B, D) => [[B, 2 * D]],
  compute: (a, out, B, D, attrs) => gatesRzLoop(a[0], a[1], a[2], a[3], out[0], attrs.step, B, D),
};

// The loops are plain functions of scalars and arrays: V8 ran them ~2x slower with
// destructured parameters.
function gatesRzLoop(gh: Float32Array, gi: Float32Array, bi: Float32Array, bh: Float32Array, pre: Float32Array, step: number, B: number, D: number): void {
  const w2 = 2 * D;
  const w3 = 3 * D;
  for (let b = 0; b < B; b++) {
    const row3 = b * w3;
    const g = (step * B + b) * w3;
    const o = b * w2;
    for (let j = 0; j < w2; j++) pre[o + j] = gi[g + j] + bi[j] + gh[row3 + j] + bh[j];
  }
}

/** ghN [B, D] = gh_n + bh_n and nPre2 = 2 (gi_n + bi_n + r ghN): tanh(a) = 2 sigmoid(2a) - 1. */
const gateN: StepKernel = {
  name: 'GruGateN',
  inputs: ['gh', 'gi', 'bi', 'bh', 'rz'],
  outputs: (B, D) => [[B, D], [B, D]],
  compute: (a, out, B, D, attrs) => gateNLoop(a[0], a[1], a[2], a[3], a[4], out[0], out[1], attrs.step, B, D),
};

function gateNLoop(gh: Float32Array, gi: Float32Array, bi: Float32Array, bh: Float32Array, rz: Float32Array, nPre2: Float32Array, ghN: Float32Array, step: number, B: number, D: number): void {
  const w2 = 2 * D;
  const w3 = 3 * D;
  for (let b = 0; b < B; b++) {
    const g = (step * B + b) * w3 + w2;
    const row3 = b * w3 + w2;
    const o = b * D;
    const r0 = b * w2;
    for (let d = 0; d < D; d++) {
      const hn = gh[row3 + d] + bh[w2 + d];
      ghN[o + d] = hn;
      nPre2[o + d] = 2 * (gi[g + d] + bi[w2 + d] + rz[r0 + d] * hn);
    }
  }
}

/** n = 2 s - 1 and h' = n + z (h - n), s = sigmoid(nPre2). */
const stateUpdate: StepKernel = {
  name: 'GruStateUpdate',
  inputs: ['s', 'rz', 'h'],
  outputs: (B, D) => [[B, D], [B, D]],
  compute: (a, out, B, D) => stateUpdateLoop(a[0], a[1], a[2], out[0], out[1], B, D),
};

function stateUpdateLoop(s: Float32Array, rz: Float32Array, h: Float32Array, hNext: Float32Array, n: Float32Array, B: number, D: number): void {
  for (let b = 0; b < B; b++) {
    const o = b * D;
    const z0 = b * 2 * D + D;
    for (let d = 0; d < D; d++) {
      const i = o + d;
      const nv = 2 * s[i] - 1;
      n[i] = nv;
      hNext[i] = nv + rz[z0 + d] * (h[i] - nv);
    }
  }
}

/**
 * dh = m + dhz + read_t dOut (m = dgh_{t+1} Wh^T, dhz = dh_{t+1} z_{t+1}; both ignored when
 * last); outputs dgh, dgi [B, 3D], dhz [B, D] = dh z_t, dgh and dgi transposed [3D, B] (the
 * weight gradients' matmuls then pack the narrower operand: gru-bptt.ts), and the bias
 * gradients so far, dbAcc [2, 3D] = [dbh; dbi] (summed over steps t.., the input's plus this
 * step's column sums). rz [T B, 2D], n and ghN [T B, D], hAll [(T+1) B, D] (row block t is
 * h_{t-1}), readT [T, B].
 */
const backwardStep: StepKernel = {
  name: 'GruBackwardStep',
  inputs: ['dOut', 'm', 'dhz', 'dbAcc', 'readT', 'rz', 'n', 'ghN', 'hAll'],
  outputs: (B, D) => [[B, 3 * D], [B, 3 * D], [B, D], [3 * D, B], [3 * D, B], [2, 3 * D]],
  compute: (a, out, B, D, attrs) =>
    backwardLoop(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], out[0], out[1], out[2], out[3], out[4], out[5], attrs.step, attrs.last === true, B, D),
};

function backwardLoop(
  dOut: Float32Array, m: Float32Array, dhz: Float32Array, dbAcc: Float32Array, readT: Float32Array,
  rz: Float32Array, n: Float32Array, ghN: Float32Array, hAll: Float32Array,
  dgh: Float32Array, dgi: Float32Array, dhzOut: Float32Array, dghT: Float32Array, dgiT: Float32Array, db: Float32Array,
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

interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: NamedAttrMap;
}

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } | undefined };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** B: rows of the first input; D: the state width (h, s or dOut: [B, D]; gh: [B, 3D]). */
function sizes(k: StepKernel, inputs: Record<string, TensorInfo>): [number, number] {
  const [B, width] = inputs[k.inputs[0]].shape;
  return [B, k.inputs[0] === 'gh' ? width / 3 : width];
}

function wasmKernel(k: StepKernel): KernelFunc {
  return (args) => {
    const { inputs, attrs } = args as unknown as KernelArgs;
    const backend = (args as unknown as KernelArgs).backend as WasmKernelBackend;
    const [B, D] = sizes(k, inputs);
    const outs = k.outputs(B, D).map((shape) => backend.makeOutput(shape, 'float32'));
    // views only after every allocation: the heap may have grown
    const views = k.inputs.map((name) => heapView(backend, inputs[name]) as Float32Array);
    k.compute(views, outs.map((o) => heapView(backend, o) as Float32Array), B, D, attrs as unknown as StepAttrs);
    return outs;
  };
}

function cpuKernel(k: StepKernel): KernelFunc {
  return (args) => {
    const { inputs, attrs } = args as unknown as KernelArgs;
    const backend = (args as unknown as KernelArgs).backend as CpuBackendLike;
    const [B, D] = sizes(k, inputs);
    const values = k.inputs.map((name) => {
      const data = backend.data.get(inputs[name].dataId);
      if (data === undefined) throw new Error(`${k.name}: input ${name} is not on the cpu backend`);
      return data.values;
    });
    const shapes = k.outputs(B, D);
    const outs = shapes.map((shape) => new Float32Array(shape[0] * shape[1]));
    k.compute(values, outs, B, D, attrs as unknown as StepAttrs);
    return outs.map((values, i) => backend.makeTensorInfo(shapes[i], 'float32', values));
  };
}

const kernels = [gatesRz, gateN, stateUpdate, backwardStep];
for (const k of kernels) {
  for (const [backendName, make] of [['wasm', wasmKernel], ['cpu', cpuKernel]] as const) {
    if (tf.getKernel(k.name, backendName) === undefined) tf.registerKernel({ kernelName: k.name, backendName, kernelFunc: make(k) });
  }
}

/** The kernels' names, for tests that unregister them to exercise the op-by-op path. */
export const GRU_KERNEL_NAMES = kernels.map((k) => k.name);

/** Are the step kernels available on the active backend? */
export function hasGruStepKernels(): boolean {
  const backend = tf.getBackend();
  return kernels.every((k) => tf.getKernel(k.name, backend) !== undefined);
}

function run(k: StepKernel, inputs: Record<string, tf.Tensor>, attrs: StepAttrs): tf.Tensor2D[] {
  return tf.engine().runKernel(k.name, inputs, attrs as unknown as NamedAttrMap) as tf.Tensor2D[];
}

export function gruGatesRz(gh: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor, bh: tf.Tensor, step: number): tf.Tensor2D {
  return run(gatesRz, { gh, gi, bi, bh }, { step })[0];
}

/** [nPre2, ghN] */
export function gruGateN(gh: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor, bh: tf.Tensor, rz: tf.Tensor, step: number): tf.Tensor2D[] {
  return run(gateN, { gh, gi, bi, bh, rz }, { step });
}

/** [hNext, n] */
export function gruStateUpdate(s: tf.Tensor, rz: tf.Tensor, h: tf.Tensor): tf.Tensor2D[] {
  return run(stateUpdate, { s, rz, h }, { step: 0 });
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
  return run(backwardStep, inputs, { step, last });
}
