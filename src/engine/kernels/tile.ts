// Tile for tfjs-backend-wasm as block copies inside the heap. tfjs-wasm 4.22's Tile took ~13 ms
// to tile a [256, 1, 32] target over 30 positions (DIN's attention input, every step); this
// copies each innermost row once and then doubles whole blocks: ~200 copies, same values.
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel } from './define';
import { bytesPerElement, heapOffset } from './heap';

/** Writes `copies` back-to-back copies of the `bytes` bytes at `at` (the first is already there). */
function repeatBlock(heap: Uint8Array, at: number, bytes: number, copies: number): void {
  let filled = 1;
  while (filled < copies) {
    const n = Math.min(filled, copies - filled);
    heap.copyWithin(at + filled * bytes, at, at + n * bytes);
    filled += n;
  }
}

export const tileWasm = defineKernel<'wasm', { x: TensorInfo }, { reps: number[] }>({
  kernelName: 'Tile',
  backendName: 'wasm',
  role: 'speed',
  run: ({ inputs: { x }, attrs: { reps }, backend, runStock }) => {
    if (x.dtype === 'string' || reps.length !== x.shape.length) return runStock();
    const shape = x.shape;
    const out = backend.makeOutput(
      shape.map((d, i) => d * reps[i]),
      x.dtype,
    );
    if (util.sizeFromShape(out.shape) === 0) return out;
    const element = bytesPerElement(x.dtype);
    const heap = backend.wasm.HEAPU8;
    // bytes of one input block and one output block below each axis
    const inBytes = new Array<number>(shape.length + 1).fill(element);
    const outBytes = new Array<number>(shape.length + 1).fill(element);
    for (let a = shape.length - 1; a >= 0; a--) {
      inBytes[a] = inBytes[a + 1] * shape[a];
      outBytes[a] = outBytes[a + 1] * shape[a] * reps[a];
    }
    // writes the tiling of the input block at `src` (below axis `a`) to `dst`
    const tileAxis = (a: number, src: number, dst: number): void => {
      if (a === shape.length) {
        heap.copyWithin(dst, src, src + element);
        return;
      }
      if (a === shape.length - 1) heap.copyWithin(dst, src, src + inBytes[a]);
      else for (let i = 0; i < shape[a]; i++) tileAxis(a + 1, src + i * inBytes[a + 1], dst + i * outBytes[a + 1]);
      repeatBlock(heap, dst, outBytes[a + 1] * shape[a], reps[a]);
    };
    tileAxis(0, heapOffset(backend, x), heapOffset(backend, out));
    return out;
  },
});
