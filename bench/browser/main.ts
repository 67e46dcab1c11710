// The bench page: owns the bench worker and exposes window.runBench for Playwright. Click
// latency is timed here, from posting the click to the worker until its top-10 arrives back.
import * as Comlink from 'comlink';
import type { BenchWorkerApi } from './bench.worker';
import { percentiles, type BenchResults, type Percentiles } from '../results';
import { clickKey } from '../workload';
import type { BackendName } from '../../src/engine/types';

export interface BrowserBenchOptions {
  quick: boolean;
  backends: BackendName[];
}

declare global {
  interface Window {
    runBench(options: BrowserBenchOptions): Promise<Partial<BenchResults>>;
    /** Provided by bench/chromium.ts: the page's JS heap via CDP Runtime.getHeapUsage. */
    pageHeapBytes?: () => Promise<number>;
    /** Provided by bench/chromium.ts: the bench worker's JS heap via CDP. */
    workerHeapBytes?: () => Promise<number | undefined>;
  }
}

const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
const api = Comlink.wrap<BenchWorkerApi>(worker);
const log = (line: string) => console.log(line);
const logProxy = Comlink.proxy(log);

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function timeClicks(key: string, plan: Awaited<ReturnType<BenchWorkerApi['start']>>['plan']) {
  const page: Record<string, Percentiles> = {};
  const inWorker: Record<string, Percentiles> = {};
  await api.openClicks();
  try {
    for (const { kind, clicks } of plan) {
      await api.click(kind, -1); // untimed: builds the catalog towers, compiles kernels
      const roundTrip: number[] = [];
      const compute: number[] = [];
      for (let c = 0; c < clicks; c++) {
        const start = performance.now();
        const answer = await api.click(kind, c);
        roundTrip.push(performance.now() - start);
        compute.push(answer.computeMs);
        if (answer.ids.length !== 10) throw new Error(`a click returned ${answer.ids.length} items, not the top-10`);
      }
      page[clickKey(kind)] = percentiles(roundTrip);
      inWorker[clickKey(kind)] = percentiles(compute);
    }
    // the floor under every page figure: a round trip that computes nothing
    const pings: number[] = [];
    for (let i = 0; i < 100; i++) {
      const start = performance.now();
      await api.ping();
      pings.push(performance.now() - start);
    }
    page.message = percentiles(pings);
  } finally {
    await api.closeClicks();
  }
  log(
    `${key} click (page round trip): ` +
      Object.entries(page)
        .map(([k, p]) => `${k} p50 ${p.p50.toFixed(1)} ms (n=${p.n})`)
        .join(', '),
  );
  return { page, inWorker };
}

async function runBench(options: BrowserBenchOptions): Promise<Partial<BenchResults>> {
  const machine = await api.machine();
  const out: Partial<BenchResults> = {
    train_samples_per_s: {},
    click_ms: {},
    click_ms_in_worker: {},
    memory: {},
    machine: {
      cores: machine.cores,
      user_agent: machine.userAgent,
      date: new Date().toISOString(),
      quick: options.quick,
      notes: [`browser worker crossOriginIsolated=${machine.isolated}`],
    },
  };
  const notes = out.machine!.notes;
  for (const backend of options.backends) {
    let start;
    try {
      start = await api.start(backend, options.quick);
    } catch (error) {
      notes.push(`${backend}: not available (${message(error)})`);
      continue;
    }
    if (start.simdKernels !== undefined) notes.push(`${backend}: SIMD kernels loaded on tfjs-wasm's memory: ${start.simdKernels}`);
    if (start.software) notes.push(`${backend}: software adapter (SwiftShader/fallback), not a real GPU; minimal run`);
    const trained = await api.train(backend, start.budget, logProxy);
    out.train_samples_per_s![backend] = trained.train;
    const pageHeap = await window.pageHeapBytes?.();
    const workerHeap = trained.memory.heap_bytes ?? (await window.workerHeapBytes?.());
    out.memory![backend] = {
      ...trained.memory,
      ...(workerHeap === undefined ? {} : { heap_bytes: workerHeap }),
      ...(pageHeap === undefined ? {} : { page_heap_bytes: pageHeap }),
    };
    const clicks = await timeClicks(backend, start.plan);
    out.click_ms![backend] = clicks.page;
    out.click_ms_in_worker![backend] = clicks.inWorker;
  }
  return out;
}

window.runBench = runBench;
document.body.dataset.ready = 'true';
