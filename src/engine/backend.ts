// Picks and starts the tfjs backend, in the worker and in Node alike.
// Browser-only asset wiring (Vite `?url` imports of the .wasm files) lives in
// backend-assets.browser.ts: the worker imports it and passes the paths in, so this module
// stays loadable by Node, where tfjs-wasm finds its files itself.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerKernels } from './kernels/index';
import { EngineError, type BackendName } from './types';

export interface ActiveBackend {
  name: BackendName;
  /** A SwiftShader or fallback adapter: correct but slow. */
  software: boolean;
  /** CPU threads the kernels use (WASM); 1 for cpu; 0 for the GPU backends. */
  threads: number;
}

export type WasmBinaryName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';
export type WasmAssetPaths = Partial<Record<WasmBinaryName, string>>;

export interface BackendOptions {
  /** URLs of the .wasm binaries (browser builds); Node needs none. */
  wasmPaths?: WasmAssetPaths;
  /**
   * WASM threads (needs cross-origin isolation). Default 1: tfjs-wasm's threaded build breaks
   * once Vite bundles it (its pthread blob worker throws "e is not defined"), our CSP refuses
   * blob: workers, and threads did not pay off at this model size (bench/README.md).
   */
  threads?: number;
  /** Replace tfjs-wasm's Slice/SplitV/Unpack/Concat/GatherV2/Tanh with ours (default true; kernels/index.ts). */
  replaceWasmKernels?: boolean;
}

export interface GpuProbe {
  available: boolean;
  software: boolean;
  /** Vendor / architecture / description as the adapter reports them, for the UI. */
  description: string;
}

export interface DeviceLostInfo {
  backend: BackendName;
  reason: string;
  message: string;
}

let wasmAssets: WasmAssetPaths | undefined;
let current: ActiveBackend | null = null;
const deviceLostListeners = new Set<(info: DeviceLostInfo) => void>();

/** Set the .wasm URLs once, before the first initBackend (the worker passes backend-assets.browser.ts). */
export function setWasmAssetPaths(paths: WasmAssetPaths): void {
  wasmAssets = paths;
}

/** The backend initBackend last started, or null. */
export function activeBackend(): ActiveBackend | null {
  return current;
}

/** Subscribe to GPU device loss (WebGPU/WebGL); the worker falls back to WASM. Returns an unsubscribe. */
export function onDeviceLost(listener: (info: DeviceLostInfo) => void): () => void {
  deviceLostListeners.add(listener);
  return () => deviceLostListeners.delete(listener);
}

function reportDeviceLost(info: DeviceLostInfo): void {
  if (current?.name === info.backend) current = null;
  for (const listener of deviceLostListeners) listener(info);
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|software|fallback|basic render/i;

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
}
interface NavigatorGpuLike {
  gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null> };
}

/** Does WebGPU give an adapter here, and is it a real GPU? Never throws. */
export async function probeWebGpu(): Promise<GpuProbe> {
  const gpu = (globalThis.navigator as NavigatorGpuLike | undefined)?.gpu;
  if (!gpu) return { available: false, software: false, description: 'no navigator.gpu' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { available: false, software: false, description: 'no WebGPU adapter' };
    const info = adapter.info ?? {};
    const description = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ');
    const software = Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter) || SOFTWARE_RENDERER.test(description);
    return { available: true, software, description: description || 'unknown adapter' };
  } catch (error) {
    return { available: false, software: false, description: `requestAdapter failed: ${String(error)}` };
  }
}

function isCrossOriginIsolated(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

async function switchTo(name: BackendName): Promise<void> {
  let ok = false;
  let cause = '';
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    cause = `: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!ok || tf.getBackend() !== name) {
    throw new EngineError('backend', `The ${name} backend could not start here${cause}.`);
  }
}

async function startWasm(options: BackendOptions): Promise<ActiveBackend> {
  const paths = options.wasmPaths ?? wasmAssets;
  if (paths) setWasmPaths(paths);
  const threads = options.threads ?? 1;
  if (threads < 2 || !isCrossOriginIsolated()) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else setThreadsCount(threads);
  registerKernels('wasm', { replaceStock: options.replaceWasmKernels !== false });
  await switchTo('wasm');
  return { name: 'wasm', software: false, threads: getThreadsCount() };
}

async function startWebGpu(probe: GpuProbe): Promise<ActiveBackend> {
  if (!probe.available) throw new EngineError('backend', `WebGPU is not available here (${probe.description}).`);
  await import('@tensorflow/tfjs-backend-webgpu');
  await switchTo('webgpu');
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  void device?.lost?.then((info) => reportDeviceLost({ backend: 'webgpu', reason: info.reason ?? 'unknown', message: info.message ?? '' }));
  return { name: 'webgpu', software: probe.software, threads: 0 };
}

async function startWebGl(): Promise<ActiveBackend> {
  await import('@tensorflow/tfjs-backend-webgl');
  await switchTo('webgl');
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  let renderer = '';
  if (gl) {
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.canvas?.addEventListener?.('webglcontextlost', () =>
      reportDeviceLost({ backend: 'webgl', reason: 'context-lost', message: 'The WebGL context was lost.' }),
    );
  }
  return { name: 'webgl', software: SOFTWARE_RENDERER.test(renderer), threads: 0 };
}

async function start(name: BackendName, options: BackendOptions): Promise<ActiveBackend> {
  switch (name) {
    case 'wasm':
      return startWasm(options);
    case 'cpu':
      registerKernels('cpu');
      await switchTo('cpu');
      return { name: 'cpu', software: false, threads: 1 };
    case 'webgpu':
      return startWebGpu(await probeWebGpu());
    case 'webgl':
      return startWebGl();
  }
}

/**
 * Picks and initialises the tfjs backend. 'auto': WebGPU on a real GPU adapter, else WASM
 * (one thread unless options.threads asks for more; see BackendOptions), else CPU. An explicit name forces that backend and
 * throws EngineError('backend') when it cannot start. Registers our kernels for WASM and CPU
 * (kernels/index.ts), after checking the installed tfjs is the version they were written for.
 * Works in the browser (worker) and in Node.
 */
export async function initBackend(preferred: BackendName | 'auto', options: BackendOptions = {}): Promise<ActiveBackend> {
  if (preferred !== 'auto') {
    current = await start(preferred, options);
    return current;
  }
  const probe = await probeWebGpu();
  const order: BackendName[] = probe.available && !probe.software ? ['webgpu', 'wasm', 'cpu'] : ['wasm', 'cpu'];
  const failures: string[] = [];
  for (const name of order) {
    try {
      current = name === 'webgpu' ? await startWebGpu(probe) : await start(name, options);
      return current;
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new EngineError('backend', `No tfjs backend could start. ${failures.join(' ')}`);
}
