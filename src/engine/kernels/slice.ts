// Slice, SplitV and Unpack for tfjs-backend-wasm that copy only the requested box.
// The stock kernels read the whole input through `readSync` (a full copy) once per output
// piece, which made unstacking a sequence cost more than the ops it fed.
import { backend_util, slice_util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel } from './define';
import { bytesPerElement, copyBox, heapOffset, type WasmKernelBackend } from './heap';

function normaliseAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function copyInto(backend: WasmKernelBackend, x: TensorInfo, out: TensorInfo, begin: number[], size: number[]): void {
  copyBox(backend.wasm.HEAPU8, heapOffset(backend, x), heapOffset(backend, out), x.shape, begin, size, bytesPerElement(x.dtype));
}

export const sliceWasm = defineKernel<'wasm', { x: TensorInfo }, { begin: number | number[]; size?: number | number[] }>({
  kernelName: 'Slice',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: { x }, attrs, backend, runStock }) => {
    if (x.dtype === 'string') return runStock();
    const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
    const out = backend.makeOutput(size, x.dtype);
    copyInto(backend, x, out, begin, size);
    return out;
  },
});

export const splitVWasm = defineKernel<'wasm', { x: TensorInfo }, { axis: number; numOrSizeSplits: number | number[] }>({
  kernelName: 'SplitV',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: { x }, attrs, backend, runStock }) => {
    if (x.dtype === 'string') return runStock();
    const axis = normaliseAxis(attrs.axis, x.shape.length);
    const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
    // allocate every piece before copying: an allocation may grow (and move) the heap view
    const outs = sizes.map((s) => {
      const shape = x.shape.slice();
      shape[axis] = s;
      return backend.makeOutput(shape, x.dtype);
    });
    const begin = new Array<number>(x.shape.length).fill(0);
    outs.forEach((out, i) => {
      copyInto(backend, x, out, begin, out.shape);
      begin[axis] += sizes[i];
    });
    return outs;
  },
});

export const unpackWasm = defineKernel<'wasm', { value: TensorInfo }, { axis: number }>({
  kernelName: 'Unpack',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: { value }, attrs, backend, runStock }) => {
    if (value.dtype === 'string') return runStock();
    const axis = normaliseAxis(attrs.axis, value.shape.length);
    const outShape = value.shape.filter((_, i) => i !== axis);
    const outs = Array.from({ length: value.shape[axis] }, () => backend.makeOutput(outShape, value.dtype));
    const begin = new Array<number>(value.shape.length).fill(0);
    const size = value.shape.slice();
    size[axis] = 1;
    outs.forEach((out, i) => {
      begin[axis] = i;
      copyInto(backend, value, out, begin, size);
    });
    return outs;
  },
});
