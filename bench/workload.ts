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
import { finetuneOnSession, generateClassifier, rankCatalog } from '../src/engine/session';
import { syntheticSamples, syntheticSession } from './synthetic';
import { percentiles, type Percentiles } from './results';

export interface WorkloadSize {
  numItems: number;
  batchSize: number;
}

/** PERF.md's probe size: ~6k items, batch 256; D, L and heads are the defaults (32, 30, 4). */
export const defaultSize: WorkloadSize = { numItems: 6000, batchSize: 256 };

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

export function syntheticBatches(size: WorkloadSize, count: number, seqLen: number): HostBatch[] {
  const samples = syntheticSamples(size.batchSize * count, size.numItems, seqLen, 11);
  return Array.from({ length: count }, (_, b) =>
    gatherRows(samples, Array.from({ length: size.batchSize }, (_, i) => b * size.batchSize + i), false),
  );
}

export interface TrainMeasure {
  samplesPerSecond: number;
  steps: number;
  seconds: number;
}

/** Trains `method`-`backbone` for `warmup` untimed steps, then rounds of steps until `minSteps` and `minSeconds`. */
export async function measureTraining(
  backbone: Backbone,
  method: ModelMethod,
  options: { size?: WorkloadSize; warmup?: number; minSteps?: number; minSeconds?: number; maxSteps?: number } = {},
): Promise<TrainMeasure> {
  const size = options.size ?? defaultSize;
  const { warmup = 2, minSteps = 3, minSeconds = 2, maxSteps = 200 } = options;
  const config = modelConfig(backbone, size);
  const hosts = syntheticBatches(size, 8, config.seqLen);
  const model = createModel(config, method, duetConfig, 1);
  const optimizer = createOptimizer(model, 1e-3);
  try {
    await runSteps(model, optimizer, hosts, warmup);
    const start = now();
    let steps = 0;
    while (steps < maxSteps && (steps < minSteps || now() - start < minSeconds * 1000)) {
      const round = Math.max(1, Math.min(minSteps, maxSteps - steps));
      await runSteps(model, optimizer, hosts, round, steps);
      steps += round;
    }
    const seconds = (now() - start) / 1000;
    return { samplesPerSecond: (steps * size.batchSize) / seconds, steps, seconds };
  } finally {
    optimizer.dispose();
    disposeModel(model);
  }
}

export interface ClickMeasure {
  duet: Percentiles;
  finetune: Record<number, Percentiles>;
}

/**
 * Latency of one click with a growing session (first click untimed: it builds the cached
 * catalog towers). DUET: generateClassifier + rankCatalog, what the demo shows per click.
 * Fine-tune k: finetuneOnSession (copy + k steps) + rankCatalog + dispose.
 */
export async function measureClicks(
  backbone: Backbone,
  options: { size?: WorkloadSize; clicks?: number; finetuneSteps?: number[]; k?: number } = {},
): Promise<ClickMeasure> {
  const size = options.size ?? defaultSize;
  const { clicks = 20, finetuneSteps = [1, 5, 20], k = 10 } = options;
  const config = modelConfig(backbone, size);
  const session = syntheticSession(clicks + 10, size.numItems, 5);
  const duet = createModel(config, 'duet', duetConfig, 1);
  const base = createModel(config, 'base', duetConfig, 1);
  try {
    const duetMs: number[] = [];
    for (let c = -1; c < clicks; c++) {
      const sequence = session.subarray(0, 10 + Math.max(c, 0));
      const start = now();
      await generateClassifier(duet, sequence);
      await rankCatalog(duet, sequence, k);
      if (c >= 0) duetMs.push(now() - start);
    }
    const finetune: Record<number, Percentiles> = {};
    for (const steps of finetuneSteps) {
      const times: number[] = [];
      for (let c = -1; c < Math.max(3, Math.floor(clicks / 2)); c++) {
        const sequence = session.subarray(0, 10 + Math.max(c, 0));
        const start = now();
        const tuned = finetuneOnSession(base, sequence, steps, c + 100);
        await rankCatalog(tuned, sequence, k);
        disposeModel(tuned);
        if (c >= 0) times.push(now() - start);
      }
      finetune[steps] = percentiles(times);
    }
    return { duet: percentiles(duetMs), finetune };
  } finally {
    disposeModel(duet);
    disposeModel(base);
  }
}
