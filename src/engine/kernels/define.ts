// The one way to define and register our kernels for tfjs backends. A definition says which
// kernel it is, for which backend, and why it is there (`role`); `run` gets typed inputs,
// attributes and backend, plus the stock kernel it replaces (for the cases it hands back).
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend, type WasmKernelBackend } from './heap';
import { assertTfjsVersion } from './version';

/** The part of tfjs-backend-cpu's MathBackendCPU our kernels use. */
export interface CpuKernelBackend {
  data: { get(dataId: object): { values: ArrayLike<number> } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array | Int32Array): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

function asCpuBackend(backend: unknown): CpuKernelBackend {
  const candidate = backend as Partial<CpuKernelBackend> | null;
  if (candidate?.data === undefined || typeof candidate.makeTensorInfo !== 'function') {
    throw new Error('cpu kernel: the backend is not tfjs-backend-cpu');
  }
  return candidate as CpuKernelBackend;
}

export interface KernelBackends {
  wasm: WasmKernelBackend;
  cpu: CpuKernelBackend;
}
export type KernelBackendName = keyof KernelBackends;

/**
 * - `fix`: a correctness fix or a kernel tfjs lacks (UnsortedSegmentSum); always registered.
 * - `op`: a kernel of our own ops (the GRU steps); always registered.
 * - `speed`: a faster replacement for a stock kernel; registerKernels({ replaceStock: false })
 *   puts the stock one back, so benchmarks can compare both.
 */
export type KernelRole = 'fix' | 'op' | 'speed';

type TensorInputs = Record<string, TensorInfo>;
type StockInputs = Parameters<KernelFunc>[0]['inputs'];

export interface KernelContext<B extends KernelBackendName, In, Attrs> {
  inputs: In;
  attrs: Attrs;
  backend: KernelBackends[B];
  /** The stock kernel this one replaced (undefined for new kernels): the fallback for cases we leave to it. */
  stock: KernelFunc | undefined;
  /** Runs the stock kernel on the original arguments, or on other inputs. */
  runStock(inputs?: In): TensorInfo | TensorInfo[];
}

export interface KernelDefinition<B extends KernelBackendName, In, Attrs> {
  kernelName: string;
  backendName: B;
  role: KernelRole;
  /** Wraps or replaces a stock kernel: skipped while that kernel is not registered (its package is not loaded). */
  needsStock?: boolean;
  run(context: KernelContext<B, In, Attrs>): TensorInfo | TensorInfo[];
}

/** A definition with its types erased, ready for the registry. */
export interface OurKernel {
  kernelName: string;
  backendName: KernelBackendName;
  role: KernelRole;
  needsStock: boolean;
  /** Builds the kernel function around the stock kernel, if there is one. */
  make(stock: KernelConfig | undefined): KernelFunc;
}

/**
 * Typed definition of one kernel. `In` is the inputs record ({ x: TensorInfo } ...; Concat's
 * is indexed), `Attrs` the attributes tfjs passes (our own ops: what we pass to runKernel).
 */
export function defineKernel<B extends KernelBackendName, In extends object = TensorInputs, Attrs = Record<string, never>>(
  definition: KernelDefinition<B, In, Attrs>,
): OurKernel {
  const toBackend = (definition.backendName === 'wasm' ? asWasmBackend : asCpuBackend) as (b: unknown) => KernelBackends[B];
  return {
    kernelName: definition.kernelName,
    backendName: definition.backendName,
    role: definition.role,
    needsStock: definition.needsStock === true || definition.role === 'speed',
    make: (stock) => (args) =>
      definition.run({
        inputs: args.inputs as In,
        attrs: (args.attrs ?? {}) as Attrs,
        backend: toBackend(args.backend),
        stock: stock?.kernelFunc,
        runStock: (inputs) => {
          if (stock === undefined) throw new Error(`${definition.kernelName}: there is no stock kernel to fall back to`);
          return stock.kernelFunc(inputs === undefined ? args : { ...args, inputs: inputs as StockInputs });
        },
      }),
  };
}

/** The stock kernels we replaced, by `backend/kernel`, so they can be restored. */
const stockKernels = new Map<string, KernelConfig | undefined>();
const keyOf = (k: { kernelName: string; backendName: string }) => `${k.backendName}/${k.kernelName}`;

function install(kernel: OurKernel): void {
  const key = keyOf(kernel);
  if (stockKernels.has(key)) return;
  const stock = getKernel(kernel.kernelName, kernel.backendName);
  if (stock === undefined && kernel.needsStock) return;
  if (stock !== undefined) unregisterKernel(kernel.kernelName, kernel.backendName);
  stockKernels.set(key, stock);
  // keep the stock setupFunc/disposeFunc: they bind the C++ entry points our fallbacks still call
  registerKernel({ ...stock, kernelName: kernel.kernelName, backendName: kernel.backendName, kernelFunc: kernel.make(stock) });
}

function uninstall(kernel: OurKernel): void {
  const key = keyOf(kernel);
  if (!stockKernels.has(key)) return;
  const stock = stockKernels.get(key);
  unregisterKernel(kernel.kernelName, kernel.backendName);
  if (stock !== undefined) registerKernel(stock);
  stockKernels.delete(key);
}

export interface RegisterOptions {
  /** Register the `speed` kernels (default true); false restores the stock ones. Fixes and ops stay. */
  replaceStock?: boolean;
}

/**
 * Registers `kernels` for `backendName` (idempotent; before or after tf.setBackend). Throws
 * when the installed tfjs is not the version the kernels were written for. A backend whose
 * package is not loaded gets nothing.
 */
export function registerOurKernels(kernels: readonly OurKernel[], backendName: KernelBackendName, options: RegisterOptions = {}): void {
  assertTfjsVersion();
  for (const kernel of kernels) {
    if (kernel.backendName !== backendName) continue;
    if (kernel.role === 'speed' && options.replaceStock === false) uninstall(kernel);
    else install(kernel);
  }
}
