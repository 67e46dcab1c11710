// Training: determinism, exact resume from a checkpoint, divergence and cancellation errors.
import { beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { tinyDataset } from './fixtures';
import { trainModel, type TrainOptions } from '../../src/engine/train';
import { disposeModel } from '../../src/engine/model';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../../src/engine/defaults';
import { EngineError, type SerializedModel } from '../../src/engine/types';

const dataset = tinyDataset({ users: 16 });

function options(overrides: Partial<TrainOptions> = {}, seed = 3, epochs = 2): TrainOptions {
  return {
    method: 'duet',
    model: defaultModelConfig('sasrec', dataset.numItems, { dim: 8, seqLen: 5, heads: 2 }),
    duet: defaultDuetConfig(),
    train: defaultTrainConfig({ epochs, batchSize: 32, seed }),
    ...overrides,
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// One test for determinism and resume: a resumed run repeating the uninterrupted one exactly
// proves both, and costs 5 epochs instead of the 10 two separate tests took.
it('a run resumed from its epoch-1 checkpoint reproduces the uninterrupted run exactly; another seed does not', async () => {
  const checkpoints: SerializedModel[] = [];
  const full = await trainModel(dataset, options({ onEpochEnd: async (ckpt) => void checkpoints.push(ckpt) }));
  expect(full.history).toHaveLength(2);
  expect(checkpoints.map((c) => c.epochsDone)).toEqual([1, 2]);
  expect(checkpoints[0].optimizer?.find((s) => s.name === 'adam.steps')?.data[0]).toBe(Math.ceil(dataset.train.count / 32));
  for (const epoch of full.history) {
    expect(epoch.validUauc).toBeGreaterThan(0);
    expect(epoch.validUauc).toBeLessThanOrEqual(1);
  }

  // A separate 1-epoch run with the same seed is the first epoch of the 2-epoch run...
  const first = await trainModel(dataset, options({}, 3, 1));
  disposeModel(first.model);
  expect(first.history).toEqual(full.history.slice(0, 1));
  expect(first.checkpoint.resumeWeights!.map((w) => Array.from(w.data))).toEqual(
    checkpoints[0].resumeWeights!.map((w) => Array.from(w.data)),
  );
  // ...and resuming it gives the same second epoch, metrics and weights.
  const resumed = await trainModel(dataset, options({ resumeFrom: first.checkpoint }));
  expect(resumed.history).toEqual(full.history.slice(1));
  expect(resumed.metrics).toEqual(full.metrics);
  const weights = (m: SerializedModel) => m.weights.map((w) => Array.from(w.data));
  expect(weights(resumed.checkpoint)).toEqual(weights(full.checkpoint));
  expect(resumed.checkpoint.resumeWeights!.map((w) => Array.from(w.data))).toEqual(
    full.checkpoint.resumeWeights!.map((w) => Array.from(w.data)),
  );

  // Another seed: another first epoch.
  const other = await trainModel(dataset, options({}, 4, 1));
  expect(other.history[0]).not.toEqual(full.history[0]);
  expect(Array.from(other.checkpoint.resumeWeights![0].data)).not.toEqual(Array.from(checkpoints[0].resumeWeights![0].data));
  for (const r of [full, resumed, other]) disposeModel(r.model);
});

it('an exploding loss stops training with nan-loss and keeps the last good checkpoint', async () => {
  const checkpoints: SerializedModel[] = [];
  const before = tf.memory().numTensors;
  // Epoch 1 at a sane rate, then resume at an absurd one.
  const first = await trainModel(dataset, options({ onEpochEnd: async (c) => void checkpoints.push(c) }, 3, 1));
  disposeModel(first.model);
  const error = await trainModel(dataset, {
    ...options({ resumeFrom: first.checkpoint, onEpochEnd: async (c) => void checkpoints.push(c) }),
    train: defaultTrainConfig({ epochs: 2, batchSize: 32, seed: 3, learningRate: 1e8 }),
    lossEvery: 1,
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe('nan-loss');
  expect((error as EngineError).message).toMatch(/diverged/);
  expect(checkpoints).toHaveLength(1);
  expect(tf.memory().numTensors).toBe(before);
});

it('an aborted signal cancels training', async () => {
  const controller = new AbortController();
  const error = await trainModel(
    dataset,
    options({
      signal: controller.signal,
      lossEvery: 1,
      onProgress: (p) => {
        if (p.step === 2) controller.abort();
      },
    }),
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe('cancelled');
});
