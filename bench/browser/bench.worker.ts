// The bench worker: runs training on a backend the way the app's engine worker does, and
// answers one click at a time so the page can time each click around the Comlink call.
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, setWasmAssetPaths } from '../../src/engine/backend';
import { asWasmBackend } from '../../src/engine/kernels/heap';
import { simdKernelsFor } from '../../src/engine/kernels/simd/index';
import { wasmAssetPaths } from '../../src/engine/backend-assets.browser';
import type { BackendName } from '../../src/engine/types';
import { budgetFor, clickBackbone, clickPlan, trainBackend, type BackendTraining, type Budget } from '../suite';
import { openClickRunner, type ClickAnswer, type ClickKind, type ClickPlan, type ClickRunner } from '../workload';

setWasmAssetPaths(wasmAssetPaths);

/** Chromium's non-standard performance.memory; absent where the thread does not expose it. */
function heapBytes(): number | undefined {
  return (performance as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
}

export interface BackendStart {
  budget: Budget;
  software: boolean;
  threads: number;
  plan: ClickPlan;
  /** wasm: our SIMD kernels compiled and bound to tfjs-wasm's memory (else the JS loops run) */
  simdKernels?: boolean;
}

let runner: ClickRunner | null = null;

const api = {
  machine() {
    return {
      cores: navigator.hardwareConcurrency,
      userAgent: navigator.userAgent,
      isolated: (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    };
  },

  /** Switches the worker's tfjs backend; rejects when the backend is not available here. */
  async start(backend: BackendName, quick: boolean): Promise<BackendStart> {
    const active = await initBackend(backend);
    const budget = budgetFor(active, quick);
    const simdKernels = active.name === 'wasm' ? simdKernelsFor(asWasmBackend(tf.backend())) !== undefined : undefined;
    return { budget, software: active.software, threads: active.threads, plan: clickPlan(budget), simdKernels };
  },

  async train(key: string, budget: Budget, log: (line: string) => void): Promise<BackendTraining> {
    return trainBackend(key, budget, heapBytes, (line) => void log(line));
  },

  openClicks(): void {
    runner?.dispose();
    runner = openClickRunner(clickBackbone);
  },

  /** One DUET or fine-tune click: the re-ranked top-10 over the whole catalog. */
  async click(kind: ClickKind, index: number): Promise<ClickAnswer> {
    if (!runner) throw new Error('openClicks() first');
    const answer = await runner.click(kind, index);
    return Comlink.transfer(answer, [answer.ids.buffer, answer.scores.buffer]);
  },

  /** Nothing: the page times this to know what one Comlink round trip costs by itself. */
  ping(): number {
    return 0;
  },

  closeClicks(): void {
    runner?.dispose();
    runner = null;
  },
};

export type BenchWorkerApi = typeof api;

Comlink.expose(api);
