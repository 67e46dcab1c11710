// Model storage: metadata apart from weights in one transaction, listed without reading weights,
// never saved for a deleted dataset, and metadata backfilled when a version-1 store upgrades.
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { openDB } from 'idb';
import type { SerializedModel } from '../../src/engine/types';
import { openDuetStore } from '../../src/data/store';
import { DataError } from '../../src/data/types';
import { tinyDataset } from '../engine/fixtures';

let dbCount = 0;
const freshName = () => `duet-models-${dbCount++}`;

function model(datasetId: string, method: 'base' | 'duet'): SerializedModel {
  return {
    formatVersion: 1,
    method,
    model: { backbone: 'gru4rec', numItems: 12, dim: 4, seqLen: 5, heads: 2, layers: 1, maskPadding: true },
    duet: { swa: { generators: 4, temperature: 1 }, freezeProjections: false, generatorInput: 'click', projectionScale: 0.5 },
    train: { epochs: 3, batchSize: 16, learningRate: 1e-3, seed: 1, finetuneEpochs: 1 },
    epochsDone: 2,
    bestValidUauc: 0.61,
    weights: [{ name: 'item.E', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }],
    datasetId,
    trainedWith: { backend: 'wasm', where: 'browser', date: '2026-01-01T00:00:00Z' },
  };
}

it('lists metadata only, written with the weights', async () => {
  const store = await openDuetStore({ name: freshName() });
  const d = tinyDataset({ seed: 3 });
  await store.saveDataset(d);
  await store.saveModel(`${d.id}/gru4rec/duet`, model(d.id, 'duet'), 'trained-here');
  const [meta, ...rest] = await store.listModels(d.id);
  expect(rest).toEqual([]);
  expect(meta).toMatchObject({
    key: `${d.id}/gru4rec/duet`,
    datasetId: d.id,
    backbone: 'gru4rec',
    method: 'duet',
    epochsDone: 2,
    bestValidUauc: 0.61,
    source: 'trained-here',
    trainedWith: { backend: 'wasm', where: 'browser' },
    train: { epochs: 3 },
  });
  expect(meta.savedAt).toBeGreaterThan(0);
  expect(meta).not.toHaveProperty('weights');
  expect((await store.loadModel(meta.key))!.weights[0].data).toEqual(Float32Array.from([1, 2, 3, 4]));
  store.close();
});

it('refuses to save a model for a dataset that is gone, and deleting a dataset removes its metadata', async () => {
  const store = await openDuetStore({ name: freshName() });
  const d = tinyDataset({ seed: 4 });
  const error = await store.saveModel(`${d.id}/gru4rec/base`, model(d.id, 'base'), 'trained-here').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  expect((error as DataError).message).toMatch(/dataset was deleted/);
  expect(await store.loadModel(`${d.id}/gru4rec/base`)).toBeUndefined();
  await store.saveDataset(d);
  await store.saveModel(`${d.id}/gru4rec/base`, model(d.id, 'base'), 'imported');
  await store.deleteDataset(d.id);
  expect(await store.listModels(d.id)).toEqual([]);
  expect(await store.loadModel(`${d.id}/gru4rec/base`)).toBeUndefined();
  store.close();
});

it('upgrading a version-1 store gives its existing models metadata', async () => {
  const name = freshName();
  const v1 = await openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore('summaries', { keyPath: 'id' });
      db.createObjectStore('bodies', { keyPath: 'id' });
      db.createObjectStore('parts', { keyPath: ['datasetId', 'path', 'part'] }).createIndex('byDataset', 'datasetId');
      db.createObjectStore('models').createIndex('byDataset', 'datasetId');
      db.createObjectStore('settings');
    },
  });
  await v1.put('models', model('ds', 'base'), 'ds/gru4rec/base');
  v1.close();
  const store = await openDuetStore({ name });
  const listed = await store.listModels('ds');
  expect(listed.map((m) => [m.key, m.method, m.source, m.epochsDone])).toEqual([['ds/gru4rec/base', 'base', 'trained-here', 2]]);
  store.close();
});

it('keeps and forgets settings', async () => {
  const store = await openDuetStore({ name: freshName() });
  await store.setSetting('pendingTraining', { reason: 'cancelled' });
  expect(await store.getSetting('pendingTraining')).toEqual({ reason: 'cancelled' });
  await store.deleteSetting('pendingTraining');
  expect(await store.getSetting('pendingTraining')).toBeUndefined();
  store.close();
});
