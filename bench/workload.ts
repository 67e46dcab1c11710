// The measured work, identical in Node and in the Chromium worker, through the engine's own
// code paths: training steps (step.ts, as trainModel runs them) on synthetic batches, and
// device clicks (session.ts: DUET = generate + rank the catalog; Fine-tune = copy, k Adam
// steps on the session, rank). Timing only; correctness is the unit tests' job.
import * as tf from '@tensorflow/tfjs-core';
import type { Backbone, DuetConfig, ModelConfig } from '../src/engine/types';
import { disposeBatch, gatherRows, toBatch, type HostBatch } from '../src/engine/batch';
import { createModel, disposeModel, type ModelMethod, type RecModel } from '../src/engine/model';
import { defaultDuetConfig, defaultModelConfig } from '../src/engine/defaults';
import { createOptimizer, trainStep } from '../src/engine/step';
import type { Adam } from '../src/engine/adam';
import { adaptAndRank } from '../src/engine/session';
import { finetuneAndRank } from '../src/engine/orchestrate';
import { logShapedSamples, syntheticSamples, syntheticSession } from './synthetic';
import { percentiles, type Percentiles } from './results';

export interface WorkloadSize {
  numItems: number;
  batchSize: number;
}

/** The profiling probe's size: ~6k items, batch 256; D, L and heads are the defaults (32, 30, 4). */
export const defaultSize: WorkloadSize = { numItems: 6000, batchSize: 256 };

/**
 * The training data: `synthetic` (uniform items, sequence lengths 1..L) or `log`, shaped like
 * a real log (every sequence full, long-tailed popularity) over an ML-1M-sized catalog.
 */
export type TrainingData = 'synthetic' | 'log';

export const logSize: WorkloadSize = { numItems: 3706, batchSize: 256 };

export const duetConfig: DuetConfig = defaultDuetConfig();

export function modelConfig(backbone: Backbone, size: WorkloadSize): ModelConfig {
  return defaultModelConfig(backbone, size.numItems);
}

const now = () => performance.now();

/** One step as trainModel takes it; returns the loss tensor (reading it synchronises). */
export function benchStep(model: RecModel, optimizer: Adam, host: HostBatch): tf.Scalar {
  const batch = toBatch(host);
  try {
    return trainStep(model, optimizer, batch);
  } finally {
    disposeBatch(batch);
  }
}

/** Runs `steps` steps and waits for the device, reading the loss every 20 steps as trainModel does. */
export async function runSteps(model: RecModel, optimizer: Adam, hosts: HostBatch[], steps: number, offset = 0): Promise<void> {
  for (let s = 0; s < steps; s++) {
    const loss = benchStep(model, optimizer, hosts[(offset + s) % hosts.length]);
    if ((s + 1) % 20 === 0 || s === steps - 1) await loss.data();
    loss.dispose();
  }
}

export function syntheticBatches(size: WorkloadSize, count: number, seqLen: number, data: TrainingData = 'synthetic'): HostBatch[] {
  const make = data === 'log' ? logShapedSamples : syntheticSamples;
  const samples = make(size.batchSize * count, size.numItems, seqLen, 11);
  return Array.from({ length: count }, (_, b) =>
    gatherRows(
      samples,
      Array.from({ length: size.batchSize }, (_, i) => b * size.batchSize + i),
      false,
    ),
  );
}

export interface TrainMeasure {
  samplesPerSecond: number;
  /** tf.memory().numBytes after the last step, model and optimizer state still alive. */
  tfBytes: number;
  steps: number;
  seconds: number;
  /** Node only: CPU seconds of this process over the timed steps (steadier than wall time on a shared machine). */
  cpuSeconds?: number;
}

/** "duet-sasrec" -> method and backbone, as the bench tools name models. */
export function parseModelName(name: string): { method: ModelMethod; backbone: Backbone } {
  const [method, backbone] = name.split('-') as [ModelMethod, Backbone];
  return { method, backbone };
}

export interface TrainingWorkload {
  size: WorkloadSize;
  model: RecModel;
  optimizer: Adam;
  hosts: HostBatch[];
  dispose(): void;
}

/** A freshly initialised model (seed 1) with its Adam and `batches` host batches of the workload. */
export function openTrainingWorkload(
  backbone: Backbone,
  method: ModelMethod,
  data: TrainingData = 'synthetic',
  batches = 8,
  size?: WorkloadSize,
): TrainingWorkload {
  const workloadSize = size ?? (data === 'log' ? logSize : defaultSize);
  const config = modelConfig(backbone, workloadSize);
  const hosts = syntheticBatches(workloadSize, batches, config.seqLen, data);
  const model = createModel(config, method, duetConfig, 1);
  const optimizer = createOptimizer(model, 1e-3);
  return {
    size: workloadSize,
    model,
    optimizer,
    hosts,
    dispose: () => {
      optimizer.dispose();
      disposeModel(model);
    },
  };
}

const cpuClock = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage;
const cpuNow = () => {
  const usage = cpuClock?.();
  return usage === undefined ? undefined : (usage.user + usage.system) / 1e6;
};

/** Trains `method`-`backbone` for `warmup` untimed steps, then rounds of steps until `minSteps` and `minSeconds`. */
export async function measureTraining(
  backbone: Backbone,
  method: ModelMethod,
  options: { data?: TrainingData; size?: WorkloadSize; warmup?: number; minSteps?: number; minSeconds?: number; maxSteps?: number } = {},
): Promise<TrainMeasure> {
  const { warmup = 2, minSteps = 3, minSeconds = 2, maxSteps = 200 } = options;
  const workload = openTrainingWorkload(backbone, method, options.data, 8, options.size);
  const { size, model, optimizer, hosts } = workload;
  try {
    await runSteps(model, optimizer, hosts, warmup);
    const cpuStart = cpuNow();
    const start = now();
    let steps = 0;
    while (steps < maxSteps && (steps < minSteps || now() - start < minSeconds * 1000)) {
      const round = Math.max(1, Math.min(minSteps, maxSteps - steps));
      await runSteps(model, optimizer, hosts, round, steps);
      steps += round;
    }
    const seconds = (now() - start) / 1000;
    const cpuEnd = cpuNow();
    const cpuSeconds = cpuStart === undefined || cpuEnd === undefined ? undefined : cpuEnd - cpuStart;
    return {
      samplesPerSecond: (steps * size.batchSize) / seconds,
      tfBytes: tf.memory().numBytes,
      steps,
      seconds,
      ...(cpuSeconds === undefined ? {} : { cpuSeconds }),
    };
  } finally {
    workload.dispose();
  }
}

/** One click's answer: the top-k over the whole catalog and the in-process compute time. */
export interface ClickAnswer {
  ids: Int32Array;
  scores: Float32Array;
  computeMs: number;
}

/** DUET, or fine-tuning the Base model for `steps` Adam steps. */
export type ClickKind = { kind: 'duet' } | { kind: 'finetune'; steps: number };

/** Keys in results.json: `duet`, `finetune_k5`, ... */
export function clickKey(kind: ClickKind): string {
  return kind.kind === 'duet' ? 'duet' : `finetune_k${kind.steps}`;
}

/** How many timed clicks per kind, in order (a warm-up click per kind is extra). */
export type ClickPlan = { kind: ClickKind; clicks: number }[];

/**
 * The models a click runs against. Click `index` uses a device session of 10 + (index % 30)
 * clicks: 200 clicks are several sessions of 10-39 clicks each, as a user growing a session
 * would see them, rather than one session that outgrows any real one.
 */
export interface ClickRunner {
  click(kind: ClickKind, index: number): Promise<ClickAnswer>;
  dispose(): void;
}

export function openClickRunner(backbone: Backbone, options: { size?: WorkloadSize; k?: number } = {}): ClickRunner {
  const size = options.size ?? defaultSize;
  const k = options.k ?? 10;
  const config = modelConfig(backbone, size);
  const session = syntheticSession(40, size.numItems, 5);
  const duet = createModel(config, 'duet', duetConfig, 1);
  const base = createModel(config, 'base', duetConfig, 1);
  return {
    async click(kind, index) {
      const sequence = session.subarray(0, 10 + (Math.max(index, 0) % 30));
      const start = now();
      let top;
      if (kind.kind === 'duet') {
        top = (await adaptAndRank(duet, sequence, k)).top;
      } else {
        top = await finetuneAndRank(base, sequence, { steps: kind.steps, seed: index + 100, k });
      }
      const computeMs = now() - start;
      return { ids: Int32Array.from(top, (r) => r.itemId), scores: Float32Array.from(top, (r) => r.score), computeMs };
    },
    dispose() {
      disposeModel(duet);
      disposeModel(base);
    },
  };
}

/**
 * In-process click latency per kind of the plan (Node has no page to time from). The first
 * click of each kind is untimed: it builds the cached catalog towers / compiles kernels.
 */
export async function measureClicks(
  backbone: Backbone,
  plan: ClickPlan,
  options: { size?: WorkloadSize } = {},
): Promise<Record<string, Percentiles>> {
  const runner = openClickRunner(backbone, options);
  try {
    const out: Record<string, Percentiles> = {};
    for (const { kind, clicks } of plan) {
      await runner.click(kind, -1);
      const times: number[] = [];
      for (let c = 0; c < clicks; c++) {
        const start = now();
        await runner.click(kind, c);
        times.push(now() - start);
      }
      out[clickKey(kind)] = percentiles(times);
    }
    return out;
  } finally {
    runner.dispose();
  }
}
