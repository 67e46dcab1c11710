// Guards tfjs-backend-wasm 4.22's matMul against its own operator cache. The C++ side caches
// one XNNPACK operator per weight tensor id (the `b` operand), built for the shape it first
// saw; a reshape keeps the id, so multiplying by a reshaped view of the same weights (the
// generator's A_i as [D, D*D] and as [D*D, D]) reuses a stale operator: out-of-bounds access
// or abort. When `b` comes back under another shape, we hand the stock kernel a fresh copy.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, type OurKernel } from './define';
import { bytesPerElement, heapOffset, type WasmKernelBackend } from './heap';

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
  return defineKernel<'wasm', { a: TensorInfo; b: TensorInfo } & Record<string, TensorInfo>, { transposeB?: boolean }>({
    kernelName,
    backendName: 'wasm',
    role: 'fix',
    needsStock: true,
    run: ({ inputs, attrs, backend, runStock }) => {
      const b = inputs.b;
      // leading 1s dropped: [in, out] and its 3-D view [1, in, out] (kernels/dense-row.ts) are the same operator
      const shape = b.shape.length > 2 && b.shape[0] === 1 ? b.shape.slice(1) : b.shape;
      const signature = `${shape.join('x')}:${attrs.transposeB ? 1 : 0}`;
      const first = firstSignature.get(b.dataId);
      if (first === undefined) firstSignature.set(b.dataId, signature);
      if (first === undefined || first === signature) return runStock();
      const fresh = copyOf(backend, b);
      try {
        return runStock({ ...inputs, b: fresh });
      } finally {
        backend.disposeData(fresh.dataId);
      }
    },
  });
}

export const matMulGuards = [guardMatMul('BatchMatMul'), guardMatMul('_FusedMatMul')];
