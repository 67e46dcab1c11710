import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SerializedModel } from '../../src/engine/types';
import { importFiles } from '../../src/data/import';
import { DB_VERSION, openDuetStore } from '../../src/data/store';
import type { Dataset } from '../../src/data/types';
import { DataError } from '../../src/data/types';
import { makeMlTinyZip } from '../fixtures/mlTiny';

let dbCount = 0;
const freshName = () => `duet-test-${dbCount++}`;

async function tinyDataset(name: string): Promise<Dataset> {
  return importFiles([{ name: 'ml-tiny.zip', data: makeMlTinyZip() }], 'auto', name);
}

function model(datasetId: string, method: 'base' | 'duet'): SerializedModel {
  return {
    formatVersion: 1,
    method,
    model: { backbone: 'sasrec', numItems: 60, dim: 32, seqLen: 30, heads: 4, layers: 1, maskPadding: true },
    train: { epochs: 1, batchSize: 256, learningRate: 1e-3, seed: 1, finetuneEpochs: 1 },
    epochsDone: 1,
    bestValidUauc: 0.6,
    weights: [{ name: 'E', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }],
    datasetId,
    trainedWith: { backend: 'wasm', where: 'cli', date: '2026-01-01' },
  };
}

async function rejection(p: Promise<unknown>): Promise<DataError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

afterEach(() => vi.restoreAllMocks());

describe('DuetStore', () => {
  it('round-trips a dataset with its typed arrays', async () => {
    const store = await openDuetStore({ name: freshName() });
    const d = await tinyDataset('tiny');
    await store.saveDataset(d);
    const summaries = await store.listDatasets();
    expect(summaries).toEqual([{ id: d.id, name: 'tiny', format: 'movielens', createdAt: d.createdAt, stats: d.stats }]);
    const loaded = await store.loadDataset(d.id);
    expect(loaded).toEqual(d);
    expect(loaded.test.target).toBeInstanceOf(Int32Array);
    expect(loaded.test.label).toBeInstanceOf(Float32Array);
    // The histories are stored once and shared again by the sample sets that read them.
    expect(loaded.train.kind === 'drawn' && loaded.train.histories).toBe(loaded.histories);
    expect(loaded.test.kind === 'history' && loaded.test.histories).toBe(loaded.histories);
    expect(loaded.histories!.items).toEqual(d.histories!.items);
    store.close();
  });

  it('stores large arrays in parts and rebuilds them', async () => {
    const store = await openDuetStore({ name: freshName(), partBytes: 4096 });
    const d = await tinyDataset('parts');
    await store.saveDataset(d);
    expect(await store.loadDataset(d.id)).toEqual(d);
    // Saving again under the same id replaces the parts, leaving no stale ones.
    const smaller = { ...d, test: { ...d.test, count: 5, user: d.test.user.slice(0, 5) } };
    await store.saveDataset(smaller);
    expect((await store.loadDataset(d.id)).test.user).toEqual(d.test.user.slice(0, 5));
    store.close();
  });

  it('answers not-found for an unknown dataset', async () => {
    const store = await openDuetStore({ name: freshName() });
    expect((await rejection(store.loadDataset('nope'))).code).toBe('not-found');
    store.close();
  });

  it('leaves earlier datasets untouched when a save runs out of space', async () => {
    const store = await openDuetStore({ name: freshName(), partBytes: 8192 });
    const first = await tinyDataset('first');
    await store.saveDataset(first);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'bodies') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const second = await tinyDataset('second');
    const error = await rejection(store.saveDataset(second));
    expect(error.code).toBe('quota');
    // Overwriting the first one fails as a whole too: its summary must not change.
    expect((await rejection(store.saveDataset({ ...first, name: 'renamed' }))).code).toBe('quota');
    vi.restoreAllMocks();

    // Running out midway through the parts, after the old parts were deleted: all rolled back.
    let partsWritten = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'parts' && ++partsWritten > 3) throw new DOMException('Full.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    expect((await rejection(store.saveDataset({ ...first, name: 'renamed' }))).code).toBe('quota');
    expect(partsWritten).toBe(4);
    vi.restoreAllMocks();

    expect((await store.listDatasets()).map((s) => s.name)).toEqual(['first']);
    expect((await rejection(store.loadDataset(second.id))).code).toBe('not-found');
    expect(await store.loadDataset(first.id)).toEqual(first);
    store.close();
  });

  it('deletes a dataset together with its models', async () => {
    const store = await openDuetStore({ name: freshName() });
    const a = await tinyDataset('a');
    const b = await tinyDataset('b');
    await store.saveDataset(a);
    await store.saveDataset(b);
    await store.saveModel(`${a.id}/sasrec/base`, model(a.id, 'base'), 'imported');
    await store.saveModel(`${a.id}/sasrec/duet`, model(a.id, 'duet'), 'imported');
    await store.saveModel(`${b.id}/sasrec/duet`, model(b.id, 'duet'), 'imported');
    expect((await store.listModels(a.id)).map((m) => m.key).sort()).toEqual([`${a.id}/sasrec/base`, `${a.id}/sasrec/duet`]);
    const loaded = await store.loadModel(`${b.id}/sasrec/duet`);
    expect(loaded!.weights[0].data).toEqual(Float32Array.from([1, 2, 3, 4]));

    await store.deleteDataset(a.id);
    expect((await store.listDatasets()).map((s) => s.id)).toEqual([b.id]);
    expect(await store.listModels(a.id)).toEqual([]);
    expect(await store.loadModel(`${a.id}/sasrec/base`)).toBeUndefined();
    expect((await store.listModels(b.id)).map((m) => m.key)).toEqual([`${b.id}/sasrec/duet`]);
    store.close();
  });

  it('keeps settings', async () => {
    const name = freshName();
    const store = await openDuetStore({ name });
    expect(await store.getSetting('backend')).toBeUndefined();
    await store.setSetting('backend', 'wasm');
    await store.setSetting('chart', { smooth: true });
    store.close();
    const again = await openDuetStore({ name });
    expect(await again.getSetting<string>('backend')).toBe('wasm');
    expect(await again.getSetting('chart')).toEqual({ smooth: true });
    again.close();
  });

  it('reports an upgrade blocked by another open tab', async () => {
    const name = freshName();
    const other = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(name, DB_VERSION);
      request.onsuccess = () => resolve(request.result);
    });
    const error = await rejection(openDuetStore({ name, version: DB_VERSION + 1 }));
    expect(error.code).toBe('blocked');
    expect(error.message).toContain('another tab');
    other.close();
  });

  it('steps aside when another tab upgrades, then says so', async () => {
    const name = freshName();
    const store = await openDuetStore({ name });
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, DB_VERSION + 1);
      request.onsuccess = () => resolve(request.result);
      request.onblocked = () => reject(new Error('blocked'));
    });
    expect(upgraded.version).toBe(DB_VERSION + 1);
    upgraded.close();
    expect((await rejection(store.listDatasets())).code).toBe('blocked');
  });
});
