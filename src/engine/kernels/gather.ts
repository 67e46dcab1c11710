// GatherV2 on axis 0 (embedding lookups: E[items]) as one row copy per index inside the heap.
// The stock kernel copies the indices out of the heap, checks them, then loops element by
// element in C++; other axes and batch dims go to the stock kernel.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel } from './define';
import { bytesPerElement, heapOffset, heapView } from './heap';

export const gatherV2Wasm = defineKernel<'wasm', { x: TensorInfo; indices: TensorInfo }, { axis: number; batchDims?: number }>({
  kernelName: 'GatherV2',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: { x, indices }, attrs, backend, runStock }) => {
    const axis = attrs.axis < 0 ? attrs.axis + x.shape.length : attrs.axis;
    if (axis !== 0 || (attrs.batchDims ?? 0) !== 0 || x.dtype === 'string') return runStock();
    const rows = x.shape[0];
    const rowElements = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const ids = heapView(backend, indices);
    const rowBytes = rowElements * bytesPerElement(x.dtype);
    const heap = backend.wasm.HEAPU8;
    const src = heapOffset(backend, x);
    let dst = heapOffset(backend, out);
    for (let i = 0; i < ids.length; i++) {
      const row = ids[i];
      if (row < 0 || row >= rows || !Number.isInteger(row)) {
        backend.disposeData(out.dataId);
        throw new RangeError(`GatherV2: index ${row} is not in [0, ${rows - 1}]`);
      }
      const from = src + row * rowBytes;
      heap.copyWithin(dst, from, from + rowBytes);
      dst += rowBytes;
    }
    return out;
  },
});
