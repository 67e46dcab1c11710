// Our kernel fixes for tfjs-backend-wasm, registered at runtime (PERF.md item 2): the missing
// UnsortedSegmentSum (needed by tf.gather's gradient), a guard around matMul's stale operator
// cache (matmul.ts), and copy-only-what-is-needed replacements for Slice, SplitV, Unpack,
// Concat and GatherV2 (axis 0).
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { makeConcat } from './concat';
import { makeGatherV2 } from './gather';
import { guardMatMul } from './matmul';
import { makeSlice, makeSplitV, makeUnpack } from './slice';
import { unsortedSegmentSum } from './unsorted-segment-sum';

const BACKEND = 'wasm';

type Maker = (fallback: KernelFunc | undefined) => KernelFunc;
const replacements: Record<string, Maker> = {
  Slice: makeSlice,
  SplitV: makeSplitV,
  Unpack: makeUnpack,
  Concat: makeConcat,
  GatherV2: makeGatherV2,
};

/** The stock kernels we replaced, so they can be restored (benchmarks compare both). */
const stock = new Map<string, KernelConfig>();
let missingRegistered = false;
let matMulGuarded = false;

/** Correctness fixes: always on. The stock setupFunc is kept, it binds the C++ entry point. */
function registerFixes(): void {
  if (!missingRegistered && getKernel('UnsortedSegmentSum', BACKEND) === undefined) {
    registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: BACKEND, kernelFunc: unsortedSegmentSum });
  }
  missingRegistered = true;
  if (matMulGuarded) return;
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    const original = getKernel(kernelName, BACKEND);
    if (original === undefined) return; // the wasm backend package is not loaded
    unregisterKernel(kernelName, BACKEND);
    registerKernel({ ...original, kernelFunc: guardMatMul(original) });
  }
  matMulGuarded = true;
}

export interface WasmKernelOptions {
  /** Replace the stock copy kernels (default true); the missing kernels are always added. */
  replaceCopyKernels?: boolean;
}

/**
 * Idempotent. Call before or after tf.setBackend('wasm'): replacements carry the stock kernel's
 * setupFunc, which binds the C++ entry points the fallback paths still use.
 */
export function registerWasmKernels(options: WasmKernelOptions = {}): void {
  registerFixes();
  if (options.replaceCopyKernels === false) {
    restoreStockWasmKernels();
    return;
  }
  for (const [kernelName, make] of Object.entries(replacements)) {
    if (stock.has(kernelName)) continue;
    const original = getKernel(kernelName, BACKEND);
    if (original === undefined) continue; // the wasm backend package is not loaded
    stock.set(kernelName, original);
    unregisterKernel(kernelName, BACKEND);
    // keep the stock setupFunc: it binds the C++ entry point our fallback paths still call
    registerKernel({ ...original, kernelFunc: make(original.kernelFunc) });
  }
}

/** Puts the stock copy kernels back (keeps the correctness fixes: UnsortedSegmentSum, the matMul guard). */
export function restoreStockWasmKernels(): void {
  for (const [kernelName, original] of stock) {
    unregisterKernel(kernelName, BACKEND);
    registerKernel(original);
  }
  stock.clear();
}

export { unsortedSegmentSum };
