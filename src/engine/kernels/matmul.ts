// Guards tfjs-backend-wasm 4.22's matMul against its own operator cache. The C++ side caches
// one XNNPACK operator per weight tensor id (the `b` operand), built for the shape it first
// saw; a reshape keeps the id, so multiplying by a reshaped view of the same weights (the
// generator's A_i as [D, D*D] and as [D*D, D]) reuses a stale operator: out-of-bounds access
// or abort. When `b` comes back under another shape, we hand the stock kernel a fresh copy.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { bytesPerElement, heapOffset, type WasmKernelBackend } from './heap';

/** First (shape, transposeB) seen per tensor data; WeakMap so dead tensors drop out. */
const firstSignature = new WeakMap<object, string>();

function signature(b: TensorInfo, transposeB: unknown): string {
  return `${b.shape.join('x')}:${transposeB ? 1 : 0}`;
}

function copyOf(backend: WasmKernelBackend, x: TensorInfo): TensorInfo {
  const out = backend.makeOutput(x.shape, x.dtype);
  const bytes = x.shape.reduce((a, b) => a * b, 1) * bytesPerElement(x.dtype);
  const src = heapOffset(backend, x);
  backend.wasm.HEAPU8.copyWithin(heapOffset(backend, out), src, src + bytes);
  return out;
}

export function guardMatMul(original: KernelConfig): KernelFunc {
  return (args) => {
    const inputs = args.inputs as Record<string, TensorInfo>;
    const b = inputs.b;
    const sig = signature(b, (args.attrs as Record<string, unknown> | undefined)?.transposeB);
    const first = firstSignature.get(b.dataId);
    if (first === undefined) firstSignature.set(b.dataId, sig);
    if (first === undefined || first === sig) return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmKernelBackend;
    const fresh = copyOf(backend, b);
    try {
      return original.kernelFunc({ ...args, inputs: { ...inputs, b: fresh } });
    } finally {
      backend.disposeData(fresh.dataId);
    }
  };
}
