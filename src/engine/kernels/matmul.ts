// tfjs-backend-wasm 4.22's matMul, mended two ways:
// - Speed: a 2-D float32 product of at least MIN_ROWS rows and 16 columns runs in our WASM
//   code (simd/kernels.as): matMulBlocked for a b, matMulTransposedA for a^T b with no copy of
//   the transposed left operand (16k-wide outputs, or 16k rows by swapping). On [256, 32] x
//   [32, 96] it took 43 us where tfjs's call took 68 us. tfjs-wasm multiplies transposed
//   operands element by element outside XNNPACK, so where ours does not apply, a transposed
//   operand is copied transposed first and XNNPACK gets the plain product.
// - A guard against its operator cache. The C++ side caches one XNNPACK operator per weight
//   tensor id (the `b` operand), built for the shape it first saw; a reshape keeps the id, so
//   multiplying by a reshaped view of the same weights (the generator's A_i as [D, D*D] and as
//   [D*D, D]) reuses a stale operator: out-of-bounds access or abort. When `b` comes back under
//   another shape, we hand the stock kernel a fresh copy.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type OurKernel } from './define';
import { bytesPerElement, heapOffset, type WasmKernelBackend } from './heap';
import { simdKernelsFor, type SimdKernels } from './simd/index';

/** Fewer rows than this (a device click's one row) stay with XNNPACK, whose cached operator wins there... */
export const MIN_ROWS = 8;
/** ...unless the right operand is this wide: a click's scores over the catalog ([1, 32] x [32, 6001]: 38 -> 27 us). */
export const WIDE = 1024;

/** [rows, cols] of a matrix given as 2-D or with leading 1s; undefined for a real batch of matrices. */
function matrixShape(x: TensorInfo): [number, number] | undefined {
  const n = x.shape.length;
  if (n < 2 || x.shape.slice(0, n - 2).some((d) => d !== 1)) return undefined;
  return [x.shape[n - 2], x.shape[n - 1]];
}

function transposedCopy(backend: WasmKernelBackend, simd: SimdKernels | undefined, x: TensorInfo, rows: number, cols: number): TensorInfo {
  const out = backend.makeOutput([cols, rows], 'float32');
  if (simd) simd.transposeMatrix(heapOffset(backend, x), heapOffset(backend, out), rows, cols);
  else {
    const heap = new Float32Array(backend.wasm.HEAPU8.buffer);
    const [src, dst] = [heapOffset(backend, x) >> 2, heapOffset(backend, out) >> 2];
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) heap[dst + c * rows + r] = heap[src + r * cols + c];
  }
  return out;
}

type Product = { a: TensorInfo; b: TensorInfo; transposeA: boolean; transposeB: boolean };

/**
 * The product in our WASM code, or with transposed operands copied transposed for the stock
 * kernel (`plain`); undefined when the stock kernel should take it as it is.
 */
function wasmProduct(backend: WasmKernelBackend, p: Product, stock: (a: TensorInfo, b: TensorInfo) => TensorInfo): TensorInfo | undefined {
  const simd = simdKernelsFor(backend);
  if (!p.transposeA && !p.transposeB && simd === undefined) return undefined;
  const [aShape, bShape] = [matrixShape(p.a), matrixShape(p.b)];
  if (p.a.dtype !== 'float32' || p.b.dtype !== 'float32' || !aShape || !bShape) return undefined;
  const [M, K] = p.transposeA ? [aShape[1], aShape[0]] : aShape;
  const [Kb, N] = p.transposeB ? [bShape[1], bShape[0]] : bShape;
  if (K !== Kb || M === 0 || K === 0 || N === 0) return undefined; // stock says what is wrong
  const outShape = [...p.a.shape.slice(0, p.a.shape.length - 2), M, N];
  const temporaries: TensorInfo[] = [];
  try {
    const b = p.transposeB ? transposedCopy(backend, simd, p.b, bShape[0], bShape[1]) : p.b;
    if (p.transposeB) temporaries.push(b);
    const at = (x: TensorInfo) => heapOffset(backend, x);
    if (simd && p.transposeA && M >= MIN_ROWS && M % 16 === 0 && (M < N || N % 16 !== 0)) {
      // a^T b as (b^T a)^T: with the narrower output side as the 16-column blocks it measured
      // 1.4x faster (x^T dg for x [7680, 32], dg [7680, 96]: 1.94 -> 1.36 ms), and it serves
      // outputs whose width is not 16k
      const swapped = backend.makeOutput([N, M], 'float32');
      temporaries.push(swapped);
      simd.matMulTransposedA(at(b), at(p.a), at(swapped), K, N, M);
      const out = backend.makeOutput(outShape, 'float32');
      simd.transposeMatrix(at(swapped), at(out), N, M);
      return out;
    }
    if (simd && p.transposeA && M >= MIN_ROWS && N % 16 === 0) {
      const out = backend.makeOutput(outShape, 'float32');
      simd.matMulTransposedA(at(p.a), at(b), at(out), K, M, N);
      return out;
    }
    if (simd && !p.transposeA && N >= 16 && (M >= MIN_ROWS || N >= WIDE)) {
      const out = backend.makeOutput(outShape, 'float32');
      simd.matMulBlocked(at(p.a), at(b), at(out), M, K, N);
      return out;
    }
    if (!p.transposeA && !p.transposeB) return undefined;
    const a = p.transposeA ? transposedCopy(backend, simd, p.a, aShape[0], aShape[1]) : p.a;
    if (p.transposeA) temporaries.push(a);
    const out = stock({ dataId: a.dataId, shape: [M, K], dtype: 'float32' }, { dataId: b.dataId, shape: [K, N], dtype: 'float32' });
    return { ...out, shape: outShape };
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** First (shape, transposeB) seen per tensor data; WeakMap so dead tensors drop out. */
const firstSignature = new WeakMap<object, string>();

function copyOf(backend: WasmKernelBackend, x: TensorInfo): TensorInfo {
  const out = backend.makeOutput(x.shape, x.dtype);
  const bytes = x.shape.reduce((a, b) => a * b, 1) * bytesPerElement(x.dtype);
  const src = heapOffset(backend, x);
  backend.wasm.HEAPU8.copyWithin(heapOffset(backend, out), src, src + bytes);
  return out;
}

function guardMatMul(kernelName: 'BatchMatMul' | '_FusedMatMul'): OurKernel {
  type Attrs = { transposeA?: boolean; transposeB?: boolean };
  return defineKernel<'wasm', { a: TensorInfo; b: TensorInfo } & Record<string, TensorInfo>, Attrs>({
    kernelName,
    backendName: 'wasm',
    role: 'fix',
    needsStock: true,
    run: ({ inputs, attrs, backend, stock }) => {
      /** The stock kernel on these operands, with a fresh copy of `b` if its data came back under another shape. */
      const guarded = (a: TensorInfo, b: TensorInfo, flags: Attrs): TensorInfo => {
        if (stock === undefined) throw new Error(`${kernelName}: no stock kernel`);
        const run = (bOperand: TensorInfo) =>
          stock({ inputs: { ...inputs, a, b: bOperand }, backend: backend as object, attrs: { ...attrs, ...flags } }) as TensorInfo;
        // leading 1s dropped: [in, out] and its 3-D view [1, in, out] (kernels/dense-row.ts) are the same operator
        const shape = b.shape.length > 2 && b.shape[0] === 1 ? b.shape.slice(1) : b.shape;
        const signature = `${shape.join('x')}:${flags.transposeB ? 1 : 0}`;
        const first = firstSignature.get(b.dataId);
        if (first === undefined) firstSignature.set(b.dataId, signature);
        if (first === undefined || first === signature) return run(b);
        const fresh = copyOf(backend, b);
        try {
          return run(fresh);
        } finally {
          backend.disposeData(fresh.dataId);
        }
      };
      if (kernelName === 'BatchMatMul') {
        const product = { a: inputs.a, b: inputs.b, transposeA: attrs.transposeA === true, transposeB: attrs.transposeB === true };
        const ours = wasmProduct(backend, product, (a, b) => guarded(a, b, { transposeA: false, transposeB: false }));
        if (ours) return ours;
      }
      return guarded(inputs.a, inputs.b, { transposeA: attrs.transposeA, transposeB: attrs.transposeB });
    },
  });
}

export const matMulGuards = [guardMatMul('BatchMatMul'), guardMatMul('_FusedMatMul')];
