// The bench page: owns the bench worker and exposes window.runBench for Playwright.
import * as Comlink from 'comlink';
import type { BenchWorkerApi, BrowserBenchOptions } from './bench.worker';
import type { BenchResults } from '../results';

declare global {
  interface Window {
    runBench(options: BrowserBenchOptions): Promise<Partial<BenchResults>>;
  }
}

const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
const api = Comlink.wrap<BenchWorkerApi>(worker);

window.runBench = (options) => api.run(options, Comlink.proxy((line: string) => console.log(line)));
document.body.dataset.ready = 'true';
