// The benchmark suite, per backend: training throughput per model, memory after training,
// and click latency. Node (bench/node.ts) runs all of it in process; the Chromium worker
// (bench/browser/bench.worker.ts) runs the training half and answers single clicks, which
// the page (bench/browser/main.ts) times around its Comlink call.
import * as tf from '@tensorflow/tfjs-core';
import type { Backbone, BackendName } from '../src/engine/types';
import type { ActiveBackend } from '../src/engine/backend';
import type { ModelMethod } from '../src/engine/model';
import { measureClicks, measureTraining, type ClickPlan, type TrainingData } from './workload';
import type { BenchResults, MemoryFigures } from './results';

export interface SuiteOptions {
  quick: boolean;
  backends: BackendName[];
  /** Prefix of the backend keys in results.json ('node-' in Node, '' in the browser). */
  prefix: string;
  /** The JS heap of the running thread, where the runtime tells it. */
  heapBytes: () => number | undefined;
}

export interface ModelCase {
  /** results.json key: `duet-sasrec` (synthetic data) or `duet-sasrec:log` (log-shaped data) */
  key: string;
  backbone: Backbone;
  method: ModelMethod;
  data: TrainingData;
}

const backbones: Backbone[] = ['sasrec', 'gru4rec', 'din'];
const methods: ModelMethod[] = ['duet', 'base'];
function cases(data: TrainingData, only?: string[]): ModelCase[] {
  return backbones
    .flatMap((backbone) => methods.map((method) => ({ key: `${method}-${backbone}`, backbone, method, data })))
    .filter((c) => only === undefined || only.includes(c.key))
    .map((c) => ({ ...c, key: data === 'log' ? `${c.key}:log` : c.key }));
}

/** Every backbone x method on synthetic data; on log-shaped data, the ones with targets (all in a full run). */
const quickModels: ModelCase[] = [...cases('synthetic'), ...cases('log', ['duet-sasrec', 'duet-gru4rec', 'base-sasrec'])];
const fullModels: ModelCase[] = [...cases('synthetic'), ...cases('log')];

/** The models a budget trains, in order. */
export function trainingCases(budget: Budget): ModelCase[] {
  return budget === 'full' ? fullModels : budget === 'minimal' ? quickModels.slice(0, 1) : quickModels;
}

/** Clicks are measured on this backbone. */
export const clickBackbone: Backbone = 'sasrec';

/**
 * full: the 200 clicks (k = 20: 50, at ~0.3 s a click). slow-cpu: the pure-JS cpu
 * backend, ~1.4 s per k = 5 click. quick: `--quick`. minimal: a software
 * GPU (SwiftShader), seconds per step.
 */
export type Budget = 'full' | 'slow-cpu' | 'quick' | 'minimal';

export function budgetFor(active: ActiveBackend, quick: boolean): Budget {
  if (active.software) return 'minimal';
  if (active.name === 'cpu') return 'slow-cpu';
  return quick ? 'quick' : 'full';
}

const plans: Record<Budget, [duet: number, k1: number, k5: number, k20: number]> = {
  full: [200, 200, 200, 50],
  'slow-cpu': [100, 10, 10, 3],
  quick: [100, 50, 50, 10],
  minimal: [10, 3, 0, 0],
};

export function clickPlan(budget: Budget): ClickPlan {
  const [duet, k1, k5, k20] = plans[budget];
  const plan: ClickPlan = [{ kind: { kind: 'duet' }, clicks: duet }];
  for (const [steps, clicks] of [
    [1, k1],
    [5, k5],
    [20, k20],
  ] as const) {
    if (clicks > 0) plan.push({ kind: { kind: 'finetune', steps }, clicks });
  }
  return plan;
}

export interface BackendTraining {
  train: Record<string, number>;
  memory: MemoryFigures;
}

/** Training throughput of the budget's models on the active backend, and memory after it. */
export async function trainBackend(
  key: string,
  budget: Budget,
  heapBytes: () => number | undefined,
  log: (line: string) => void,
): Promise<BackendTraining> {
  const models = trainingCases(budget);
  const train: Record<string, number> = {};
  let tfBytesAfterTraining = 0;
  for (const m of models) {
    const r = await measureTraining(m.backbone, m.method, {
      data: m.data,
      warmup: budget === 'full' ? 3 : 1,
      minSteps: budget === 'full' ? 5 : budget === 'minimal' ? 1 : 2,
      minSeconds: budget === 'full' ? 5 : budget === 'minimal' ? 0 : 1,
    });
    train[m.key] = r.samplesPerSecond;
    tfBytesAfterTraining = Math.max(tfBytesAfterTraining, r.tfBytes);
    log(`${key} train ${m.key}: ${r.samplesPerSecond.toFixed(0)} samples/s (${r.steps} steps, ${r.seconds.toFixed(1)} s)`);
  }
  const after = tf.memory();
  const heap = heapBytes();
  return {
    train,
    memory: {
      tf_bytes_after_training: tfBytesAfterTraining,
      tf_bytes_after_dispose: after.numBytes,
      tf_tensors_after_dispose: after.numTensors,
      ...(heap === undefined ? {} : { heap_bytes: heap }),
    },
  };
}

/** Everything in process (Node): training, memory, then clicks timed around the call. */
export async function runSuite(
  options: SuiteOptions,
  init: (backend: BackendName) => Promise<ActiveBackend>,
  log: (line: string) => void,
): Promise<Partial<BenchResults>> {
  const out: Partial<BenchResults> = {
    train_samples_per_s: {},
    click_ms: {},
    memory: {},
    machine: { cores: 0, date: '', quick: options.quick, notes: [] },
  };
  const notes = out.machine!.notes;
  for (const backend of options.backends) {
    let active: ActiveBackend;
    try {
      active = await init(backend);
    } catch (error) {
      notes.push(`${options.prefix}${backend}: not available (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const key = `${options.prefix}${backend}`;
    const budget = budgetFor(active, options.quick);
    if (active.software) notes.push(`${key}: software adapter (SwiftShader/fallback), not a real GPU; minimal run`);
    const trained = await trainBackend(key, budget, options.heapBytes, log);
    out.train_samples_per_s![key] = trained.train;
    out.memory![key] = trained.memory;
    const clickMs = await measureClicks(clickBackbone, clickPlan(budget));
    out.click_ms![key] = clickMs;
    log(
      `${key} click (in process): ` +
        Object.entries(clickMs)
          .map(([kind, p]) => `${kind} p50 ${p.p50.toFixed(1)} ms (n=${p.n})`)
          .join(', '),
    );
  }
  return out;
}
