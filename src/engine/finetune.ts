// The fine-tune baseline (docs/method.md#baselines): per test user, a copy of Base trained with a
// fresh Adam for `finetuneEpochs` over that user's own cloud-period samples, then scored on the
// user's test samples. Metrics are aggregated exactly as for the other methods.
import type { Dataset } from '../data/types';
import { EngineError, type Metrics, type TrainConfig, type TrainProgress } from './types';
import { computeMetrics, fullCatalogMetrics } from './metrics';
import type { RecModel } from './model';
import { disposeBatch, gatherRows, toBatch } from './batch';
import { createOptimizer, trainStep } from './step';
import { epochOrder } from './train';
import { fullCatalogRanks, scoreSamples } from './evaluate';
import { rowsByUser, subsetSamples } from '../data/samples';

/** A fresh copy of a model's weights (its own variables). */
export function copyModel(model: RecModel): RecModel {
  return { method: model.method, config: { ...model.config }, duet: model.duet, params: model.params.clone() };
}

/** Trains `model` in place on `rows` of the training set: `epochs` passes with a fresh Adam. */
export function finetuneOnRows(model: RecModel, dataset: Dataset, rows: number[], train: TrainConfig, epochs: number): void {
  const optimizer = createOptimizer(model, train.learningRate);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = epochOrder(rows.length, train.seed, epoch);
      for (let start = 0; start < rows.length; start += train.batchSize) {
        const chosen = Array.from(order.subarray(start, start + train.batchSize), (i) => rows[i]);
        const batch = toBatch(gatherRows(dataset.train, chosen, false, epoch));
        trainStep(model, optimizer, batch).dispose();
        disposeBatch(batch);
      }
    }
  } finally {
    optimizer.dispose();
  }
}

export async function evaluateFinetune(
  base: RecModel,
  dataset: Dataset,
  train: TrainConfig,
  options: { signal?: AbortSignal; onProgress?: (p: TrainProgress) => void } = {},
): Promise<Metrics> {
  if (base.method !== 'base') throw new Error('the fine-tune baseline starts from a Base model');
  const baseWeights = await base.params.read();
  const trainRows = rowsByUser(dataset.train);
  const testRows = rowsByUser(dataset.test);
  const scores = new Float32Array(dataset.test.count);
  const ranks: number[] = [];
  const model = copyModel(base);
  const started = performance.now();
  let done = 0;
  try {
    for (const [user, rows] of testRows) {
      if (options.signal?.aborted) throw new EngineError('cancelled', 'Evaluation was cancelled.');
      model.params.write(baseWeights);
      finetuneOnRows(model, dataset, trainRows.get(user) ?? [], train, train.finetuneEpochs);
      const userTest = subsetSamples(dataset.test, rows);
      const userScores = await scoreSamples(model, userTest);
      rows.forEach((r, i) => (scores[r] = userScores[i]));
      const userRanks = await fullCatalogRanks(model, userTest, dataset);
      if (userRanks) ranks.push(...userRanks);
      model.catalog?.dispose();
      model.catalog = undefined;
      done++;
      if (done % 20 === 0 || done === testRows.size) {
        const elapsed = (performance.now() - started) / 1000;
        options.onProgress?.({
          phase: 'finetune',
          epoch: 1,
          epochs: 1,
          step: done,
          stepsPerEpoch: testRows.size,
          loss: Number.NaN,
          samplesPerSecond: done / elapsed,
          etaSeconds: ((testRows.size - done) * elapsed) / done,
        });
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
  } finally {
    model.params.dispose();
    model.catalog?.dispose();
  }
  const metrics = computeMetrics({ user: dataset.test.user, label: dataset.test.label, score: scores });
  if (ranks.length > 0) {
    const full = fullCatalogMetrics(Int32Array.from(ranks), 10);
    metrics.fullHr10 = full.hr;
    metrics.fullNdcg10 = full.ndcg;
  }
  return metrics;
}
