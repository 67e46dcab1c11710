// Slice, SplitV and Unpack for tfjs-backend-wasm that copy only the requested box.
// The stock kernels read the whole input through `readSync` (a full copy) once per output
// piece, which made unstacking a sequence cost more than the ops it fed (PERF.md item 2).
import { backend_util, slice_util } from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { bytesPerElement, copyBox, heapOffset, type WasmKernelBackend } from './heap';

export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  attrs?: NamedAttrMap;
  backend: unknown;
}

type Fallback = KernelFunc | undefined;

function normaliseAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function copyInto(backend: WasmKernelBackend, x: TensorInfo, out: TensorInfo, begin: number[], size: number[]): void {
  copyBox(backend.wasm.HEAPU8, heapOffset(backend, x), heapOffset(backend, out), x.shape, begin, size, bytesPerElement(x.dtype));
}

export function makeSlice(fallback: Fallback): KernelFunc {
  return (args) => {
    const { inputs, attrs } = args as KernelArgs;
    const x = inputs.x;
    if (x.dtype === 'string' && fallback) return fallback(args);
    const backend = args.backend as unknown as WasmKernelBackend;
    const [begin, size] = slice_util.parseSliceParams(x, attrs!.begin as number[], attrs!.size as number[]);
    const out = backend.makeOutput(size, x.dtype);
    copyInto(backend, x, out, begin, size);
    return out;
  };
}

export function makeSplitV(fallback: Fallback): KernelFunc {
  return (args) => {
    const { inputs, attrs } = args as KernelArgs;
    const x = inputs.x;
    if (x.dtype === 'string' && fallback) return fallback(args);
    const backend = args.backend as unknown as WasmKernelBackend;
    const axis = normaliseAxis(attrs!.axis as number, x.shape.length);
    const sizes = backend_util.prepareSplitSize(x, attrs!.numOrSizeSplits as number | number[], axis);
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
  };
}

export function makeUnpack(fallback: Fallback): KernelFunc {
  return (args) => {
    const { inputs, attrs } = args as KernelArgs;
    const value = inputs.value;
    if (value.dtype === 'string' && fallback) return fallback(args);
    const backend = args.backend as unknown as WasmKernelBackend;
    const axis = normaliseAxis(attrs!.axis as number, value.shape.length);
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
  };
}
