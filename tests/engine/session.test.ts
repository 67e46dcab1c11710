// The device session: catalog ranking, generated parameters, session fine-tuning, and the
// offline fine-tune baseline.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { tinyDataset } from './fixtures';
import { createModel, disposeModel, forwardLogits } from '../../src/engine/model';
import { defaultDuetConfig, defaultModelConfig, defaultTrainConfig } from '../../src/engine/defaults';
import { adaptAndRank, finetuneOnSession, generateClassifier, rankCatalog, sequenceRow } from '../../src/engine/session';
import { copyModel, evaluateFinetune, finetuneOnRows } from '../../src/engine/finetune';
import { evaluateModel, fullCatalogRanks, scoreSamples } from '../../src/engine/evaluate';
import { computeMetrics, fullCatalogMetrics } from '../../src/engine/metrics';
import { createRng } from '../../src/random';
import { generatedWeightChange } from '../../src/engine/stability';
import { disposeBatch, gatherRows, toBatch } from '../../src/engine/batch';
import { referenceGeneratedLayers, referenceLogit, toRefParams } from './reference';
import type { SampleSet } from '../../src/data/types';

const dataset = tinyDataset({ users: 8 });
const config = (backbone: 'sasrec' | 'gru4rec' | 'din') => defaultModelConfig(backbone, dataset.numItems, { dim: 4, seqLen: 5, heads: 2 });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('sequenceRow keeps the last seqLen items, left-aligned', () => {
  expect(Array.from(sequenceRow([1, 2, 3], 5))).toEqual([1, 2, 3, 0, 0]);
  expect(Array.from(sequenceRow([1, 2, 3, 4, 5, 6, 7], 5))).toEqual([3, 4, 5, 6, 7]);
});

it.each(['sasrec', 'gru4rec', 'din'] as const)('%s: rankCatalog orders items by the model score and honours exclude', async (backbone) => {
  const model = createModel(config(backbone), 'duet', defaultDuetConfig(), 4);
  const sequence = Int32Array.from([3, 8, 2]);
  const top = await rankCatalog(model, sequence, 5, Int32Array.from([3, 8]));
  expect(top).toHaveLength(5);
  expect(top.some((r) => r.itemId === 3 || r.itemId === 8 || r.itemId === 0)).toBe(false);
  for (let i = 1; i < top.length; i++) expect(top[i - 1].score).toBeGreaterThanOrEqual(top[i].score);
  // Each score is the model's logit for (sequence, item), checked against the reference.
  const params = toRefParams(await model.params.read());
  const row = Array.from(sequenceRow(sequence, 5));
  for (const r of top) {
    const expected = referenceLogit(params, model.config, 'duet', model.duet, { click: row, generator: row, target: r.itemId, label: 0 });
    expect(Math.abs(r.score - expected)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected)));
  }
  disposeModel(model);
});

it('generateClassifier returns W then b of both generated layers, as the reference computes them', async () => {
  const model = createModel(config('sasrec'), 'duet', defaultDuetConfig(), 4);
  const params = await generateClassifier(model, Int32Array.from([5, 6]));
  expect(params.dim).toBe(4);
  expect(params.layer1).toHaveLength(4 * 4 + 4);
  expect(params.layer2).toHaveLength(4 * 4 + 4);
  const expected = referenceGeneratedLayers(toRefParams(await model.params.read()), model.config, 'duet', model.duet, [5, 6, 0, 0, 0]);
  const close = (got: Float32Array, want: number[]) =>
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[i]))));
  close(params.layer1, [...expected[0].W, ...expected[0].b]);
  close(params.layer2, [...expected[1].W, ...expected[1].b]);
  const din = createModel(config('din'), 'duet', defaultDuetConfig(), 4);
  const dinParams = await generateClassifier(din, Int32Array.from([5, 6]));
  expect(dinParams.shapes).toEqual([
    [128, 64],
    [64, 1],
  ]);
  expect(dinParams.layer1).toHaveLength(128 * 64 + 64);
  expect(dinParams.layer2).toHaveLength(64 + 1);
  // Different sessions give different parameters.
  const other = await generateClassifier(model, Int32Array.from([11, 12, 10]));
  expect(Array.from(other.layer1)).not.toEqual(Array.from(params.layer1));
  disposeModel(model);
  disposeModel(din);
  expect(tf.memory().numTensors).toBe(0);
});

it('finetuneOnSession raises the scores of the session clicks and leaves the base model untouched', async () => {
  const base = createModel(config('gru4rec'), 'base', defaultDuetConfig(), 2);
  const before = await base.params.read();
  const session = Int32Array.from([7, 8, 9, 10]);
  const samples: SampleSet = {
    count: 1,
    seqLen: 5,
    user: new Int32Array(1),
    target: Int32Array.from([10]),
    clickSeq: Int32Array.from([7, 8, 9, 0, 0]),
    triggerSeq: new Int32Array(5),
    label: new Float32Array(1),
  };
  const logit = (m: typeof base) => {
    const batch = toBatch(gatherRows(samples, [0], false));
    const v = tf.tidy(() => forwardLogits(m, batch)).arraySync() as number[];
    disposeBatch(batch);
    return v[0];
  };
  const tuned = finetuneOnSession(base, session, 20, 1);
  expect(logit(tuned)).toBeGreaterThan(logit(base));
  expect((await base.params.read()).map((w) => Array.from(w.data))).toEqual(before.map((w) => Array.from(w.data)));
  disposeModel(tuned);
  disposeModel(base);
});

it('the fine-tune baseline scores each user with a fresh copy of Base tuned on that user alone', async () => {
  const base = createModel(config('sasrec'), 'base', defaultDuetConfig(), 2);
  const train = defaultTrainConfig({ batchSize: 8 });
  const plain = await evaluateModel(base, dataset.test, dataset);
  const tuned = await evaluateFinetune(base, dataset, train);
  // Independently: per test user, a new copy of Base, one epoch on the user's train rows, the
  // user's test rows scored and its device-period targets ranked against the catalog with that copy.
  const rowsOf = (user: ArrayLike<number>, u: number) => Array.from(user, (v, r) => (v === u ? r : -1)).filter((r) => r >= 0);
  const test = dataset.test;
  const positives = Array.from(test.label, (l, r) => (l > 0.5 ? r : -1)).filter((r) => r >= 0);
  const scores = new Float32Array(test.count);
  const ranks = new Int32Array(positives.length).fill(-1);
  for (const user of new Set(test.user)) {
    const copy = copyModel(base);
    finetuneOnRows(copy, dataset, rowsOf((dataset.train as SampleSet).user, user), train, 1);
    const rows = rowsOf(test.user, user);
    (await scoreSamples(copy, test, rows)).forEach((s, i) => (scores[rows[i]] = s));
    const all = (await fullCatalogRanks(copy, test, dataset))!; // one rank per positive, in row order
    expect(all).toHaveLength(positives.length);
    positives.forEach((row, k) => {
      if (test.user[row] === user) ranks[k] = all[k];
    });
    disposeModel(copy);
  }
  const expected = computeMetrics({ user: dataset.test.user, label: dataset.test.label, score: scores });
  const full = fullCatalogMetrics(ranks, 10);
  expect(ranks.every((r) => r >= 0)).toBe(true); // every device-period target ranked
  for (const key of ['auc', 'uauc', 'logloss', 'ndcg10', 'hr5'] as const) expect(tuned[key]).toBeCloseTo(expected[key], 5);
  expect(tuned.fullHr10).toBeCloseTo(full.hr, 6);
  expect(tuned.fullNdcg10).toBeCloseTo(full.ndcg, 6);
  expect(tuned.logloss).not.toBeCloseTo(plain.logloss, 4); // the tuning changed the scores
  disposeModel(base);
});

it('generatedWeightChange measures how far the generated parameters move per device click', async () => {
  const model = createModel(config('sasrec'), 'duet', defaultDuetConfig(), 4);
  const change = await generatedWeightChange(model, dataset, 3);
  expect(change).toBeGreaterThan(0);
  expect(Number.isFinite(change)).toBe(true);
  // One user, one step: the measure equals the relative L2 change computed directly.
  const h = dataset.histories!;
  const start = h.offsets[0];
  const first = await generateClassifier(model, h.items.subarray(start, h.devicePeriodStart[0] + 1));
  const second = await generateClassifier(model, h.items.subarray(start, h.devicePeriodStart[0] + 2));
  const a = [...first.layer1, ...first.layer2];
  const b = [...second.layer1, ...second.layer2];
  const direct = Math.sqrt(a.reduce((s, v, i) => s + (b[i] - v) ** 2, 0) / a.reduce((s, v) => s + v * v, 0));
  const oneStep = await generatedWeightChange(
    model,
    { ...dataset, histories: { ...h, offsets: Int32Array.from([start, h.devicePeriodStart[0] + 2]) } },
    1,
  );
  expect(oneStep).toBeCloseTo(direct, 5);
  disposeModel(model);
});

describe('topK', () => {
  it('matches a full sort, ties broken by the lower id, skipping padding and excluded items', async () => {
    const { topK } = await import('../../src/engine/session');
    const scores = new Float32Array([9, 0.5, 3, 3, -1, 7, 3, 0.5, 2]);
    // ids 1..8 by score: 5 (7), 2, 3, 6 (3 each, by id), 8 (2), 1, 7 (0.5), 4 (-1); id 0 is padding
    expect(topK(scores, 4, new Set()).map((r) => r.itemId)).toEqual([5, 2, 3, 6]);
    expect(topK(scores, 3, new Set([5, 3])).map((r) => r.itemId)).toEqual([2, 6, 8]);
    expect(topK(scores, 20, new Set()).map((r) => r.itemId)).toEqual([5, 2, 3, 6, 8, 1, 7, 4]);
    expect(topK(scores, 2, new Set())[0].score).toBe(7);
  });

  it('matches a full sort over a catalog with many ties and infinities', async () => {
    const { topK } = await import('../../src/engine/session');
    const rng = createRng(11);
    for (let round = 0; round < 20; round++) {
      const scores = Float32Array.from({ length: 3001 }, () => Math.floor(rng() * 40) / 8 - 2);
      for (let i = 0; i < 5; i++) scores[1 + Math.floor(rng() * 3000)] = i % 2 ? Infinity : -Infinity;
      const skip = new Set(round % 2 ? Array.from({ length: 200 }, () => Math.floor(rng() * 3001)) : []);
      const ids = Array.from({ length: 3000 }, (_, i) => i + 1).filter((id) => !skip.has(id));
      ids.sort((a, b) => scores[b] - scores[a] || a - b);
      for (const k of [1, 10, 50]) expect(topK(scores, k, skip).map((r) => r.itemId)).toEqual(ids.slice(0, k));
    }
  });
});

it('adaptAndRank gives the same top-k and parameters as rankCatalog + generateClassifier, with one generator pass', async () => {
  for (const backbone of ['sasrec', 'gru4rec', 'din'] as const) {
    for (const method of ['duet', 'duet-swa'] as const) {
      const model = createModel(config(backbone), method, defaultDuetConfig(), 7);
      // Every generator pass reads the generator's first dense layer once (generatorCode).
      const get = vi.spyOn(model.params, 'get');
      const generatorPasses = () => get.mock.calls.filter(([name]) => name === 'gen.z.W1').length;
      const sequence = Int32Array.from([3, 9, 4]);
      const exclude = Int32Array.from([9]);
      const tensorsBefore = tf.memory().numTensors;
      const both = await adaptAndRank(model, sequence, 5, exclude);
      expect(tf.memory().numTensors - tensorsBefore).toBeLessThanOrEqual(1); // the cached catalog towers
      // DIN has no user vector to share, so it runs the two calls.
      expect(generatorPasses()).toBe(backbone === 'din' ? 2 : 1);
      get.mockClear();
      const top = await rankCatalog(model, sequence, 5, exclude);
      const params = await generateClassifier(model, sequence);
      expect(generatorPasses()).toBe(2);
      expect(both.top.map((r) => r.itemId)).toEqual(top.map((r) => r.itemId));
      both.top.forEach((r, i) => expect(r.score).toBeCloseTo(top[i].score, 5));
      expect(Array.from(both.parameters.layer1)).toEqual(Array.from(params.layer1));
      expect(Array.from(both.parameters.layer2)).toEqual(Array.from(params.layer2));
      get.mockRestore();
      disposeModel(model);
    }
  }
});
