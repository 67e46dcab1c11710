// The one place that reads tfjs-backend-wasm's private BackendWasm fields (checked against
// tfjs 4.22.0 at startup: version.ts). Tensors live on the WASM heap, so a kernel can copy
// bytes between them, or hand their offsets to our own WASM code (simd/), without the full
// copy that `readSync` makes.
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

export interface WasmTensorData {
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
}

/** The part of tfjs-backend-wasm's BackendWasm our kernels use. */
export interface WasmKernelBackend {
  wasm: { HEAPU8: Uint8Array; asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): WasmTensorData | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  /** One more tensor shares this data (tfjs-wasm's Reshape does the same): disposeData frees it at zero. */
  incRef(dataId: object): void;
}

/** The backend object a wasm kernel receives, checked for the fields we rely on. */
export function asWasmBackend(backend: unknown): WasmKernelBackend {
  const candidate = backend as Partial<WasmKernelBackend> | null;
  if (candidate?.wasm?.HEAPU8 === undefined || candidate.dataIdMap === undefined || typeof candidate.makeOutput !== 'function') {
    throw new Error('WASM kernel: the backend is not tfjs-backend-wasm 4.22 (no heap or data map)');
  }
  return candidate as WasmKernelBackend;
}

/** tfjs-wasm's WebAssembly.Memory (emscripten exports it as asm.memory), for our SIMD module to import. */
export function wasmMemoryOf(backend: WasmKernelBackend): WebAssembly.Memory | undefined {
  const memory = backend.wasm.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

export function bytesPerElement(dtype: DataType): number {
  if (dtype === 'float32' || dtype === 'int32') return 4;
  if (dtype === 'bool') return 1;
  throw new TypeError(`WASM kernel: dtype ${dtype} is not supported`);
}

/** Byte offset of a tensor on the heap. Read after every allocation: malloc may move nothing, but it may grow the heap. */
export function heapOffset(backend: WasmKernelBackend, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('WASM kernel: tensor data not found on the backend (already disposed?)');
  return data.memoryOffset;
}

/**
 * A typed view of a tensor on the heap. Views die when the heap grows, so create them only
 * after every output of the kernel has been allocated.
 */
export function heapView(backend: WasmKernelBackend, info: TensorInfo): Float32Array | Int32Array | Uint8Array {
  const offset = heapOffset(backend, info);
  const size = info.shape.reduce((a, b) => a * b, 1);
  const buffer = backend.wasm.HEAPU8.buffer;
  switch (info.dtype) {
    case 'float32':
      return new Float32Array(buffer, offset, size);
    case 'int32':
      return new Int32Array(buffer, offset, size);
    case 'bool':
      return new Uint8Array(buffer, offset, size);
    default:
      throw new TypeError(`WASM kernel: dtype ${info.dtype} is not supported`);
  }
}

export function stridesOf(shape: number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let axis = shape.length - 2; axis >= 0; axis--) strides[axis] = strides[axis + 1] * shape[axis + 1];
  return strides;
}

/**
 * Copies the box `begin .. begin + size` of a tensor of `shape` at byte offset `src` into a
 * dense tensor at byte offset `dst`. Trailing axes copied whole merge into one contiguous run,
 * so a row slice is one memcpy-like `copyWithin` and nothing outside the box is touched.
 */
export function copyBox(
  heap: Uint8Array,
  src: number,
  dst: number,
  shape: number[],
  begin: number[],
  size: number[],
  elementBytes: number,
): void {
  if (size.some((n) => n === 0)) return;
  const rank = shape.length;
  const strides = stridesOf(shape);
  // innermost axis that is cut; everything after it is whole and contiguous
  let cut = rank - 1;
  while (cut > 0 && size[cut] === shape[cut]) cut--;
  const runBytes = (rank === 0 ? 1 : size[cut] * strides[cut]) * elementBytes;
  if (runBytes === 0) return;
  let base = 0;
  for (let axis = 0; axis < rank; axis++) base += begin[axis] * strides[axis];
  const index = new Array<number>(cut).fill(0);
  let out = dst;
  for (;;) {
    let offset = base;
    for (let axis = 0; axis < cut; axis++) offset += index[axis] * strides[axis];
    const from = src + offset * elementBytes;
    heap.copyWithin(out, from, from + runBytes);
    out += runBytes;
    let axis = cut - 1;
    while (axis >= 0 && ++index[axis] === size[axis]) index[axis--] = 0;
    if (axis < 0) return;
  }
}
