// GatherV2 on axis 0 (embedding lookups: E[items], the GRU's time-major rows) as one row copy
// per index inside the heap: in our WASM code (simd/kernels.as gatherRows) where it loads,
// else one copyWithin per row (~4x slower on 7,680 rows of 32 floats). The stock kernel copies
// the indices out of the heap, checks them, then loops element by element in C++; other axes
// and batch dims go to the stock kernel.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel } from './define';
import { bytesPerElement, heapOffset, heapView } from './heap';
import { simdKernelsFor } from './simd/index';

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
    for (let i = 0; i < ids.length; i++) {
      const row = ids[i];
      if (row < 0 || row >= rows || !Number.isInteger(row)) {
        backend.disposeData(out.dataId);
        throw new RangeError(`GatherV2: index ${row} is not in [0, ${rows - 1}]`);
      }
    }
    const rowBytes = rowElements * bytesPerElement(x.dtype);
    const src = heapOffset(backend, x);
    const simd = indices.dtype === 'int32' ? simdKernelsFor(backend) : undefined;
    if (simd) {
      simd.gatherRows(src, heapOffset(backend, indices), heapOffset(backend, out), ids.length, rowBytes);
      return out;
    }
    const heap = backend.wasm.HEAPU8;
    let dst = heapOffset(backend, out);
    for (let i = 0; i < ids.length; i++) {
      const from = src + ids[i] * rowBytes;
      heap.copyWithin(dst, from, from + rowBytes);
      dst += rowBytes;
    }
    return out;
  },
});
