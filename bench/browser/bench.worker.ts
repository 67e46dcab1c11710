// Runs the benchmark suite inside a module worker, as the app's engine worker runs the engine.
import * as Comlink from 'comlink';
import { initBackend, setWasmAssetPaths } from '../../src/engine/backend';
import { wasmAssetPaths } from '../../src/engine/backend-assets.browser';
import type { BackendName } from '../../src/engine/types';
import type { BenchResults } from '../results';
import { runSuite } from '../suite';

export interface BrowserBenchOptions {
  quick: boolean;
  backends: BackendName[];
}

setWasmAssetPaths(wasmAssetPaths);

const api = {
  async run(options: BrowserBenchOptions, log: (line: string) => void): Promise<Partial<BenchResults>> {
    const part = await runSuite({ ...options, prefix: '' }, (b) => initBackend(b), (line) => void log(line));
    const isolated = (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    part.machine = {
      ...part.machine!,
      cores: navigator.hardwareConcurrency,
      user_agent: navigator.userAgent,
      date: new Date().toISOString(),
      notes: [...part.machine!.notes, `browser worker crossOriginIsolated=${isolated}`],
    };
    return part;
  },
};

export type BenchWorkerApi = typeof api;

Comlink.expose(api);
