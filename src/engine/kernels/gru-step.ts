// The GRU recurrence as two kernels for the wasm and cpu backends: GruForward runs every
// step (matMul h Wh, then the gates and the new state) and GruBackward the whole backprop
// through time, each in one kernel call: no per-step tfjs ops, no per-step tensors, no
// concatenation afterwards. The per-step products run in our SIMD code into one buffer where
// it can (stepProduct), else through the backend's own BatchMatMul kernel, called directly.
// A step computes only the rows up to the last one still running (activeRows). The gate
// arithmetic runs our SIMD code (simd/kernels.as) on
// tfjs-wasm's heap; where that cannot load, and on cpu, the JavaScript loops below (same
// formulas, in float64). Other backends (webgl, webgpu) take the op-by-op path in
// gru-bptt.ts, where the formulas are. All float32; time-major: row block t of a [T B, *]
// tensor is step t.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type KernelBackendName, type KernelBackends, type OurKernel } from './define';
import { heapOffset, heapView } from './heap';
import { simdKernelsFor, type SimdKernels } from './simd/index';

type F = Float32Array;
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

// The loops mirror simd/kernels.as (one step, arrays at the step's row block). They are
// plain functions of scalars and arrays: V8 ran them ~2x slower with destructured parameters.
function forwardLoop(
  gh: F,
  gi: F,
  bi: F,
  bh: F,
  h: F,
  rz: F,
  n: F,
  ghN: F,
  hNext: F,
  hKeep: F,
  read: F,
  out: F,
  B: number,
  D: number,
): void {
  const w2 = 2 * D;
  const w3 = 3 * D;
  for (let b = 0; b < B; b++) {
    const row3 = b * w3;
    const o2 = b * w2;
    const o = b * D;
    const r0 = read[b];
    for (let j = 0; j < w2; j++) rz[o2 + j] = sigmoid(gi[row3 + j] + bi[j] + (gh[row3 + j] + bh[j]));
    for (let d = 0; d < D; d++) {
      const hn = gh[row3 + w2 + d] + bh[w2 + d];
      const nv = Math.tanh(gi[row3 + w2 + d] + bi[w2 + d] + rz[o2 + d] * hn);
      const next = nv + rz[o2 + D + d] * (h[o + d] - nv);
      ghN[o + d] = hn;
      n[o + d] = nv;
      hNext[o + d] = next;
      hKeep[o + d] = next;
      out[o + d] += r0 * next;
    }
  }
}

function backwardLoop(dOut: F, m: F, dhz: F, read: F, rz: F, n: F, ghN: F, hPrev: F, dgh: F, dgi: F, db: F, B: number, D: number): void {
  const w2 = 2 * D;
  const w3 = 3 * D;
  for (let b = 0; b < B; b++) {
    const r0 = read[b];
    const row3 = b * w3;
    const o2 = b * w2;
    const o = b * D;
    for (let d = 0; d < D; d++) {
      const i = o + d;
      const dh = m[i] + dhz[i] + r0 * dOut[i];
      const r = rz[o2 + d];
      const z = rz[o2 + D + d];
      const nk = n[i];
      const oneMinusZ = 1 - z;
      const dn = dh * oneMinusZ * (1 - nk * nk);
      const dz = dh * (hPrev[i] - nk) * z * oneMinusZ;
      const dr = dn * ghN[i] * r * (1 - r);
      const dnr = dn * r;
      dgh[row3 + d] = dr;
      dgi[row3 + d] = dr;
      dgh[row3 + D + d] = dz;
      dgi[row3 + D + d] = dz;
      dgh[row3 + w2 + d] = dnr;
      dgi[row3 + w2 + d] = dn;
      dhz[i] = dh * z;
      db[d] += dr;
      db[D + d] += dz;
      db[w2 + d] += dnr;
      db[w3 + d] += dr;
      db[w3 + D + d] += dz;
      db[w3 + w2 + d] += dn;
    }
  }
}

/**
 * What the step loops need from a backend: zeroed tensors, its matMul, and each tensor as
 * float32 values (a view valid until the next allocation: the wasm heap may grow) or, for
 * the SIMD code, as a byte offset on the wasm heap.
 */
interface Workspace {
  zeros(shape: number[]): TensorInfo;
  /** Not zeroed (wasm): for outputs every element of which the step loops write. */
  empty(shape: number[]): TensorInfo;
  matMul(a: TensorInfo, b: TensorInfo): TensorInfo;
  dispose(t: TensorInfo): void;
  values(t: TensorInfo): F;
  /** Byte offsets and the SIMD kernels, on wasm when they load. */
  simd?: { kernels: SimdKernels; offset(t: TensorInfo): number };
}

function stockMatMul(backendName: KernelBackendName, backend: unknown, a: TensorInfo, b: TensorInfo): TensorInfo {
  const kernel = tf.getKernel('BatchMatMul', backendName);
  if (kernel === undefined) throw new Error(`GRU kernels: no BatchMatMul on ${backendName}`);
  return kernel.kernelFunc({ inputs: { a, b }, backend: backend as object, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
}

function wasmWorkspace(backend: KernelBackends['wasm']): Workspace {
  const kernels = simdKernelsFor(backend);
  return {
    zeros: (shape) => {
      const t = backend.makeOutput(shape, 'float32');
      heapView(backend, t).fill(0);
      return t;
    },
    empty: (shape) => backend.makeOutput(shape, 'float32'),
    matMul: (a, b) => stockMatMul('wasm', backend, a, b),
    dispose: (t) => void backend.disposeData(t.dataId),
    values: (t) => heapView(backend, t) as F,
    simd: kernels === undefined ? undefined : { kernels, offset: (t) => heapOffset(backend, t) },
  };
}

function cpuWorkspace(backend: KernelBackends['cpu']): Workspace {
  return {
    zeros: (shape) => backend.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1))),
    empty: (shape) => backend.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1))),
    matMul: (a, b) => stockMatMul('cpu', backend, a, b),
    dispose: (t) => void backend.disposeData(t.dataId),
    values: (t) => {
      const values = backend.data.get(t.dataId)?.values;
      if (!(values instanceof Float32Array)) throw new Error('GRU kernels: a float32 tensor is missing on the cpu backend');
      return values;
    },
  };
}

const F32 = 4;

/** Up to this many rows, a per-step product runs in our SIMD code whatever its width (simd/kernels.as matMulSmall). */
export const SMALL_BATCH = 16;

/**
 * A per-step product a[first : first + rows] b (b [K, N]) in our WASM code, written into `into`
 * (>= rows rows of N), when it can run there: N a multiple of 16 (matMulBlocked, ~1.6x
 * tfjs-wasm's matMul call on [256, 32] x [32, 96]) or a few rows. Else a tfjs matMul (of a
 * copy of those rows when they do not start the tensor): a new tensor, which the caller disposes.
 */
function stepProduct(ws: Workspace, a: TensorInfo, first: number, rows: number, b: TensorInfo, into: TensorInfo | undefined): TensorInfo {
  const [K, N] = b.shape;
  if (into && ws.simd && (N % 16 === 0 || rows <= SMALL_BATCH)) {
    const at = ws.simd.offset;
    const start = at(a) + first * K * F32;
    if (N % 16 === 0) ws.simd.kernels.matMulBlocked(start, at(b), at(into), rows, K, N);
    else ws.simd.kernels.matMulSmall(start, at(b), at(into), rows, K, N);
    return into;
  }
  if (first === 0) return ws.matMul(leadingRows(a, rows), b);
  const copy = ws.empty([rows, K]);
  ws.values(copy).set(ws.values(a).subarray(first * K, (first + rows) * K));
  const product = ws.matMul(copy, b);
  ws.dispose(copy);
  return product;
}

/**
 * Rows each step must compute: 1 + the last row whose read position (its 1 in readT [T, B]) is
 * at or after the step, 0 when there is none. A row past its read position never reaches the
 * output, so a step can stop there; when the caller orders rows by read position, longest
 * first (gru.ts does), that is exactly the rows still running and padding costs nothing.
 * Never increases with t.
 */
export function activeRows(readT: ArrayLike<number>, T: number, B: number): Int32Array {
  const active = new Int32Array(T);
  let last = -1; // the last row read at step t or later
  for (let t = T - 1; t >= 0; t--) {
    for (let b = B - 1; b > last; b--) {
      if (readT[t * B + b] !== 0) {
        last = b;
        break;
      }
    }
    active[t] = last + 1;
  }
  return active;
}

/** The first `rows` rows of a 2-D tensor, as a tensor of its own shape over the same data (no copy). */
function leadingRows(x: TensorInfo, rows: number): TensorInfo {
  return rows === x.shape[0] ? x : { dataId: x.dataId, shape: [rows, x.shape[1]], dtype: x.dtype };
}

/** Zeros rows [from, B) of row block `block` (blocks of B rows of `width` floats). */
function zeroRows(values: F, block: number, B: number, width: number, from: number): void {
  if (from < B) values.fill(0, (block * B + from) * width, (block + 1) * B * width);
}

/**
 * Outputs [out [B, D] = sum_t readT[t] h_t, rz [T B, 2D], n, ghN [T B, D], hAll [(T+1) B, D]]
 * (hAll block t is h_{t-1}; h_{-1} = 0). Rows past their read position (activeRows) are not
 * computed: their rows of every output are 0.
 */
function forward(ws: Workspace, gi: TensorInfo, bi: TensorInfo, bh: TensorInfo, wh: TensorInfo, readT: TensorInfo): TensorInfo[] {
  const D = wh.shape[0];
  const [T, B] = readT.shape;
  const active = activeRows(ws.values(readT), T, B);
  // every step writes its row block of rz, n, ghN and hAll (block t + 1); out accumulates
  const out = ws.zeros([B, D]);
  const [rz, n, ghN, hAll] = [
    [T * B, 2 * D],
    [T * B, D],
    [T * B, D],
    [(T + 1) * B, D],
  ].map((shape) => ws.empty(shape));
  ws.values(hAll).fill(0, 0, B * D); // h_{-1} = 0
  const h = ws.zeros([B, D]);
  const [g3, g2, g1] = [B * 3 * D, B * 2 * D, B * D];
  // h Wh of every step into one buffer where our WASM code runs it (stepProduct)
  const ghBuffer = ws.simd ? ws.empty([B, 3 * D]) : undefined;
  for (let t = 0; t < T; t++) {
    const rows = active[t];
    const gh = rows > 0 ? stepProduct(ws, h, 0, rows, wh, ghBuffer) : undefined;
    // offsets and views only after the allocations of this step
    zeroRows(ws.values(rz), t, B, 2 * D, rows);
    for (const x of [n, ghN]) zeroRows(ws.values(x), t, B, D, rows);
    zeroRows(ws.values(hAll), t + 1, B, D, rows);
    if (gh === undefined) continue;
    if (ws.simd) {
      const at = ws.simd.offset;
      ws.simd.kernels.gruForwardStep(
        at(gh),
        at(gi) + t * g3 * F32,
        at(bi),
        at(bh),
        at(h),
        at(rz) + t * g2 * F32,
        at(n) + t * g1 * F32,
        at(ghN) + t * g1 * F32,
        at(h),
        at(hAll) + (t + 1) * g1 * F32,
        at(readT) + t * B * F32,
        at(out),
        rows,
        D,
      );
    } else {
      const hv = ws.values(h);
      const block = (x: TensorInfo, size: number, k: number) => ws.values(x).subarray(k * size, (k + 1) * size);
      forwardLoop(
        ws.values(gh),
        block(gi, g3, t),
        ws.values(bi),
        ws.values(bh),
        hv,
        block(rz, g2, t),
        block(n, g1, t),
        block(ghN, g1, t),
        hv,
        block(hAll, g1, t + 1),
        block(readT, B, t),
        ws.values(out),
        rows,
        D,
      );
    }
    if (gh !== ghBuffer) ws.dispose(gh);
  }
  if (ghBuffer) ws.dispose(ghBuffer);
  ws.dispose(h);
  return [out, rz, n, ghN, hAll];
}

/**
 * Outputs [dgi, dgh [T B, 3D], db [2, 3D] = [dbh; dbi]]. Rows past their read position get
 * zero gradients without being computed.
 */
function backward(ws: Workspace, x: BackwardInputs): TensorInfo[] {
  const { dOut, readT, rz, n, ghN, hAll, whT } = x;
  const [T, B] = readT.shape;
  const D = dOut.shape[1];
  const active = activeRows(ws.values(readT), T, B);
  // every step writes its rows of dgi and dgh (the rest of its block: zeros); db accumulates
  const [dgi, dgh] = [ws.empty([T * B, 3 * D]), ws.empty([T * B, 3 * D])];
  const db = ws.zeros([2, 3 * D]);
  const dhz = ws.zeros([B, D]); // dh_{t+1} z_{t+1}, then dh_t z_t in place; 0 after the last step
  const mBuffer = ws.simd ? ws.empty([B, D]) : undefined; // where stepProduct can write m
  let m = dhz; // dgh_{t+1} Wh^T over the rows step t computes; 0 (dhz, still zero) at the last step
  const [g3, g2, g1] = [B * 3 * D, B * 2 * D, B * D];
  for (let t = T - 1; t >= 0; t--) {
    const rows = active[t];
    for (const grad of [dgi, dgh]) zeroRows(ws.values(grad), t, B, 3 * D, rows);
    if (rows > 0 && ws.simd) {
      const at = ws.simd.offset;
      ws.simd.kernels.gruBackwardStep(
        at(dOut),
        at(m),
        at(dhz),
        at(readT) + t * B * F32,
        at(rz) + t * g2 * F32,
        at(n) + t * g1 * F32,
        at(ghN) + t * g1 * F32,
        at(hAll) + t * g1 * F32,
        at(dgh) + t * g3 * F32,
        at(dgi) + t * g3 * F32,
        at(db),
        rows,
        D,
      );
    } else if (rows > 0) {
      const block = (x: TensorInfo, size: number, k: number) => ws.values(x).subarray(k * size, (k + 1) * size);
      backwardLoop(
        ws.values(dOut),
        ws.values(m),
        ws.values(dhz),
        block(readT, B, t),
        block(rz, g2, t),
        block(n, g1, t),
        block(ghN, g1, t),
        block(hAll, g1, t),
        block(dgh, g3, t),
        block(dgi, g3, t),
        ws.values(db),
        rows,
        D,
      );
    }
    if (t > 0 && active[t - 1] > 0) {
      if (m !== dhz && m !== mBuffer) ws.dispose(m);
      // over the rows step t - 1 computes: those past this step's rows have dgh 0, so m is 0 there
      m = stepProduct(ws, dgh, t * B, active[t - 1], whT, mBuffer);
    }
  }
  if (m !== dhz && m !== mBuffer) ws.dispose(m);
  if (mBuffer) ws.dispose(mBuffer);
  ws.dispose(dhz);
  return [dgi, dgh, db];
}

type ForwardInputs = Record<'gi' | 'bi' | 'bh' | 'wh' | 'readT', TensorInfo>;
type BackwardInputs = Record<'dOut' | 'readT' | 'rz' | 'n' | 'ghN' | 'hAll' | 'whT', TensorInfo>;
export const gruStepKernels: OurKernel[] = [
  defineKernel<'wasm', ForwardInputs>({
    kernelName: 'GruForward',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs: { gi, bi, bh, wh, readT }, backend }) => forward(wasmWorkspace(backend), gi, bi, bh, wh, readT),
  }),
  defineKernel<'cpu', ForwardInputs>({
    kernelName: 'GruForward',
    backendName: 'cpu',
    role: 'op',
    run: ({ inputs: { gi, bi, bh, wh, readT }, backend }) => forward(cpuWorkspace(backend), gi, bi, bh, wh, readT),
  }),
  defineKernel<'wasm', BackwardInputs>({
    kernelName: 'GruBackward',
    backendName: 'wasm',
    role: 'op',
    run: ({ inputs, backend }) => backward(wasmWorkspace(backend), inputs),
  }),
  defineKernel<'cpu', BackwardInputs>({
    kernelName: 'GruBackward',
    backendName: 'cpu',
    role: 'op',
    run: ({ inputs, backend }) => backward(cpuWorkspace(backend), inputs),
  }),
];

/** The kernels' names, for tests that unregister them to exercise the op-by-op path. */
export const GRU_KERNEL_NAMES = ['GruForward', 'GruBackward'];

/** Are the GRU kernels available on the active backend? */
export function hasGruStepKernels(): boolean {
  const backend = tf.getBackend();
  return GRU_KERNEL_NAMES.every((name) => tf.getKernel(name, backend) !== undefined);
}

/**
 * Every forward step: gi = x Wi [T B, 3D] (no bias), biases bi and bh [3D], wh [D, 3D],
 * readT [T, B]. Returns [out [B, D] = sum_t readT[t] h_t, rz [T B, 2D], n, ghN [T B, D],
 * hAll [(T+1) B, D]] (see gru-bptt.ts).
 */
export function gruForwardSteps(gi: tf.Tensor, bi: tf.Tensor, bh: tf.Tensor, wh: tf.Tensor, readT: tf.Tensor): tf.Tensor2D[] {
  return tf.engine().runKernel('GruForward', { gi, bi, bh, wh, readT }, {}) as tf.Tensor2D[];
}

export interface BackwardInputsOf {
  /** the gradient at the output [B, D], entering each step through readT [T, B] */
  dOut: tf.Tensor;
  readT: tf.Tensor;
  rz: tf.Tensor;
  n: tf.Tensor;
  ghN: tf.Tensor;
  hAll: tf.Tensor;
  /** Wh^T [3D, D] */
  whT: tf.Tensor;
}

/** Backprop through every step: [dgi, dgh [T B, 3D], db [2, 3D] = [dbh; dbi]]. */
export function gruBackwardSteps(inputs: BackwardInputsOf): tf.Tensor2D[] {
  return tf.engine().runKernel('GruBackward', { ...inputs }, {}) as tf.Tensor2D[];
}
