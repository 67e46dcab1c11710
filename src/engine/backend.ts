// Contract only; the engine-infra helper implements it.
import type { BackendName } from './types';

export interface ActiveBackend {
  name: BackendName;
  /** A SwiftShader or fallback adapter: correct but slow. */
  software: boolean;
  threads: number;
}

/**
 * Picks and initialises the tfjs backend. 'auto': WebGPU on a real GPU adapter, else WASM
 * (threads when cross-origin isolated), else CPU. Registers our kernel fixes for WASM.
 * Works in the browser (worker) and in Node.
 */
export async function initBackend(_preferred: BackendName | 'auto'): Promise<ActiveBackend> {
  throw new Error('not implemented yet');
}
