// Concat for tfjs-backend-wasm: byte copies inside the heap (no per-row typed-array views).
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel } from './define';
import { bytesPerElement, heapOffset } from './heap';

export const concatWasm = defineKernel<'wasm', TensorInfo[], { axis: number | number[] }>({
  kernelName: 'Concat',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: tensors, attrs, backend, runStock }) => {
    // tfjs passes Concat's inputs as an indexed record
    const inputs = Object.values(tensors);
    if (inputs[0].dtype === 'string') return runStock();
    const axis = util.parseAxisParam(attrs.axis, inputs[0].shape)[0];
    backend_util.assertParamsConsistent(
      inputs.map((t) => t.shape),
      axis,
    );
    const outShape = backend_util.computeOutShape(
      inputs.map((t) => t.shape),
      axis,
    );
    const out = backend.makeOutput(outShape, inputs[0].dtype);
    const parts = inputs.filter((t) => util.sizeFromShape(t.shape) > 0);
    if (parts.length === 0) return out;
    const elementBytes = bytesPerElement(inputs[0].dtype);
    const outer = util.sizeFromShape(parts[0].shape.slice(0, axis));
    const innerBytes = parts.map((t) => util.sizeFromShape(t.shape.slice(axis)) * elementBytes);
    const sources = parts.map((t) => heapOffset(backend, t));
    const heap = backend.wasm.HEAPU8;
    let dst = heapOffset(backend, out);
    for (let row = 0; row < outer; row++) {
      for (let i = 0; i < parts.length; i++) {
        const from = sources[i] + row * innerBytes[i];
        heap.copyWithin(dst, from, from + innerBytes[i]);
        dst += innerBytes[i];
      }
    }
    return out;
  },
});
