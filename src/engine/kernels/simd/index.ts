// Our SIMD kernels (kernels.as, compiled into module.generated.ts), instantiated on
// tfjs-backend-wasm's own memory: they take byte offsets of tensors on tfjs's heap, so a
// kernel call copies nothing. Undefined where they cannot run (no WASM SIMD, or a shared
// memory from the threaded build); callers then use their JavaScript loops.
import * as tf from '@tensorflow/tfjs-core';
import { asWasmBackend, wasmMemoryOf, type WasmKernelBackend } from '../heap';
import { WASM_BASE64 } from './module.generated';

type Ptr = number;

export interface SimdKernels {
  tanhArray(x: Ptr, out: Ptr, size: number): void;
  sigmoidArray(x: Ptr, out: Ptr, size: number): void;
  sumRows(x: Ptr, out: Ptr, rows: number, cols: number): void;
  gatherRows(x: Ptr, ids: Ptr, out: Ptr, count: number, rowBytes: number): void;
  adamUpdate(
    p: Ptr,
    m: Ptr,
    v: Ptr,
    g: Ptr,
    pOut: Ptr,
    mOut: Ptr,
    vOut: Ptr,
    size: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    vScale: number,
    eps: number,
    stepSize: number,
  ): void;
  attendRowForward(
    x: Ptr,
    q: Ptr,
    wk: Ptr,
    wv: Ptr,
    bv: Ptr,
    mask: Ptr,
    hasMask: number,
    out: Ptr,
    w: Ptr,
    xbar: Ptr,
    qt: Ptr,
    scratch: Ptr,
    B: number,
    L: number,
    D: number,
    H: number,
    scale: number,
  ): void;
  attendRowBackward(
    dA: Ptr,
    x: Ptr,
    q: Ptr,
    wk: Ptr,
    wv: Ptr,
    w: Ptr,
    xbar: Ptr,
    qt: Ptr,
    dx: Ptr,
    dq: Ptr,
    dwk: Ptr,
    dbk: Ptr,
    dwv: Ptr,
    dbv: Ptr,
    scratch: Ptr,
    B: number,
    L: number,
    D: number,
    H: number,
    scale: number,
  ): void;
  generatedInput(z: Ptr, x: Ptr, out: Ptr, B: number, D: number, I: number): void;
  generatedInputGrad(d: Ptr, z: Ptr, x: Ptr, dz: Ptr, dx: Ptr, B: number, D: number, I: number): void;
  layerNormForward(x: Ptr, gamma: Ptr, beta: Ptr, out: Ptr, xhat: Ptr, rstd: Ptr, N: number, D: number, eps: number): void;
  layerNormBackward(dy: Ptr, xhat: Ptr, rstd: Ptr, gamma: Ptr, dx: Ptr, dgamma: Ptr, dbeta: Ptr, N: number, D: number): void;
  segmentSum(x: Ptr, ids: Ptr, out: Ptr, rows: number, inner: number, numSegments: number): void;
  biasTanh(xw: Ptr, b: Ptr, y: Ptr, N: number, M: number): void;
  biasTanhGrad(y: Ptr, dy: Ptr, g: Ptr, db: Ptr, N: number, M: number): void;
  matMulSmall(a: Ptr, b: Ptr, out: Ptr, M: number, K: number, N: number): void;
  matMulBlocked(a: Ptr, b: Ptr, out: Ptr, M: number, K: number, N: number): void;
  gruRow(x: Ptr, wi: Ptr, bi: Ptr, wh: Ptr, bh: Ptr, h: Ptr, scratch: Ptr, steps: number, D: number): void;
  matMulTransposedA(a: Ptr, b: Ptr, out: Ptr, R: number, M: number, N: number): void;
  transposeMatrix(a: Ptr, out: Ptr, M: number, N: number): void;
  generatedLayerRows(z: Ptr, A: Ptr, a: Ptr, B: Ptr, c: Ptr, out: Ptr, rows: number, D: number, P: number, O: number): void;
  generatedClickRow(
    g: Ptr,
    s: Ptr,
    zw1: Ptr,
    zb1: Ptr,
    zw2: Ptr,
    zb2: Ptr,
    A1: Ptr,
    a1: Ptr,
    B1: Ptr,
    c1: Ptr,
    A2: Ptr,
    a2: Ptr,
    B2: Ptr,
    c2: Ptr,
    u: Ptr,
    layer1: Ptr,
    layer2: Ptr,
    scratch: Ptr,
    D: number,
    I1: number,
    O1: number,
    I2: number,
    O2: number,
  ): void;
  historyRows(E: Ptr, items: Ptr, P: Ptr, W: Ptr, b: Ptr, out: Ptr, N: number, L: number, D: number, V: number): void;
  sasrecReadRow(
    x: Ptr,
    read: Ptr,
    mask: Ptr,
    hasMask: number,
    wq: Ptr,
    bq: Ptr,
    wk: Ptr,
    wv: Ptr,
    bv: Ptr,
    wo: Ptr,
    bo: Ptr,
    g1: Ptr,
    be1: Ptr,
    f1w: Ptr,
    f1b: Ptr,
    f2w: Ptr,
    f2b: Ptr,
    g2: Ptr,
    be2: Ptr,
    out: Ptr,
    scratch: Ptr,
    L: number,
    D: number,
    H: number,
    F: number,
    scale: number,
    eps: number,
  ): void;
  gruForwardStep(
    gh: Ptr,
    gi: Ptr,
    bi: Ptr,
    bh: Ptr,
    h: Ptr,
    rz: Ptr,
    n: Ptr,
    ghN: Ptr,
    hNext: Ptr,
    hKeep: Ptr,
    read: Ptr,
    out: Ptr,
    B: number,
    D: number,
  ): void;
  gruBackwardStep(
    dOut: Ptr,
    m: Ptr,
    dhz: Ptr,
    read: Ptr,
    rz: Ptr,
    n: Ptr,
    ghN: Ptr,
    hPrev: Ptr,
    dgh: Ptr,
    dgi: Ptr,
    db: Ptr,
    B: number,
    D: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();
let enabled = true;

/** Benchmarks switch the SIMD kernels off to compare with the JavaScript loops. */
export function setSimdKernelsEnabled(on: boolean): void {
  enabled = on;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function compile(): WebAssembly.Module | null {
  try {
    // synchronous: the module is ~5 kB, and kernels are synchronous (the engine runs in a worker or Node)
    return new WebAssembly.Module(decodeBase64(WASM_BASE64));
  } catch {
    return null; // no WASM SIMD here
  }
}

/** The SIMD kernels bound to this backend's heap, or undefined (see above). */
export function simdKernelsFor(backend: WasmKernelBackend): SimdKernels | undefined {
  if (!enabled) return undefined;
  const memory = wasmMemoryOf(backend);
  if (memory === undefined) return undefined;
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer) return undefined;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    if (compiled === undefined) compiled = compile();
    if (compiled === null) return undefined;
    kernels = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as SimdKernels;
    instances.set(memory, kernels);
  }
  return kernels;
}

/** The SIMD kernels, for a kernel that has no other code: its op checks that they load before running it. */
export function requireSimdKernels(backend: WasmKernelBackend, kernel: string): SimdKernels {
  const kernels = simdKernelsFor(backend);
  if (kernels === undefined) throw new Error(`${kernel}: needs the SIMD kernels (check that they are available before running it)`);
  return kernels;
}

/**
 * The on/off switch of a family of our SIMD kernels, which benchmarks and tests turn off to
 * compare with the ops: `available()` says whether the family can run here (the wasm backend,
 * the kernel `probe` of the family registered, the SIMD module loaded) and is switched on.
 */
export function simdKernelSwitch(probe: string): { setEnabled(on: boolean): void; available(): boolean } {
  let on = true;
  return {
    setEnabled: (value) => {
      on = value;
    },
    available: () => {
      if (!on || tf.getBackend() !== 'wasm' || tf.getKernel(probe, 'wasm') === undefined) return false;
      return simdKernelsFor(asWasmBackend(tf.backend())) !== undefined;
    },
  };
}
