// Training, evaluation and fine-tune on a dataset whose samples are built per batch from
// histories (every format but DUET text): exact resume, and the fine-tune baseline.
import { beforeAll, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InteractionsBuilder } from '../../src/data/parsed';
import { preprocess } from '../../src/data/preprocess';
import type { Dataset } from '../../src/data/types';
import { createRng, randomInt } from '../../src/random';
import { trainModel, type TrainOptions } from '../../src/engine/train';
import { evaluateFinetune } from '../../src/engine/finetune';
import { disposeModel } from '../../src/engine/model';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../../src/engine/defaults';
import type { SerializedModel } from '../../src/engine/types';

function historyDataset(): Dataset {
  const rng = createRng(5);
  const b = new InteractionsBuilder();
  for (let u = 0; u < 10; u++) for (let t = 0; t < 10; t++) b.add(`u${u}`, `i${1 + randomInt(rng, 20)}`, t);
  const data = preprocess(b.build(), { devicePeriod: 3, seqLen: 5, negatives: 2, minUserInteractions: 1, minItemInteractions: 1, seed: 9 });
  return { id: 'h', name: 'h', format: 'sasrec', createdAt: 0, ...data };
}

const dataset = historyDataset();

function options(overrides: Partial<TrainOptions> = {}, epochs = 2): TrainOptions {
  return {
    method: 'duet',
    model: defaultModelConfig('sasrec', dataset.numItems, { dim: 8, seqLen: 5, heads: 2 }),
    duet: defaultDuetConfig(),
    train: defaultTrainConfig({ epochs, batchSize: 32, seed: 3, finetuneEpochs: 1 }),
    ...overrides,
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('builds batches from histories: resuming from epoch 1 reproduces a 2-epoch run exactly', async () => {
  expect(dataset.train.kind).toBe('drawn');
  expect(dataset.test.kind).toBe('history');
  // Base: the same batch path as DUET, at a fraction of the time.
  const full = await trainModel(dataset, options({ method: 'base' }));
  const first = await trainModel(dataset, options({ method: 'base' }, 1));
  disposeModel(first.model);
  const resumed = await trainModel(dataset, options({ method: 'base', resumeFrom: first.checkpoint }));
  expect(resumed.history).toEqual(full.history.slice(1));
  expect(resumed.metrics).toEqual(full.metrics);
  const weights = (m: SerializedModel) => m.weights.map((w) => Array.from(w.data));
  expect(weights(resumed.checkpoint)).toEqual(weights(full.checkpoint));
  expect(Number.isFinite(full.metrics.uauc)).toBe(true);
  expect(full.metrics.fullHr10).toBeGreaterThanOrEqual(0);
  disposeModel(full.model);
  disposeModel(resumed.model);
});

it("fine-tunes Base per user on that user's drawn training rows", async () => {
  const base = await trainModel(dataset, options({ method: 'base' }, 1));
  const metrics = await evaluateFinetune(base.model, dataset, options().train);
  expect(Number.isFinite(metrics.uauc)).toBe(true);
  disposeModel(base.model);
});
